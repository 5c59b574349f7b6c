#pragma once

#include <vector>

namespace seplab::audio {

enum class ResampleQuality {
    Best,   // libsamplerate SRC_SINC_BEST_QUALITY (default: offline corpus preparation)
    Medium, // SRC_SINC_MEDIUM_QUALITY
    Fast    // SRC_SINC_FASTEST
};

// Band-limited sample-rate conversion of a mono signal with libsamplerate. The output has
// round(in.size() * toRate / fromRate) samples. Equal rates return the input unchanged.
// Throws AudioError (naming the rates) for non-positive rates or a libsamplerate failure.
std::vector<float> resample(const std::vector<float> &in,
                            int fromRate,
                            int toRate,
                            ResampleQuality quality = ResampleQuality::Best);

} // namespace seplab::audio
