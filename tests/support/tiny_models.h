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

// Two transformer layers per intra/inter model would add nothing a test checks; one block of one
// layer keeps every kind of tensor (attention, feed-forward, both LayerNorms, the final norm).
inline nlohmann::json tinySepformerParams()
{
    // Chunks of 50 frames keep the inter-chunk attention short on a 1 s clip (40 chunks).
    return {{"N", 8},
            {"kernel_size", 8},
            {"stride", 4},
            {"num_blocks", 1},
            {"num_layers", 1},
            {"d_model", 8},
            {"nhead", 2},
            {"d_ffn", 16},
            {"chunk_size", 50}};
}

// A 32-point STFT with hop 16 (17 bins, 501 frames a second), one GridNet block with 2-wide
// unfolding of 4 channels (Mamba d_model 8, d_inner 32) and one attention head.
inline nlohmann::json tinySpmambaParams()
{
    return {{"n_fft", 32},
            {"stride", 16},
            {"n_layers", 1},
            {"emb_dim", 4},
            {"emb_ks", 2},
            {"attn_n_head", 1},
            {"attn_approx_qk_dim", 16}};
}

inline nlohmann::json tinyModelParams(const std::string &model)
{
    if (model == "sepformer")
        return tinySepformerParams();
    if (model == "spmamba")
        return tinySpmambaParams();
    return model == "dprnn" ? tinyDprnnParams() : tinyConvTasNetParams();
}

} // namespace seplab::test
