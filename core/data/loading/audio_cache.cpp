#include "core/data/loading/audio_cache.h"

#include "audio/io/audio_file.h"

#include <mutex>
#include <unordered_map>

namespace seplab::data {

namespace {

struct Entry
{
    std::shared_ptr<const std::vector<float>> samples;
    int sampleRate = 0;
};

} // namespace

struct AudioCache::Impl
{
    explicit Impl(std::size_t budget)
        : budgetBytes(budget)
    {}

    const std::size_t budgetBytes;
    mutable std::mutex mutex;
    std::unordered_map<std::string, Entry> entries;
    std::size_t bytesUsed = 0;
    std::size_t hits = 0;
    std::size_t misses = 0;
};

AudioCache::AudioCache(std::size_t budgetBytes)
    : m_impl(std::make_unique<Impl>(budgetBytes))
{}

AudioCache::~AudioCache() = default;

std::shared_ptr<const std::vector<float>> AudioCache::load(const std::string &path, int *sampleRate)
{
    {
        std::lock_guard<std::mutex> lock(m_impl->mutex);
        const auto found = m_impl->entries.find(path);
        if (found != m_impl->entries.end()) {
            ++m_impl->hits;
            if (sampleRate)
                *sampleRate = found->second.sampleRate;
            return found->second.samples;
        }
    }

    // Decoded without the lock: the loader threads read different files at the same time, and
    // holding the lock here would serialise them all on the disk.
    audio::Audio decoded = audio::readAudio(path);
    Entry entry{std::make_shared<const std::vector<float>>(std::move(decoded.samples)),
                decoded.sampleRate};
    const std::size_t bytes = entry.samples->size() * sizeof(float);

    std::lock_guard<std::mutex> lock(m_impl->mutex);
    ++m_impl->misses;
    const auto found = m_impl->entries.find(path);
    if (found != m_impl->entries.end()) {
        // Another thread decoded the same file meanwhile and inserted it first: hand out its
        // copy, so every caller shares one buffer and its bytes are counted once.
        entry = found->second;
    } else if (bytes <= m_impl->budgetBytes - m_impl->bytesUsed) {
        m_impl->entries.emplace(path, entry);
        m_impl->bytesUsed += bytes;
    }
    if (sampleRate)
        *sampleRate = entry.sampleRate;
    return entry.samples;
}

std::size_t AudioCache::budgetBytes() const
{
    return m_impl->budgetBytes;
}

std::size_t AudioCache::bytesUsed() const
{
    std::lock_guard<std::mutex> lock(m_impl->mutex);
    return m_impl->bytesUsed;
}

std::size_t AudioCache::hits() const
{
    std::lock_guard<std::mutex> lock(m_impl->mutex);
    return m_impl->hits;
}

std::size_t AudioCache::misses() const
{
    std::lock_guard<std::mutex> lock(m_impl->mutex);
    return m_impl->misses;
}

} // namespace seplab::data
