#include "core/train/trainer_state.h"

#include <ATen/CPUGeneratorImpl.h>
#include <cmath>
#include <mutex>
#include <stdexcept>
#include <torch/torch.h>

namespace seplab::train {

nlohmann::json loopStateToJson(const LoopState &state)
{
    nlohmann::json json = {{"epochs_completed", state.epochsCompleted},
                           {"best",
                            std::isinf(state.best) ? nlohmann::json(nullptr)
                                                   : nlohmann::json(state.best)},
                           {"best_epoch", state.bestEpoch},
                           {"epochs_no_improvement", state.epochsNoImprovement},
                           {"consecutive_nan", state.consecutiveNan},
                           {"optimizer_steps", state.optimizerSteps},
                           {"in_progress", nullptr}};
    if (state.inProgress) {
        const EpochProgress &p = *state.inProgress;
        json["in_progress"] = {{"epoch", p.epoch},
                               {"batches_done", p.batchesDone},
                               {"loss_sum", p.lossSum},
                               {"samples", p.samples},
                               {"nan_batches", p.nanBatches},
                               {"train_seconds", p.trainSeconds}};
    }
    return json;
}

LoopState loopStateFromJson(const nlohmann::json &json)
{
    try {
        LoopState state;
        state.epochsCompleted = json.at("epochs_completed").get<int>();
        const nlohmann::json &best = json.at("best");
        state.best = best.is_null() ? -std::numeric_limits<double>::infinity() : best.get<double>();
        state.bestEpoch = json.at("best_epoch").get<int>();
        state.epochsNoImprovement = json.at("epochs_no_improvement").get<int>();
        state.consecutiveNan = json.at("consecutive_nan").get<int>();
        state.optimizerSteps = json.at("optimizer_steps").get<std::uint64_t>();
        const nlohmann::json &progress = json.at("in_progress");
        if (!progress.is_null()) {
            EpochProgress p;
            p.epoch = progress.at("epoch").get<int>();
            p.batchesDone = progress.at("batches_done").get<std::size_t>();
            p.lossSum = progress.at("loss_sum").get<double>();
            p.samples = progress.at("samples").get<std::size_t>();
            p.nanBatches = progress.at("nan_batches").get<std::size_t>();
            p.trainSeconds = progress.at("train_seconds").get<double>();
            state.inProgress = p;
        }
        return state;
    } catch (const nlohmann::json::exception &error) {
        throw std::runtime_error(std::string("damaged trainer state in the checkpoint (")
                                 + error.what() + ").");
    }
}

std::string generatorState()
{
    at::Generator generator = at::detail::getDefaultCPUGenerator();
    at::Tensor bytes;
    {
        std::lock_guard<std::mutex> lock(generator.mutex());
        bytes = generator.get_state();
    }
    static const char digits[] = "0123456789abcdef";
    const auto *data = bytes.data_ptr<std::uint8_t>();
    std::string hex;
    hex.reserve(std::size_t(bytes.numel()) * 2);
    for (std::int64_t i = 0; i < bytes.numel(); ++i) {
        hex.push_back(digits[data[i] >> 4]);
        hex.push_back(digits[data[i] & 15]);
    }
    return hex;
}

void restoreGeneratorState(const std::string &hex)
{
    if (hex.size() % 2 != 0)
        throw std::runtime_error("damaged RNG state in the checkpoint (odd hex length).");
    at::Tensor bytes = torch::empty({std::int64_t(hex.size() / 2)}, torch::kUInt8);
    auto *data = bytes.data_ptr<std::uint8_t>();
    const auto nibble = [](char c) -> int {
        if (c >= '0' && c <= '9')
            return c - '0';
        if (c >= 'a' && c <= 'f')
            return c - 'a' + 10;
        throw std::runtime_error("damaged RNG state in the checkpoint (not hex).");
    };
    for (std::size_t i = 0; i < hex.size() / 2; ++i)
        data[i] = std::uint8_t(nibble(hex[2 * i]) << 4 | nibble(hex[2 * i + 1]));
    at::Generator generator = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(generator.mutex());
    generator.set_state(bytes);
}

} // namespace seplab::train
