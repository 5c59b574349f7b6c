#pragma once

// The log-magnitude spectrogram the Audition panel draws under each waveform. LibTorch's STFT
// (periodic Hann window, centred frames with reflect padding, as torch.stft's defaults), so the
// picture is the same transform the models and metrics see. Torch-free header.

#include <cstdint>
#include <vector>

namespace seplab::separation {

struct Spectrogram
{
    int frames = 0; // STFT frames: 1 + samples / hop (centred)
    int bins = 0;   // fftSize / 2 + 1, from 0 Hz to Nyquist
    int hop = 0;    // samples between frames
    int sampleRate = 0;
    std::vector<float> db; // frames * bins, frame-major: db[frame * bins + bin], 20 log10 |X|
    float maxDb = 0.0f;    // the loudest cell, for the colour scale

    float at(int frame, int bin) const
    {
        return db[std::size_t(frame) * std::size_t(bins) + std::size_t(bin)];
    }
};

// Throws std::invalid_argument for an fftSize below 2 or not a power of two, a hop outside
// [1, fftSize], or a signal shorter than fftSize / 2 + 1 samples (reflect padding needs that).
Spectrogram computeSpectrogram(const std::vector<float> &samples,
                               int sampleRate,
                               int fftSize = 256,
                               int hop = 64);

} // namespace seplab::separation
