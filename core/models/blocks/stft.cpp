#include "core/models/blocks/stft.h"

#include <torch/torch.h>

namespace seplab::models {

namespace {

at::Tensor hann(std::int64_t nFft, const at::Tensor &like)
{
    // torch.hann_window's default is periodic, which the original relies on.
    return torch::hann_window(nFft,
                              /*periodic=*/true,
                              torch::TensorOptions().dtype(at::kFloat).device(like.device()));
}

} // namespace

at::Tensor stftFeatures(const at::Tensor &signal, std::int64_t nFft, std::int64_t hop)
{
    const at::Tensor x = signal.to(at::kFloat);
    const at::Tensor spectrum = torch::stft(x,
                                            nFft,
                                            hop,
                                            nFft,
                                            hann(nFft, x),
                                            /*center=*/true,
                                            "reflect",
                                            /*normalized=*/false,
                                            /*onesided=*/true,
                                            /*return_complex=*/true); // [B, F, T]
    return torch::stack({torch::real(spectrum), torch::imag(spectrum)}, 1).transpose(2, 3);
}

at::Tensor istftFeatures(const at::Tensor &features,
                         std::int64_t nFft,
                         std::int64_t hop,
                         std::int64_t length)
{
    // torch.complex has no bf16 (or fp16 on the CPU); the original casts to fp32 first.
    const at::Tensor f = features.to(at::kFloat);
    const at::Tensor spectrum = torch::complex(f.select(1, 0), f.select(1, 1)).transpose(1, 2);
    return torch::istft(spectrum,
                        nFft,
                        hop,
                        nFft,
                        hann(nFft, f),
                        /*center=*/true,
                        /*normalized=*/false,
                        /*onesided=*/true,
                        length);
}

} // namespace seplab::models
