#pragma once

#include "audio/io/audio_file.h"

#include <cstdint>
#include <sndfile.h>
#include <string>
#include <vector>

namespace seplab::audio::detail {

// An open, validated libsndfile handle shared by readAudio and AudioStreamReader, so that both
// report the same errors in the same words. Opening checks everything the header can tell
// (missing, unreadable, truncated, empty); reading checks what only the samples can tell
// (NaN/Inf, frames that libsndfile promised but cannot deliver).
class SndFileSource
{
public:
    explicit SndFileSource(std::string path);
    ~SndFileSource();
    SndFileSource(const SndFileSource &) = delete;
    SndFileSource &operator=(const SndFileSource &) = delete;

    const AudioInfo &info() const { return m_info; }
    const std::string &path() const { return m_path; }

    // Throws unless channel is -1 (downmix) or a channel of the file.
    void checkChannel(int channel) const;

    // Mono samples of frames [start, start + count): channel -1 averages all channels.
    std::vector<float> readMono(std::int64_t start, std::int64_t count, int channel);

private:
    void checkNotTruncated() const;
    void seekTo(std::int64_t frame);
    [[noreturn]] void failTruncated(std::int64_t declaredFrames, std::int64_t presentFrames) const;

    std::string m_path;
    SNDFILE *m_file = nullptr;
    SF_INFO m_sfInfo{};
    AudioInfo m_info;
    std::int64_t m_position = 0; // -1 after a failed read: the next read seeks first
};

} // namespace seplab::audio::detail
