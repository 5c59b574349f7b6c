#include "audio/playback/transport.h"

#include "audio/dsp/resample.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <stdexcept>
#include <string>
#include <thread>

namespace seplab::audio {

Transport::Transport(std::unique_ptr<AudioOutput> output)
    : m_output(std::move(output))
    , m_engine(40)
{}

Transport::~Transport()
{
    // The output's thread must be gone before the engine and the track sets it reads.
    m_output->stop();
}

void Transport::send(TransportCommand command)
{
    // The engine drains the queue every device buffer; a full queue means a burst of edits
    // between two callbacks, so wait a little for it rather than dropping a user's action.
    for (int attempt = 0; !m_engine.send(command); ++attempt) {
        if (attempt == 200 || !m_output->isRunning())
            throw std::runtime_error("playback: " + m_output->description()
                                     + " is not taking commands.");
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    releaseRetiredSets();
}

void Transport::releaseRetiredSets()
{
    if (!m_retired.empty() && m_engine.tracksInUse() == m_current.get())
        m_retired.clear();
}

std::int64_t Transport::toDevice(std::int64_t frame) const
{
    if (m_deviceRate == m_trackRate || m_trackRate == 0)
        return frame;
    return (frame * m_deviceRate + m_trackRate / 2) / m_trackRate;
}

std::int64_t Transport::fromDevice(std::int64_t frame) const
{
    if (m_deviceRate == m_trackRate || m_deviceRate == 0)
        return frame;
    return (frame * m_trackRate + m_deviceRate / 2) / m_deviceRate;
}

void Transport::setTracks(std::vector<PlaybackTrack> tracks, int sampleRate)
{
    if (sampleRate <= 0)
        throw std::invalid_argument("playback: the tracks' sample rate must be positive, got "
                                    + std::to_string(sampleRate) + ".");
    if (tracks.size() > std::size_t(kMaxPlaybackTracks))
        throw std::invalid_argument("playback: " + std::to_string(tracks.size())
                                    + " tracks, but at most " + std::to_string(kMaxPlaybackTracks)
                                    + " play together.");
    if (!m_output->isRunning() || sampleRate != m_trackRate) {
        m_output->stop();
        m_deviceRate = m_output->start(&PlaybackEngine::renderCallback, &m_engine, sampleRate);
    }
    m_trackRate = sampleRate;

    auto set = std::make_unique<TrackSet>();
    set->sampleRate = m_deviceRate;
    m_names.clear();
    m_frames = 0;
    for (PlaybackTrack &track : tracks) {
        m_names.push_back(track.name);
        m_frames = std::max<std::int64_t>(m_frames, std::int64_t(track.samples.size()));
        if (m_deviceRate != sampleRate)
            track.samples = resample(track.samples,
                                     sampleRate,
                                     m_deviceRate,
                                     ResampleQuality::Medium);
        set->frames = std::max<std::int64_t>(set->frames, std::int64_t(track.samples.size()));
        set->tracks.push_back(std::move(track));
    }
    m_muted.assign(m_names.size(), false);
    m_soloed.assign(m_names.size(), false);
    m_ab = {0, std::min(1, std::max(0, trackCount() - 1))};
    m_loop.reset();

    send({TransportCommand::Kind::Stop});
    send({TransportCommand::Kind::ClearLoop});
    TransportCommand replace{TransportCommand::Kind::SetTracks};
    replace.tracks = set.get();
    replace.gains = gains();
    if (m_current)
        m_retired.push_back(std::move(m_current));
    m_current = std::move(set);
    send(replace);
    send({TransportCommand::Kind::Seek, 0});
}

void Transport::play()
{
    send({TransportCommand::Kind::Play});
}

void Transport::pause()
{
    send({TransportCommand::Kind::Pause});
}

void Transport::stop()
{
    send({TransportCommand::Kind::Stop});
}

void Transport::seek(std::int64_t frame)
{
    send({TransportCommand::Kind::Seek, toDevice(std::clamp<std::int64_t>(frame, 0, m_frames))});
}

std::int64_t Transport::position() const
{
    return std::min(m_frames, fromDevice(m_engine.position()));
}

std::int64_t Transport::audiblePosition() const
{
    const std::int64_t now = position();
    if (state() != TransportState::Playing)
        return now;
    const auto delay = std::int64_t(std::llround(m_output->outputLatencySeconds() * m_trackRate));
    const std::int64_t heard = now - delay;
    if (m_loop && now >= m_loop->first && now < m_loop->second) {
        const std::int64_t length = m_loop->second - m_loop->first;
        return m_loop->first + ((heard - m_loop->first) % length + length) % length;
    }
    return std::max<std::int64_t>(0, heard);
}

void Transport::setLoop(std::int64_t start, std::int64_t end)
{
    start = std::clamp<std::int64_t>(start, 0, m_frames);
    end = std::clamp<std::int64_t>(end, 0, m_frames);
    if (end <= start) {
        clearLoop();
        return;
    }
    m_loop = std::make_pair(start, end);
    send({TransportCommand::Kind::SetLoop, toDevice(start), toDevice(end)});
}

void Transport::clearLoop()
{
    m_loop.reset();
    send({TransportCommand::Kind::ClearLoop});
}

void Transport::checkTrack(int track) const
{
    if (track < 0 || track >= trackCount())
        throw std::out_of_range("playback: there is no track " + std::to_string(track) + " of "
                                + std::to_string(trackCount()) + ".");
}

void Transport::setMuted(int track, bool muted)
{
    checkTrack(track);
    m_muted[std::size_t(track)] = muted;
    sendGains();
}

void Transport::setSoloed(int track, bool soloed)
{
    checkTrack(track);
    m_soloed[std::size_t(track)] = soloed;
    sendGains();
}

void Transport::listenTo(int track)
{
    checkTrack(track);
    std::fill(m_soloed.begin(), m_soloed.end(), false);
    m_soloed[std::size_t(track)] = true;
    sendGains();
}

void Transport::setAbPair(int a, int b)
{
    checkTrack(a);
    checkTrack(b);
    m_ab = {a, b};
}

void Transport::switchAb()
{
    const bool onlyA = m_soloed[std::size_t(m_ab.first)]
                       && std::count(m_soloed.begin(), m_soloed.end(), true) == 1;
    listenTo(onlyA ? m_ab.second : m_ab.first);
}

bool Transport::isAudible(int track) const
{
    checkTrack(track);
    const bool anySolo = std::find(m_soloed.begin(), m_soloed.end(), true) != m_soloed.end();
    return anySolo ? bool(m_soloed[std::size_t(track)]) : !m_muted[std::size_t(track)];
}

std::array<float, kMaxPlaybackTracks> Transport::gains() const
{
    std::array<float, kMaxPlaybackTracks> result{};
    int audible = 0;
    for (int i = 0; i < trackCount(); ++i)
        audible += isAudible(i) ? 1 : 0;
    for (int i = 0; i < trackCount(); ++i)
        result[std::size_t(i)] = isAudible(i) ? 1.0f / float(audible) : 0.0f;
    return result;
}

void Transport::sendGains()
{
    TransportCommand command{TransportCommand::Kind::SetGains};
    command.gains = gains();
    send(command);
}

} // namespace seplab::audio
