#include "audio/io/audio_stream_reader.h"

#include "audio/io/sndfile_source.h"

namespace seplab::audio {

struct AudioStreamReader::Impl
{
    Impl(const std::string &path, int channel)
        : source(path)
        , channel(channel)
    {
        source.checkChannel(channel);
    }

    detail::SndFileSource source;
    int channel;
};

AudioStreamReader::AudioStreamReader(const std::string &path, int channel)
    : m_impl(std::make_unique<Impl>(path, channel))
{}

AudioStreamReader::~AudioStreamReader() = default;

const AudioInfo &AudioStreamReader::info() const
{
    return m_impl->source.info();
}

const std::string &AudioStreamReader::path() const
{
    return m_impl->source.path();
}

std::vector<float> AudioStreamReader::read(std::int64_t start, std::int64_t count)
{
    return m_impl->source.readMono(start, count, m_impl->channel);
}

} // namespace seplab::audio
