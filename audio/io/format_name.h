#pragma once

#include <string>

namespace seplab::audio::detail {

// A short human-readable name for a libsndfile SF_FORMAT_* value, e.g. "WAV float32" or
// "FLAC PCM16".
std::string formatName(int sfFormat);

// Bytes one sample occupies for the fixed-width encodings, 0 for compressed ones.
int bytesPerSample(int sfFormat);

} // namespace seplab::audio::detail
