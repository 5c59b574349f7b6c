#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace seplab::audio {

// What libsndfile reports about a file, without decoding its samples.
struct AudioInfo
{
    int sampleRate = 0;
    int channels = 0;
    std::int64_t frames = 0;
    std::string format; // human-readable, e.g. "WAV float32" or "FLAC PCM16"

    double seconds() const { return sampleRate > 0 ? double(frames) / sampleRate : 0.0; }
};

// Mono float32 samples in [-1, 1] (for PCM sources) at a known rate.
struct Audio
{
    std::vector<float> samples;
    int sampleRate = 0;
};

struct ReadOptions
{
    // -1 averages all channels into one; 0..channels-1 takes that channel alone.
    int channel = -1;
    // 0 keeps the file's rate; otherwise the samples are resampled (libsamplerate) to this rate.
    int targetRate = 0;
};

enum class SampleFormat { Float32, Pcm16 };

// Throws AudioError for a missing, unreadable, truncated or empty file, an unsupported format,
// a channel index out of range, or any NaN/Inf sample.
AudioInfo probeAudio(const std::string &path);
Audio readAudio(const std::string &path, const ReadOptions &options = {});

// Writes a WAV file atomically (temporary file in the same folder, then rename), so a crash
// never leaves a half-written file under the final name. `interleaved` holds frames*channels
// samples. PCM16 clips to [-1, 1]. Throws AudioError on failure.
void writeWav(const std::string &path,
              const std::vector<float> &interleaved,
              int channels,
              int sampleRate,
              SampleFormat format = SampleFormat::Float32);
void writeWav(const std::string &path,
              const Audio &audio,
              SampleFormat format = SampleFormat::Float32);

} // namespace seplab::audio
