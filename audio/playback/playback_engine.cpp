#include "audio/playback/playback_engine.h"

#include <algorithm>
#include <cmath>

namespace seplab::audio {

PlaybackEngine::PlaybackEngine(int rampFrames)
    : m_rampFrames(std::max(1, rampFrames))
{}

void PlaybackEngine::apply(const TransportCommand &command)
{
    using Kind = TransportCommand::Kind;
    switch (command.kind) {
    case Kind::Play:
        if (!m_tracks || m_tracks->frames == 0)
            break;
        // Playing from the end starts over, as every player does.
        if (m_position >= m_tracks->frames)
            m_position = m_looping ? m_loopStart : 0;
        m_state = TransportState::Playing;
        break;
    case Kind::Pause:
        if (m_state == TransportState::Playing)
            m_state = TransportState::Paused;
        break;
    case Kind::Stop:
        m_state = TransportState::Stopped;
        m_position = m_looping ? m_loopStart : 0;
        break;
    case Kind::Seek:
        m_position = std::max<std::int64_t>(0, command.first);
        break;
    case Kind::SetLoop:
        m_looping = command.last > command.first;
        m_loopStart = std::max<std::int64_t>(0, command.first);
        m_loopEnd = command.last;
        break;
    case Kind::ClearLoop:
        m_looping = false;
        break;
    case Kind::SetGains:
        m_targetGain = command.gains;
        break;
    case Kind::SetTracks:
        m_tracks = command.tracks;
        // A new set starts from its target gains: there is nothing audible to ramp from.
        m_targetGain = command.gains;
        m_gain = command.gains;
        break;
    }
    clampToTracks();
}

void PlaybackEngine::clampToTracks()
{
    const std::int64_t frames = m_tracks ? m_tracks->frames : 0;
    m_position = std::min(m_position, frames);
    if (m_looping) {
        m_loopEnd = std::min(m_loopEnd, frames);
        if (m_loopStart >= m_loopEnd)
            m_looping = false;
    }
}

float PlaybackEngine::mixFrame(std::int64_t frame)
{
    float sum = 0.0f;
    const int count = std::min<int>(int(m_tracks->tracks.size()), kMaxPlaybackTracks);
    const float step = 1.0f / float(m_rampFrames);
    for (int i = 0; i < count; ++i) {
        float &gain = m_gain[std::size_t(i)];
        const float target = m_targetGain[std::size_t(i)];
        if (gain != target)
            gain = gain < target ? std::min(target, gain + step) : std::max(target, gain - step);
        const std::vector<float> &samples = m_tracks->tracks[std::size_t(i)].samples;
        if (gain != 0.0f && frame < std::int64_t(samples.size()))
            sum += gain * samples[std::size_t(frame)];
    }
    return sum;
}

void PlaybackEngine::render(float *out, std::int64_t frames)
{
    TransportCommand command;
    while (m_commands.pop(command))
        apply(command);

    // Nothing sounds while stopped or paused, so there is no click to ramp away: gains jump.
    if (m_state != TransportState::Playing)
        m_gain = m_targetGain;

    std::int64_t written = 0;
    if (m_state == TransportState::Playing && m_tracks) {
        // A loop region keeps the playhead inside it, wherever a seek left it.
        if (m_looping && (m_position < m_loopStart || m_position >= m_loopEnd))
            m_position = m_loopStart;
        for (; written < frames; ++written) {
            if (m_looping && m_position >= m_loopEnd)
                m_position = m_loopStart;
            if (m_position >= m_tracks->frames) {
                m_state = TransportState::Stopped;
                m_position = 0;
                break;
            }
            out[written] = mixFrame(m_position++);
        }
    }
    std::fill(out + written, out + frames, 0.0f);

    m_publishedPosition.store(m_position, std::memory_order_release);
    m_publishedState.store(int(m_state), std::memory_order_release);
    m_publishedTracks.store(m_tracks, std::memory_order_release);
}

} // namespace seplab::audio
