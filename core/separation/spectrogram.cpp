#include "core/separation/spectrogram.h"

#include <stdexcept>
#include <string>
#include <torch/torch.h>

namespace seplab::separation {

Spectrogram computeSpectrogram(const std::vector<float> &samples,
                               int sampleRate,
                               int fftSize,
                               int hop)
{
    if (fftSize < 2 || (fftSize & (fftSize - 1)) != 0)
        throw std::invalid_argument(
            "spectrogram: the FFT size must be a power of two of 2 or more, got "
            + std::to_string(fftSize) + ".");
    if (hop < 1 || hop > fftSize)
        throw std::invalid_argument("spectrogram: the hop must be between 1 and the FFT size ("
                                    + std::to_string(fftSize) + "), got " + std::to_string(hop)
                                    + ".");
    if (std::int64_t(samples.size()) <= fftSize / 2)
        throw std::invalid_argument("spectrogram: " + std::to_string(samples.size())
                                    + " samples are too few for an FFT of "
                                    + std::to_string(fftSize) + ".");
    const at::Tensor signal = torch::from_blob(const_cast<float *>(samples.data()),
                                               {std::int64_t(samples.size())},
                                               torch::kFloat);
    const at::Tensor window = torch::hann_window(fftSize,
                                                 torch::TensorOptions().dtype(torch::kFloat));
    // [bins, frames] complex; centred with reflect padding, as torch.stft by default.
    const at::Tensor stft = torch::stft(signal,
                                        fftSize,
                                        hop,
                                        fftSize,
                                        window,
                                        /*center=*/true,
                                        /*pad_mode=*/"reflect",
                                        /*normalized=*/false,
                                        /*onesided=*/true,
                                        /*return_complex=*/true);
    // 1e-5 (-100 dB) floors digital silence so the picture has no -inf.
    const at::Tensor db = (20.0 * torch::log10(stft.abs().clamp_min(1e-5))).t().contiguous();

    Spectrogram result;
    result.bins = int(db.size(1));
    result.frames = int(db.size(0));
    result.hop = hop;
    result.sampleRate = sampleRate;
    result.db.assign(db.data_ptr<float>(), db.data_ptr<float>() + db.numel());
    result.maxDb = db.max().item<float>();
    return result;
}

} // namespace seplab::separation
