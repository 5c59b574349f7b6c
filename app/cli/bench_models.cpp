// seplab-cli bench train | separate: the model's training step and inference, timed on
// synthetic input of a fixed shape (core/train/step_benchmark.h). One JSON line each.

#include "cli/bench_models.h"

#include "cli/arg_parser.h"
#include "cli/model_config.h"
#include "core/train/step_benchmark.h"
#include "core/train/torch_threads.h"

#include <ATen/Parallel.h>
#include <iostream>
#include <nlohmann/json.hpp>

namespace seplab::cli {

namespace {

void declareCommon(ArgParser &parser)
{
    parser.addOption("model",
                     "NAME",
                     "Registered model (dprnn, convtasnet, sepformer, spmamba).",
                     "dprnn");
    parser.addOption("config",
                     "YAML",
                     "Training config whose model.<NAME> section sets the "
                     "hyperparameters (default: the model's baseline).");
    parser.addOption("batch", "N", "Clips per step.", "16");
    parser.addOption("seconds", "S", "Clip length in seconds (8 kHz).", "4");
    parser.addOption("device", "DEV", "cpu, cuda or cuda:N.", "cpu");
    parser.addOption("amp", "MODE", "none, fp16 (with the loss scaler) or bf16; CUDA only.", "none");
    parser.addOption("steps", "N", "Timed steps.", "20");
    parser.addOption("warmup", "N", "Untimed steps first.", "3");
    parser.addOption("threads", "N", "LibTorch CPU threads (default: measured best).");
}

train::ModelBenchmarkOptions readCommon(const ArgParser &parser, const std::string &command)
{
    train::ModelBenchmarkOptions options;
    options.modelType = parser.value("model");
    if (parser.has("config"))
        options.modelParams = readModelSpec(options.modelType, parser.value("config")).params;
    options.batch = parser.intValue("batch");
    options.seconds = parser.doubleValue("seconds");
    options.device = parser.value("device");
    options.amp = parser.value("amp");
    options.steps = parser.intValue("steps");
    options.warmup = parser.intValue("warmup");
    const int threads = parser.has("threads") ? parser.intValue("threads") : 0;
    if (threads < 0)
        throw UsageError(command + ": --threads must be 1 or more.");
    train::configureTorchThreads(threads);
    return options;
}

nlohmann::json commonReport(const char *benchmark,
                            const train::ModelBenchmarkOptions &options,
                            const train::ModelBenchmarkResult &result)
{
    return {{"benchmark", benchmark},
            {"model", options.modelType},
            {"params", result.parameters},
            {"device", options.device},
            {"amp", options.amp},
            {"batch", options.batch},
            {"seconds", options.seconds},
            {"steps", options.steps},
            {"threads", at::get_num_threads()},
            {"step_ms", {{"median", result.medianMs}, {"min", result.minMs}}},
            {"samples_per_s", result.samplesPerS},
            {"peak_mem_mb", result.peakMemMb}};
}

} // namespace

int runTrainBench(const std::vector<std::string> &args)
{
    ArgParser parser("bench train",
                     "Times full training steps (forward, PIT loss, backward, clip, Adam step) on "
                     "synthetic input\nand prints one JSON line: step_ms (median, min), "
                     "samples_per_s and peak_mem_mb\n(CUDA: allocator peak; CPU: the process's "
                     "peak RSS); for spmamba also scan_share, the\nselective scan's share of "
                     "the step time.");
    declareCommon(parser);
    if (!parser.parse(args)) {
        std::cout << parser.help();
        return 0;
    }
    const train::ModelBenchmarkOptions options = readCommon(parser, "bench train");
    const train::ModelBenchmarkResult result = train::benchmarkTraining(options);
    nlohmann::json report = commonReport("train", options, result);
    if (result.scanShare >= 0.0)
        report["scan_share"] = result.scanShare;
    std::cout << report.dump() << std::endl;
    return 0;
}

int runSeparateBench(const std::vector<std::string> &args)
{
    ArgParser parser("bench separate",
                     "Times inference on synthetic input and prints one JSON line with the "
                     "real-time factor\n(rtf: processing time / audio duration; below 1 is "
                     "faster than real time).");
    declareCommon(parser);
    if (!parser.parse(args)) {
        std::cout << parser.help();
        return 0;
    }
    train::ModelBenchmarkOptions options = readCommon(parser, "bench separate");
    const train::ModelBenchmarkResult result = train::benchmarkSeparation(options);
    nlohmann::json report = commonReport("separate", options, result);
    report["rtf"] = result.realTimeFactor;
    std::cout << report.dump() << std::endl;
    return 0;
}

} // namespace seplab::cli
