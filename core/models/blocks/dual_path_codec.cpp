#include "core/models/blocks/dual_path_codec.h"

namespace seplab::models {

DualPathEncoderImpl::DualPathEncoderImpl(std::int64_t channels, std::int64_t kernelSize)
{
    conv1d = register_module("conv1d",
                             torch::nn::Conv1d(torch::nn::Conv1dOptions(1, channels, kernelSize)
                                                   .stride(kernelSize / 2)
                                                   .bias(false)));
}

torch::Tensor DualPathEncoderImpl::forward(const torch::Tensor &mixture)
{
    return torch::relu(conv1d->forward(mixture.unsqueeze(1)));
}

DualPathDecoderImpl::DualPathDecoderImpl(std::int64_t channels,
                                         std::int64_t kernelSize,
                                         std::int64_t stride)
    : torch::nn::ConvTranspose1dImpl(
        torch::nn::ConvTranspose1dOptions(channels, 1, kernelSize).stride(stride).bias(false))
{}

torch::Tensor DualPathDecoderImpl::decode(const torch::Tensor &frames)
{
    return forward(frames).squeeze(1);
}

torch::Tensor matchLength(const torch::Tensor &estimates, std::int64_t length)
{
    const std::int64_t have = estimates.size(-1);
    if (have == length)
        return estimates;
    if (have > length)
        return estimates.slice(-1, 0, length);
    namespace F = torch::nn::functional;
    return F::pad(estimates, F::PadFuncOptions({0, length - have}));
}

} // namespace seplab::models
