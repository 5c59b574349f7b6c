#pragma once

// The real-time half of the transport: it runs inside the audio callback, so it never locks,
// allocates or frees. Everything the GUI changes arrives as a command through a wait-free SPSC
// ring and is applied at the start of the next callback, which makes every change (play, seek,
// loop, A/B) take effect within one device buffer. Tracks are immutable buffers owned by the
// GUI side and handed over by pointer; the engine publishes which set it is reading so the
// owner knows when an old set may be freed.

#include "audio/playback/spsc_ring.h"

#include <array>
#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

namespace seplab::audio {

// At most this many tracks play together: mixture, two references and two estimates of up to
// five trials is 13.
constexpr int kMaxPlaybackTracks = 16;

struct PlaybackTrack
{
    std::string name;
    std::vector<float> samples; // mono, at the set's rate
};

// One immutable set of tracks at one rate; frames = the longest track.
struct TrackSet
{
    std::vector<PlaybackTrack> tracks;
    int sampleRate = 0;
    std::int64_t frames = 0;
};

enum class TransportState : int { Stopped, Playing, Paused };

struct TransportCommand
{
    enum class Kind : std::uint8_t {
        Play,
        Pause,
        Stop,
        Seek,
        SetLoop,
        ClearLoop,
        SetGains,
        SetTracks
    };
    Kind kind = Kind::Stop;
    std::int64_t first = 0; // Seek: the frame; SetLoop: the start
    std::int64_t last = 0;  // SetLoop: the end (exclusive)
    const TrackSet *tracks = nullptr;
    std::array<float, kMaxPlaybackTracks> gains{};
};

class PlaybackEngine
{
public:
    // Gain changes (mute, solo, A/B) are ramped linearly over this many frames so a switch
    // between tracks never clicks; 5 ms at the output rate (webMUSHRA's switching behaviour).
    explicit PlaybackEngine(int rampFrames = 40);

    // GUI side: false when the command queue is full (the GUI retries on its next tick).
    bool send(const TransportCommand &command) { return m_commands.push(command); }

    // Audio side: applies pending commands, then writes `frames` mono samples to `out` (silence
    // unless playing) and advances the playhead, wrapping inside the loop region, or stopping
    // and rewinding at the end of the longest track.
    void render(float *out, std::int64_t frames);

    // Published by render for the GUI.
    std::int64_t position() const { return m_publishedPosition.load(std::memory_order_acquire); }
    TransportState state() const
    {
        return TransportState(m_publishedState.load(std::memory_order_acquire));
    }
    const TrackSet *tracksInUse() const
    {
        return m_publishedTracks.load(std::memory_order_acquire);
    }
    int rampFrames() const { return m_rampFrames; }

    // The engine's own callback-side playback function, in the shape audio outputs call.
    static void renderCallback(void *engine, float *out, std::int64_t frames)
    {
        static_cast<PlaybackEngine *>(engine)->render(out, frames);
    }

private:
    void apply(const TransportCommand &command);
    void clampToTracks();
    float mixFrame(std::int64_t frame);

    SpscRing<TransportCommand, 256> m_commands;
    const int m_rampFrames;

    // Callback-side state: touched only inside render().
    const TrackSet *m_tracks = nullptr;
    TransportState m_state = TransportState::Stopped;
    std::int64_t m_position = 0;
    bool m_looping = false;
    std::int64_t m_loopStart = 0, m_loopEnd = 0;
    std::array<float, kMaxPlaybackTracks> m_gain{};
    std::array<float, kMaxPlaybackTracks> m_targetGain{};

    std::atomic<std::int64_t> m_publishedPosition{0};
    std::atomic<int> m_publishedState{int(TransportState::Stopped)};
    std::atomic<const TrackSet *> m_publishedTracks{nullptr};
};

} // namespace seplab::audio
