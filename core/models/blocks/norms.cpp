#include "core/models/blocks/norms.h"

namespace seplab::models {

GlobalLayerNormImpl::GlobalLayerNormImpl(std::int64_t channels, double eps)
    : eps(eps)
{
    gamma = register_parameter("gamma", torch::ones({1, 1, channels}));
    beta = register_parameter("beta", torch::zeros({1, 1, channels}));
}

torch::Tensor GlobalLayerNormImpl::forward(const torch::Tensor &x)
{
    const torch::Tensor mean = x.mean({1, 2}, /*keepdim=*/true);
    const torch::Tensor var = (x - mean).pow(2).mean({1, 2}, /*keepdim=*/true);
    return gamma.view({1, -1, 1}) * (x - mean) / torch::sqrt(var + eps) + beta.view({1, -1, 1});
}

ChannelwiseLayerNormImpl::ChannelwiseLayerNormImpl(std::int64_t channels, double eps)
    : eps(eps)
{
    gamma = register_parameter("gamma", torch::ones({1, 1, channels}));
    beta = register_parameter("beta", torch::zeros({1, 1, channels}));
}

torch::Tensor ChannelwiseLayerNormImpl::forward(const torch::Tensor &x)
{
    const torch::Tensor mean = x.mean(1, /*keepdim=*/true);
    // Biased variance, as SpeechBrain's ChannelwiseLayerNorm computes it.
    const torch::Tensor var = (x - mean).pow(2).mean(1, /*keepdim=*/true);
    return gamma.view({1, -1, 1}) * (x - mean) / torch::sqrt(var + eps) + beta.view({1, -1, 1});
}

torch::nn::GroupNorm makeGroupNorm1(std::int64_t channels, double eps)
{
    return torch::nn::GroupNorm(torch::nn::GroupNormOptions(1, channels).eps(eps));
}

} // namespace seplab::models
