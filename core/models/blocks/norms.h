#pragma once

// The normalisations of the SpeechBrain models (spec models.md §1). "ln" in DPRNN/SepFormer is
// GroupNorm(1, N, eps 1e-8), built with torch::nn::GroupNorm; ConvTasNet uses the two below.

#include <torch/torch.h>

namespace seplab::models {

// SpeechBrain's conv_tasnet works channels-last and stores gamma/beta as [1, 1, C]; SepLab's
// convolutions run channels-first, so these take [B, C, L] and keep SpeechBrain's parameter
// shapes (the state_dict stays interchangeable).

// Global layer norm (gLN): mean and variance over (channel, time) per sample.
class GlobalLayerNormImpl : public torch::nn::Module
{
public:
    GlobalLayerNormImpl(std::int64_t channels, double eps);
    torch::Tensor forward(const torch::Tensor &x);

    torch::Tensor gamma, beta;
    double eps;
};
TORCH_MODULE(GlobalLayerNorm);

// Channel-wise layer norm (cLN): mean and (biased) variance over channels per frame.
class ChannelwiseLayerNormImpl : public torch::nn::Module
{
public:
    ChannelwiseLayerNormImpl(std::int64_t channels, double eps);
    torch::Tensor forward(const torch::Tensor &x);

    torch::Tensor gamma, beta;
    double eps;
};
TORCH_MODULE(ChannelwiseLayerNorm);

torch::nn::GroupNorm makeGroupNorm1(std::int64_t channels, double eps = 1e-8);

} // namespace seplab::models
