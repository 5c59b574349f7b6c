#pragma once

#include "audio/io/audio_file.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace seplab::audio {

// Reads frame ranges of a file without loading the whole file: the loader crops training
// excerpts and Audition scrolls long recordings through it. Not thread-safe; use one reader
// per thread.
class AudioStreamReader
{
public:
    // channel: -1 downmixes all channels, otherwise selects one (AudioError if out of range).
    explicit AudioStreamReader(const std::string &path, int channel = -1);
    ~AudioStreamReader();
    AudioStreamReader(const AudioStreamReader &) = delete;
    AudioStreamReader &operator=(const AudioStreamReader &) = delete;

    const AudioInfo &info() const;
    const std::string &path() const;

    // Mono samples of frames [start, start + count). A range that leaves the file, or a NaN/Inf
    // sample inside it, throws AudioError naming the file.
    std::vector<float> read(std::int64_t start, std::int64_t count);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace seplab::audio
