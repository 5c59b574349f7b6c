#pragma once

// SpeechBrain's dual_path Encoder and Decoder, which all three time-domain models use
// (spec models.md §0). The encoder's stride is always kernel/2, whatever the config says; the
// decoder uses the configured stride, so a config whose stride differs from kernel/2 is refused
// rather than silently producing the wrong length.

#include <torch/torch.h>

namespace seplab::models {

// Conv1d(1 -> N, kernel k, stride k/2, no bias) + ReLU: [B, T] -> [B, N, L].
class DualPathEncoderImpl : public torch::nn::Module
{
public:
    DualPathEncoderImpl(std::int64_t channels, std::int64_t kernelSize);
    torch::Tensor forward(const torch::Tensor &mixture);

    torch::nn::Conv1d conv1d{nullptr};
};
TORCH_MODULE(DualPathEncoder);

// ConvTranspose1d(N -> 1, kernel k, stride, no bias): [B, N, L] -> [B, T'], T' = (L-1) stride + k.
class DualPathDecoderImpl : public torch::nn::ConvTranspose1dImpl
{
public:
    DualPathDecoderImpl(std::int64_t channels, std::int64_t kernelSize, std::int64_t stride);
    torch::Tensor decode(const torch::Tensor &frames);
};
TORCH_MODULE(DualPathDecoder);

// Pads with zeros or trims estimates [B, C, T'] to `length` samples, as the SpeechBrain recipes
// do when T' differs from the mixture's T.
torch::Tensor matchLength(const torch::Tensor &estimates, std::int64_t length);

} // namespace seplab::models
