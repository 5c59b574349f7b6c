#pragma once

// SPMamba's STFT front end and iSTFT back end (spec models.md §1.4): torch.stft/istft with a
// periodic Hann window as long as the FFT, centred with reflect padding, one-sided, in fp32,
// with the spectrum as (real, imaginary) channels laid out [B, 2, frames, freqs].

#include <ATen/core/Tensor.h>
#include <cstdint>

namespace seplab::models {

// [B, T] -> [B, 2, 1 + T / hop, nFft / 2 + 1]. T must exceed nFft / 2 (reflect padding).
at::Tensor stftFeatures(const at::Tensor &signal, std::int64_t nFft, std::int64_t hop);

// [B, 2, frames, nFft / 2 + 1] -> [B, length], the inverse of stftFeatures.
at::Tensor istftFeatures(const at::Tensor &features,
                         std::int64_t nFft,
                         std::int64_t hop,
                         std::int64_t length);

} // namespace seplab::models
