#include "core/data/corpus/corpus_maker.h"

#include "core/data/corpus/corpus_layout.h"
#include "core/data/corpus/polish_sentences.h"
#include "core/data/corpus/row_mixer.h"
#include "core/data/corpus/speech_synth.h"
#include "core/data/corpus/subprocess.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>

namespace fs = std::filesystem;

namespace seplab::data::corpus {

namespace {

// Runs task(i) for i in [0, count) on `threads` threads. Each task writes only its own slot, so
// the result does not depend on the scheduling. The first exception stops the remaining tasks
// and is rethrown here.
template<typename Task>
void parallelFor(int count, int threads, Task task)
{
    std::atomic<int> next{0};
    std::atomic<bool> failed{false};
    std::exception_ptr firstError;
    std::mutex errorMutex;
    const auto worker = [&] {
        for (int i = next++; i < count && !failed; i = next++) {
            try {
                task(i);
            } catch (...) {
                std::lock_guard<std::mutex> lock(errorMutex);
                if (!firstError)
                    firstError = std::current_exception();
                failed = true;
            }
        }
    };
    std::vector<std::thread> pool;
    for (int t = 1; t < std::min(threads, count); ++t)
        pool.emplace_back(worker);
    worker();
    for (std::thread &thread : pool)
        thread.join();
    if (firstError)
        std::rethrow_exception(firstError);
}

int threadCount(const CorpusSpec &spec)
{
    if (spec.threads > 0)
        return spec.threads;
    return int(std::max(1u, std::thread::hardware_concurrency()));
}

// A private scratch folder for espeak-ng's files, removed when the run ends however it ends.
class ScratchFolder
{
public:
    ScratchFolder()
    {
        std::string pattern = (fs::temp_directory_path() / "seplab-espeak-XXXXXX").string();
        if (!mkdtemp(pattern.data()))
            throw std::runtime_error("cannot create a temporary folder in "
                                     + fs::temp_directory_path().string());
        m_path = pattern;
    }
    ~ScratchFolder()
    {
        std::error_code ignored;
        fs::remove_all(m_path, ignored);
    }
    ScratchFolder(const ScratchFolder &) = delete;
    ScratchFolder &operator=(const ScratchFolder &) = delete;
    const std::string &path() const { return m_path; }

private:
    std::string m_path;
};

class ProgressReporter
{
public:
    explicit ProgressReporter(const CorpusProgressFn &callback)
        : m_callback(callback)
    {}
    void report(CorpusProgress::Stage stage, int done, int total)
    {
        if (!m_callback)
            return;
        std::lock_guard<std::mutex> lock(m_mutex);
        m_callback({stage, done, total});
    }

private:
    const CorpusProgressFn &m_callback;
    std::mutex m_mutex;
};

SpeechPool synthesizePool(const CorpusSpec &spec, int threads, ProgressReporter &progress)
{
    const std::string espeak = findOnPath("espeak-ng");
    if (espeak.empty())
        throw std::runtime_error(kEspeakMissing);

    std::vector<std::string> sentences = polishSentences();
    if (spec.sentencesPerVoice > 0 && std::size_t(spec.sentencesPerVoice) < sentences.size())
        sentences.resize(std::size_t(spec.sentencesPerVoice));

    const std::vector<Voice> &voices = corpusVoices();
    SpeechPool pool;
    pool.rate = spec.sampleRate;
    pool.utterances.resize(voices.size());
    ScratchFolder scratch;
    std::atomic<int> done{0};
    const int total = int(voices.size());
    progress.report(CorpusProgress::Stage::Speech, 0, total);
    parallelFor(total, threads, [&](int v) {
        pool.utterances[std::size_t(v)] = synthesizeVoice(espeak,
                                                          voices[std::size_t(v)],
                                                          sentences,
                                                          spec.sampleRate,
                                                          scratch.path());
        progress.report(CorpusProgress::Stage::Speech, ++done, total);
    });
    return pool;
}

} // namespace

std::string corpusSpecProblem(const CorpusSpec &spec)
{
    const std::pair<const char *, int> counts[] = {{"train", spec.trainRows},
                                                   {"val", spec.valRows},
                                                   {"test", spec.testRows}};
    for (const auto &[name, rows] : counts) {
        if (rows < 0)
            return std::string("the ") + name + " row count must be 0 or more, not "
                   + std::to_string(rows) + ".";
    }
    if (!(spec.seconds > 0.0) || spec.seconds > kMaxCorpusSeconds)
        return "the clip length must be above 0 and at most "
               + std::to_string(int(kMaxCorpusSeconds)) + " seconds.";
    if (spec.sampleRate < kMinCorpusRate || spec.sampleRate > kMaxCorpusRate)
        return "the sample rate must be between " + std::to_string(kMinCorpusRate) + " and "
               + std::to_string(kMaxCorpusRate) + " Hz, not " + std::to_string(spec.sampleRate)
               + ".";
    if (std::llround(spec.seconds * spec.sampleRate) < 1)
        return "the clip is shorter than one sample.";
    if (!(spec.indoorFraction >= 0.0 && spec.indoorFraction <= 1.0))
        return "the indoor fraction must be between 0 and 1.";
    return outputFolderProblem(spec.outDir, spec.overwrite);
}

CorpusSummary makeCorpus(const CorpusSpec &spec, const CorpusProgressFn &progressFn)
{
    const auto started = std::chrono::steady_clock::now();
    const std::string problem = corpusSpecProblem(spec);
    if (!problem.empty())
        throw std::invalid_argument(problem);

    const int threads = threadCount(spec);
    const std::size_t frames = std::size_t(std::llround(spec.seconds * spec.sampleRate));
    const std::vector<std::string> &splits = corpusSplits();
    const int counts[] = {spec.trainRows, spec.valRows, spec.testRows};
    ProgressReporter progress(progressFn);

    CorpusSummary summary;
    summary.framesPerFile = std::int64_t(frames);
    const int totalRows = counts[0] + counts[1] + counts[2];
    SpeechPool pool;
    if (totalRows > 0) {
        pool = synthesizePool(spec, threads, progress);
        summary.voices = int(pool.utterances.size());
        for (const auto &voice : pool.utterances)
            summary.utterances += int(voice.size());
    }
    prepareOutputFolder(spec.outDir, spec.overwrite);

    // One flat list of (split, row) jobs, so that the threads stay busy across splits.
    std::vector<std::pair<int, int>> jobs;
    for (int s = 0; s < 3; ++s) {
        for (int r = 0; r < counts[s]; ++r)
            jobs.emplace_back(s, r);
    }
    std::vector<RowFiles> files(jobs.size());
    std::vector<CorpusRow> described(jobs.size()); // layers dropped once written
    std::atomic<int> done{0};
    progress.report(CorpusProgress::Stage::Rows, 0, totalRows);
    parallelFor(int(jobs.size()), threads, [&](int j) {
        const auto [s, r] = jobs[std::size_t(j)];
        CorpusRow row = makeRow(pool, spec.seed, s, r, frames, spec.indoorFraction);
        const std::string splitDir = (fs::path(spec.outDir) / splits[std::size_t(s)]).string();
        files[std::size_t(j)] = rowFiles(splits[std::size_t(s)], r, row);
        writeRowAudio(splitDir, files[std::size_t(j)], row.layers, spec.sampleRate);
        row.layers = {};
        described[std::size_t(j)] = std::move(row);
        progress.report(CorpusProgress::Stage::Rows, ++done, totalRows);
    });

    std::size_t first = 0;
    for (int s = 0; s < 3; ++s) {
        const std::string &split = splits[std::size_t(s)];
        const std::size_t end = first + std::size_t(counts[s]);
        writeManifest(corpusCsvPath(spec.outDir, split),
                      {files.begin() + long(first), files.begin() + long(end)});
        SplitSummary splitSummary;
        splitSummary.name = split;
        splitSummary.rows = counts[s];
        std::set<std::string> speakers;
        for (std::size_t j = first; j < end; ++j) {
            const bool indoor = !files[j].reverb1.empty();
            (indoor ? splitSummary.indoor : splitSummary.outdoor) += 1;
            speakers.insert(corpusVoices()[std::size_t(described[j].speaker1)].id);
            speakers.insert(corpusVoices()[std::size_t(described[j].speaker2)].id);
        }
        splitSummary.speakers.assign(speakers.begin(), speakers.end());
        summary.splits.push_back(std::move(splitSummary));
        first = end;
    }
    summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started)
                          .count();
    return summary;
}

} // namespace seplab::data::corpus
