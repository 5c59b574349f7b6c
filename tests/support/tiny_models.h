#pragma once

// Hyperparameters of models small enough that a test builds, runs and round-trips them in
// milliseconds, while keeping every kind of layer of the baseline (two dual-path layers, two
// TCN repeats).

#include <nlohmann/json.hpp>
#include <string>

namespace seplab::test {

inline nlohmann::json tinyDprnnParams()
{
    return {{"N", 8},
            {"kernel_size", 4},
            {"stride", 2},
            {"num_layers", 2},
            {"chunk_size", 10},
            {"hidden_size", 8}};
}

inline nlohmann::json tinyConvTasNetParams()
{
    return {{"N", 8},
            {"B", 4},
            {"H", 8},
            {"P", 3},
            {"X", 2},
            {"R", 2},
            {"kernel_size", 4},
            {"stride", 2}};
}

inline nlohmann::json tinyModelParams(const std::string &model)
{
    return model == "dprnn" ? tinyDprnnParams() : tinyConvTasNetParams();
}

} // namespace seplab::test
