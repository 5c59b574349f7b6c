#pragma once

// Decoded audio kept in memory while it fits a byte budget, shared by the loader threads.
// PolSESS at 8 kHz x 4 s x 16K clips is about 2 GB of float32 per layer, so small and medium
// corpora fit entirely; past the budget files are simply read from disk each time (streamed).
// Random access makes LRU eviction useless, so nothing is evicted: the first files loaded stay.

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace seplab::data {

class AudioCache
{
public:
    explicit AudioCache(std::size_t budgetBytes);
    ~AudioCache();

    // Mono samples of `path` (audio::readAudio, no resampling). Thread-safe. Throws
    // audio::AudioError as readAudio does; `sampleRate` receives the file's rate if non-null.
    std::shared_ptr<const std::vector<float>> load(const std::string &path,
                                                   int *sampleRate = nullptr);

    std::size_t budgetBytes() const;
    std::size_t bytesUsed() const;
    std::size_t hits() const;
    std::size_t misses() const; // reads that went to disk (first loads and over-budget reads)

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace seplab::data
