// seplab-cli bench: throughput figures, printed as one JSON line per measurement. Benchmarks
// never assert on time (tests never time anything); they report, and people compare.
//
// Each benchmark is one row of kBenchmarks with its own ArgParser, so `bench train` and
// `bench separate` slot in as further rows.

#include "cli/arg_parser.h"
#include "cli/bench_models.h"
#include "cli/command.h"
#include "core/data/loading/audio_cache.h"
#include "core/data/loading/data_loader.h"
#include "core/data/mmipc.h"
#include "core/data/polsess_dataset.h"

#include <algorithm>
#include <chrono>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <thread>

#if defined(__unix__) || defined(__APPLE__)
#include <sys/resource.h>
#define SEPLAB_HAVE_RUSAGE 1
#endif

namespace seplab::cli {

namespace {

using Clock = std::chrono::steady_clock;

struct Benchmark
{
    const char *name;
    const char *summary;
    int (*run)(const std::vector<std::string> &args);
};

int runDataBench(const std::vector<std::string> &args);

const std::vector<Benchmark> &benchmarks()
{
    static const std::vector<Benchmark> list = {
        {"data",
         "Loader throughput in clips/s over a PolSESS corpus, cached and streamed.",
         runDataBench},
        {"train",
         "Training step time, samples/s and peak memory of a model on synthetic input.",
         runTrainBench},
        {"separate", "Inference time and real-time factor of a model.", runSeparateBench},
    };
    return list;
}

std::string benchmarkNames()
{
    std::string names;
    for (const Benchmark &benchmark : benchmarks())
        names += (names.empty() ? "" : ", ") + std::string(benchmark.name);
    return names;
}

std::string benchUsage()
{
    std::string text = "usage: seplab-cli bench <benchmark> [options]\n"
                       "       seplab-cli bench <benchmark> --help\n\n"
                       "Measures throughput and prints one JSON line per measurement.\n\n"
                       "benchmarks:\n";
    for (const Benchmark &benchmark : benchmarks()) {
        std::string name = benchmark.name;
        name.resize(std::max<std::size_t>(name.size() + 2, 12), ' ');
        text += "  " + name + benchmark.summary + "\n";
    }
    return text;
}

// ---- bench data -------------------------------------------------------------------------------

struct DataBenchSettings
{
    std::string root;
    std::string split;
    data::Task task = data::Task::SB;
    int batch = 16;
    int threads = 2;
    int batches = 0; // 0: one whole epoch
    std::int64_t segment = 0;
    std::size_t cacheBytes = 0;
};

// What one timed pass measured, from the consumer's side.
struct PassResult
{
    std::size_t batches = 0;
    std::size_t clips = 0;
    double seconds = 0.0;
    double cpuSeconds = -1.0;  // the whole process's, all threads; -1 where unknown
    std::vector<double> waits; // per next(), seconds
};

// Process CPU time (user + system, every thread). On a shared or busy machine wall-clock
// throughput says little, but CPU time per clip still tells what N free cores would deliver.
double processCpuSeconds()
{
#ifdef SEPLAB_HAVE_RUSAGE
    rusage usage{};
    if (getrusage(RUSAGE_SELF, &usage) == 0) {
        const auto seconds = [](const timeval &t) { return double(t.tv_sec) + 1e-6 * t.tv_usec; };
        return seconds(usage.ru_utime) + seconds(usage.ru_stime);
    }
#endif
    return -1.0;
}

int positiveValue(const ArgParser &parser, const std::string &name, int minimum)
{
    const int value = parser.intValue(name);
    if (value < minimum)
        throw UsageError("bench data: --" + name + " must be at least " + std::to_string(minimum)
                         + ", not " + std::to_string(value) + ".");
    return value;
}

// Reads up to `limit` batches of `epoch` (0: all) as fast as the loader delivers them: the
// consumer does nothing with a batch, so this is the loader's ceiling, not a training rate.
PassResult timePass(data::DataLoader &loader, int epoch, std::size_t limit)
{
    PassResult result;
    const double cpuStart = processCpuSeconds();
    const Clock::time_point start = Clock::now();
    loader.startEpoch(epoch);
    while (limit == 0 || result.batches < limit) {
        const std::optional<data::Batch> batch = loader.next();
        if (!batch)
            break;
        result.waits.push_back(loader.stats().lastWaitSeconds);
        ++result.batches;
        result.clips += batch->indices.size();
    }
    result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    const double cpuEnd = processCpuSeconds();
    if (cpuStart >= 0.0 && cpuEnd >= 0.0)
        result.cpuSeconds = cpuEnd - cpuStart;
    return result;
}

double median(std::vector<double> values)
{
    if (values.empty())
        return 0.0;
    const std::size_t middle = values.size() / 2;
    std::nth_element(values.begin(), values.begin() + std::ptrdiff_t(middle), values.end());
    const double upper = values[middle];
    if (values.size() % 2)
        return upper;
    const double lower = *std::max_element(values.begin(), values.begin() + std::ptrdiff_t(middle));
    return 0.5 * (lower + upper);
}

data::LoaderOptions loaderOptions(const DataBenchSettings &settings)
{
    data::LoaderOptions options;
    options.batchSize = settings.batch;
    options.shuffle = true; // as training reads: random order, random files
    options.threads = settings.threads;
    options.segmentSamples = settings.segment;
    options.lengthMode = settings.segment > 0 ? data::LengthMode::RandomCrop
                                              : data::LengthMode::PadToLongest;
    return options;
}

nlohmann::json report(const std::string &mode,
                      const DataBenchSettings &settings,
                      const PassResult &pass,
                      const std::shared_ptr<data::AudioCache> &cache,
                      std::size_t hitsBefore,
                      std::size_t missesBefore)
{
    double totalWait = 0.0;
    for (double wait : pass.waits)
        totalWait += wait;
    nlohmann::json out;
    out["benchmark"] = "data";
    out["mode"] = mode;
    out["clips_per_s"] = pass.seconds > 0.0 ? double(pass.clips) / pass.seconds : 0.0;
    out["batches"] = pass.batches;
    out["clips"] = pass.clips;
    out["seconds"] = pass.seconds;
    if (pass.cpuSeconds >= 0.0 && pass.clips > 0) {
        out["cpu_seconds"] = pass.cpuSeconds;
        out["cpu_ms_per_clip"] = 1000.0 * pass.cpuSeconds / double(pass.clips);
    }
    out["threads"] = settings.threads;
    out["batch"] = settings.batch;
    out["segment_samples"] = settings.segment;
    out["split"] = settings.split;
    out["task"] = data::taskName(settings.task);
    out["consumer_wait_ms"] = {{"median", 1000.0 * median(pass.waits)},
                               {"total", 1000.0 * totalWait}};
    if (cache) {
        // Of the timed pass alone: a cached pass that still misses did not fit the budget.
        out["cache"] = {{"hits", cache->hits() - hitsBefore},
                        {"misses", cache->misses() - missesBefore},
                        {"bytes_used", cache->bytesUsed()},
                        {"budget_bytes", cache->budgetBytes()}};
    }
    return out;
}

// One mode: a fresh dataset (with or without a cache) and loader, an optional warm-up pass over
// the very batches that are then timed.
nlohmann::json measure(const std::string &mode, const DataBenchSettings &settings, bool cached)
{
    data::PolsessOptions datasetOptions;
    datasetOptions.task = settings.task;
    std::shared_ptr<data::AudioCache> cache;
    if (cached)
        cache = std::make_shared<data::AudioCache>(settings.cacheBytes);
    auto dataset = std::make_shared<data::PolsessDataset>(settings.root,
                                                          settings.split,
                                                          datasetOptions,
                                                          cache);
    const data::LoaderOptions options = loaderOptions(settings);
    const std::size_t limit = std::size_t(settings.batches);
    // Epoch 1 twice when cached: the same order, variants and files, so the timed pass reads
    // only what the warm-up put in the cache. The warm-up goes prefetchBatches further, as the
    // timed pass's threads run that far ahead of its last batch, and it has a loader of its own,
    // joined before the timed pass starts, so none of its reads lands in the timed figures.
    if (cached) {
        data::DataLoader warmUp(dataset, options);
        const std::size_t ahead = std::size_t(options.prefetchBatches);
        timePass(warmUp, 1, limit == 0 ? 0 : limit + ahead);
    }
    data::DataLoader loader(dataset, options);
    const std::size_t hitsBefore = cache ? cache->hits() : 0;
    const std::size_t missesBefore = cache ? cache->misses() : 0;
    const PassResult pass = timePass(loader, 1, limit);
    nlohmann::json out = report(mode, settings, pass, cache, hitsBefore, missesBefore);
    out["dataset"] = dataset->describe();
    return out;
}

int runDataBench(const std::vector<std::string> &args)
{
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    ArgParser parser("bench data",
                     "Measures the data loader's throughput over a PolSESS corpus and prints one "
                     "JSON line per mode:\n`cached` (decoded audio kept in memory; a warm-up "
                     "pass fills the cache, then the same\nbatches are timed) and `streamed` "
                     "(every file decoded at each read, from the OS page cache\nonce the cached "
                     "pass has touched it). The consumer does nothing with the batches, so\nthe "
                     "figure is the loader's ceiling; compare it with the clips/s a training step "
                     "consumes.");
    parser.addOption("data", "DIR", "PolSESS corpus root (holds train/, val/, test/).", {}, true);
    parser.addOption("split", "NAME", "Split to read.", "train");
    parser.addOption("task", "ES|EB|SB", "Task: decides the targets built per clip.", "SB");
    parser.addOption("batch", "N", "Clips per batch.", "16");
    parser.addOption("threads", "N", "Loader threads.", std::to_string(cores));
    parser.addOption("batches", "N", "Batches timed per mode; 0 times one whole epoch.", "0");
    parser.addOption("segment",
                     "SAMPLES",
                     "Random crop length; 0 keeps whole clips (PolSESS clips are 4 s).",
                     "0");
    parser.addOption("cache-mb", "MB", "Cache budget of the cached mode, in MiB.", "16384");
    if (!parser.parse(args)) {
        std::cout << parser.help();
        return 0;
    }

    DataBenchSettings settings;
    settings.root = parser.value("data");
    settings.split = parser.value("split");
    const std::optional<data::Task> task = data::parseTask(parser.value("task"));
    if (!task)
        throw UsageError("bench data: unknown --task '" + parser.value("task")
                         + "' (known: ES, EB, SB).");
    settings.task = *task;
    settings.batch = positiveValue(parser, "batch", 1);
    settings.threads = positiveValue(parser, "threads", 0);
    settings.batches = positiveValue(parser, "batches", 0);
    settings.segment = positiveValue(parser, "segment", 0);
    settings.cacheBytes = std::size_t(positiveValue(parser, "cache-mb", 0)) << 20;

    std::cout << measure("cached", settings, true).dump() << std::endl;
    std::cout << measure("streamed", settings, false).dump() << std::endl;
    return 0;
}

} // namespace

int runBench(const std::vector<std::string> &args)
{
    if (args.empty())
        throw UsageError("bench: name a benchmark (known: " + benchmarkNames() + ").");
    const std::string &name = args.front();
    if (name == "--help" || name == "-h" || name == "help") {
        std::cout << benchUsage();
        return 0;
    }
    for (const Benchmark &benchmark : benchmarks()) {
        if (name == benchmark.name)
            return benchmark.run(std::vector<std::string>(args.begin() + 1, args.end()));
    }
    throw UsageError("bench: unknown benchmark '" + name + "' (known: " + benchmarkNames() + ").");
}

} // namespace seplab::cli
