#include "core/sweep/compute_budget.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace seplab::sweep {

double expectedEpochs(int epochs, std::vector<int> bands, double survival)
{
    if (epochs < 1)
        throw std::invalid_argument("a stage's epochs must be 1 or more, not "
                                    + std::to_string(epochs) + ".");
    if (!(survival > 0.0 && survival <= 1.0))
        throw std::invalid_argument("the fraction of trials that survive a band must be in "
                                    "(0, 1], not "
                                    + std::to_string(survival) + ".");
    std::sort(bands.begin(), bands.end());
    bands.erase(std::unique(bands.begin(), bands.end()), bands.end());
    double expected = 0.0;
    double reaching = 1.0; // fraction of trials that reach the segment's start
    int start = 0;
    for (const int band : bands) {
        if (band <= start || band >= epochs)
            continue;
        expected += reaching * double(band - start);
        reaching *= survival;
        start = band;
    }
    return expected + reaching * double(epochs - start);
}

ComputeBudget estimateBudget(const std::vector<StageBudgetInput> &stages, const EpochRate &rate)
{
    if (!(rate.secondsPerSampleEpoch > 0.0) || !std::isfinite(rate.secondsPerSampleEpoch))
        throw std::invalid_argument("the seconds per sample and epoch must be positive.");
    if (rate.share < 1)
        throw std::invalid_argument("the trials sharing a device must be 1 or more.");
    ComputeBudget budget;
    for (const StageBudgetInput &input : stages) {
        StageBudget stage;
        stage.name = input.name;
        if (!input.trials)
            stage.unknown = "trials known after the derivation";
        else if (!input.epochs)
            stage.unknown = "no epochs";
        else if (!input.trainSamples)
            stage.unknown = "no train_samples";
        if (!stage.unknown.empty()) {
            ++budget.unknownStages;
            budget.stages.push_back(stage);
            continue;
        }
        stage.trials = double(*input.trials);
        stage.epochs = double(*input.epochs);
        stage.expectedEpochs = expectedEpochs(*input.epochs, input.bands, input.survival);
        const double perEpoch = double(*input.trainSamples) * rate.secondsPerSampleEpoch;
        const double upperSeconds = stage.trials * stage.epochs * perEpoch;
        const double expectedSeconds = stage.trials * stage.expectedEpochs * perEpoch;
        const double atOnce = double(
            std::max<std::int64_t>(1, std::min<std::int64_t>(*input.trials, input.concurrency)));
        stage.upperDeviceHours = upperSeconds / double(rate.share) / 3600.0;
        stage.expectedDeviceHours = expectedSeconds / double(rate.share) / 3600.0;
        stage.expectedWallHours = expectedSeconds / atOnce / 3600.0;
        budget.upperDeviceHours += stage.upperDeviceHours;
        budget.expectedDeviceHours += stage.expectedDeviceHours;
        budget.expectedWallHours += stage.expectedWallHours;
        budget.stages.push_back(stage);
    }
    return budget;
}

std::optional<double> secondsPerSampleEpoch(const std::vector<EpochTiming> &timings)
{
    double seconds = 0.0;
    double sampleEpochs = 0.0;
    for (const EpochTiming &timing : timings) {
        if (timing.trainSamples <= 0 || timing.epochs <= 0 || !(timing.seconds > 0.0))
            continue;
        seconds += timing.seconds;
        sampleEpochs += double(timing.trainSamples) * double(timing.epochs);
    }
    if (sampleEpochs <= 0.0)
        return std::nullopt;
    return seconds / sampleEpochs;
}

} // namespace seplab::sweep
