#include "core/train/step_benchmark.h"

#include "core/models/blocks/selective_scan.h"
#include "core/models/separator.h"
#include "core/train/autocast_scope.h"
#include "core/train/device_memory.h"
#include "core/train/train_step.h"

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <torch/torch.h>

namespace seplab::train {

namespace {

using Clock = std::chrono::steady_clock;

void check(const ModelBenchmarkOptions &options)
{
    if (options.batch < 1 || options.steps < 1 || options.warmup < 0 || !(options.seconds > 0.0))
        throw std::invalid_argument("benchmark: batch and steps must be at least 1, warmup at "
                                    "least 0 and seconds positive.");
    if (options.amp != "none" && options.amp != "fp16" && options.amp != "bf16")
        throw std::invalid_argument("benchmark: amp must be none, fp16 or bf16, not '" + options.amp
                                    + "'.");
    const torch::Device device(options.device);
    if (device.is_cuda() && !torch::cuda::is_available())
        throw std::invalid_argument("benchmark: --device " + options.device
                                    + ": CUDA is not available here.");
    if (options.amp != "none" && !device.is_cuda())
        throw std::invalid_argument("benchmark: AMP runs on CUDA only; use --amp none on the CPU.");
}

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    const std::size_t n = values.size();
    return n % 2 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

void summarise(ModelBenchmarkResult &result)
{
    result.medianMs = median(result.stepMs);
    result.minMs = *std::min_element(result.stepMs.begin(), result.stepMs.end());
}

struct Setup
{
    models::SeparatorPtr model;
    torch::Tensor mix, targets;
};

Setup makeSetup(const ModelBenchmarkOptions &options)
{
    torch::manual_seed(options.seed);
    Setup setup;
    setup.model = models::createModel(options.modelType, options.modelParams);
    setup.model->to(torch::Device(options.device));
    const auto samples = static_cast<std::int64_t>(options.seconds * options.sampleRate);
    const auto floatOn = torch::TensorOptions().dtype(torch::kFloat).device(options.device);
    setup.targets = torch::randn({options.batch, setup.model->sources(), samples}, floatOn);
    setup.mix = setup.targets.sum(1);
    return setup;
}

template<typename Step>
void timeSteps(const ModelBenchmarkOptions &options, ModelBenchmarkResult &result, Step &&step)
{
    for (int i = 0; i < options.warmup; ++i)
        step();
    synchronizeDevice(options.device);
    resetPeakMemory(options.device);
    for (int i = 0; i < options.steps; ++i) {
        const auto start = Clock::now();
        step();
        synchronizeDevice(options.device);
        result.stepMs.push_back(
            std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    }
    result.peakMemMb = peakMemoryMb(options.device);
    summarise(result);
}

// Runs a few more steps with the scan timing itself. Kept apart from the timed steps because
// the scan's synchronisation would slow CUDA steps down.
template<typename Step>
double scanShareOfSteps(const ModelBenchmarkOptions &options, Step &&step)
{
    const int steps = std::min(options.steps, 5);
    models::resetScanSeconds();
    models::setScanTiming(true);
    synchronizeDevice(options.device);
    const auto start = Clock::now();
    for (int i = 0; i < steps; ++i)
        step();
    synchronizeDevice(options.device);
    const double total = std::chrono::duration<double>(Clock::now() - start).count();
    models::setScanTiming(false);
    return total > 0.0 ? models::scanSeconds() / total : 0.0;
}

} // namespace

ModelBenchmarkResult benchmarkTraining(const ModelBenchmarkOptions &options)
{
    check(options);
    Setup setup = makeSetup(options);
    setup.model->train();
    torch::optim::Adam optimizer(setup.model->parameters(), torch::optim::AdamOptions(1e-4));
    StepSettings settings;
    settings.gradClipNorm = 5.0;
    settings.autocast = options.amp != "none";
    settings.autocastDtype = options.amp == "bf16" ? c10::ScalarType::BFloat16
                                                   : c10::ScalarType::Half;
    settings.lossScaling = options.amp == "fp16";
    TrainStep step(*setup.model, optimizer, settings);

    ModelBenchmarkResult result;
    result.parameters = models::parameterCount(*setup.model);
    timeSteps(options, result, [&] { step.run(setup.mix, setup.targets, true); });
    result.samplesPerS = double(options.batch) / (result.medianMs / 1000.0);
    if (options.modelType == "spmamba")
        result.scanShare = scanShareOfSteps(options,
                                            [&] { step.run(setup.mix, setup.targets, true); });
    return result;
}

ModelBenchmarkResult benchmarkSeparation(const ModelBenchmarkOptions &options)
{
    check(options);
    Setup setup = makeSetup(options);
    setup.model->eval();
    torch::NoGradGuard noGrad;
    ModelBenchmarkResult result;
    result.parameters = models::parameterCount(*setup.model);
    const bool autocast = options.amp != "none";
    const c10::ScalarType dtype = options.amp == "bf16" ? c10::ScalarType::BFloat16
                                                        : c10::ScalarType::Half;
    timeSteps(options, result, [&] {
        AutocastScope scope(autocast, dtype);
        setup.model->separate(setup.mix);
    });
    result.samplesPerS = double(options.batch) / (result.medianMs / 1000.0);
    result.realTimeFactor = (result.medianMs / 1000.0) / (options.seconds * options.batch);
    return result;
}

} // namespace seplab::train
