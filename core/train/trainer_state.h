#pragma once

// What the Trainer carries from epoch to epoch, as it goes into a checkpoint's JSON record:
// enough that --resume continues exactly where the run left off, mid-epoch included.

#include <cstddef>
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace seplab::train {

// The part of an epoch already trained when a run was stopped inside it.
struct EpochProgress
{
    int epoch = 0;
    std::size_t batchesDone = 0;
    double lossSum = 0.0;    // sum of batch loss x batch size over finite batches
    std::size_t samples = 0; // clips in finite batches
    std::size_t nanBatches = 0;
    double trainSeconds = 0.0;
};

struct LoopState
{
    int epochsCompleted = 0;
    double best = -std::numeric_limits<double>::infinity(); // the best monitored value
    int bestEpoch = 0;
    int epochsNoImprovement = 0;
    int consecutiveNan = 0; // persists across epochs, as in the original
    double lr = 0.0;
    std::uint64_t optimizerSteps = 0;
    std::optional<EpochProgress> inProgress;
};

nlohmann::json loopStateToJson(const LoopState &state);
// Throws std::runtime_error naming the missing or mistyped field.
LoopState loopStateFromJson(const nlohmann::json &json);

// The default CPU generator's state as hex text (it is a few KB), and back.
std::string generatorState();
void restoreGeneratorState(const std::string &hex);

} // namespace seplab::train
