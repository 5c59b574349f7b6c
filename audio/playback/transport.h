#pragma once

// The GUI-side transport: play, pause, stop, seek, a loop region, mute and solo per track, and
// instant A/B switching between tracks at the same playhead. It keeps the listening state
// (which tracks are audible), turns it into per-track gains, and sends every change to the
// real-time PlaybackEngine as a command. Positions are in frames of the tracks' own rate (the
// rate the GUI draws them at), whatever rate the device runs at.

#include "audio/playback/audio_output.h"
#include "audio/playback/playback_engine.h"

#include <array>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

namespace seplab::audio {

class Transport
{
public:
    // Starts `output` (on the first setTracks). Never throws for a missing device: pass
    // openDefaultAudioOutput(), which falls back to the null output.
    explicit Transport(std::unique_ptr<AudioOutput> output);
    ~Transport();
    Transport(const Transport &) = delete;
    Transport &operator=(const Transport &) = delete;

    // Replaces the tracks (mono, `sampleRate`); resampled once when the device runs at another
    // rate. Stops, rewinds, clears the loop, solo and mute, and makes every track audible.
    // Throws std::invalid_argument for more than kMaxPlaybackTracks tracks or a rate <= 0, and
    // std::runtime_error when the output cannot start.
    void setTracks(std::vector<PlaybackTrack> tracks, int sampleRate);
    int trackCount() const { return int(m_names.size()); }
    const std::string &trackName(int track) const { return m_names.at(std::size_t(track)); }
    int sampleRate() const { return m_trackRate; }
    std::int64_t frames() const { return m_frames; }

    void play();
    void pause();
    void stop();
    void seek(std::int64_t frame);

    // The playhead as the engine last published it: where playback continues from.
    std::int64_t position() const;
    // The frame coming out of the speakers now: while playing, position() less the output's
    // latency, wrapped back into the loop region when the playhead has just wrapped. What the
    // GUI draws, so the cursor matches the sound (Sonic Visualiser's "current playing frame").
    std::int64_t audiblePosition() const;
    TransportState state() const { return m_engine.state(); }

    // [start, end) in frames; end <= start clears it. Clamped to the tracks.
    void setLoop(std::int64_t start, std::int64_t end);
    void clearLoop();
    std::optional<std::pair<std::int64_t, std::int64_t>> loop() const { return m_loop; }

    void setMuted(int track, bool muted);
    void setSoloed(int track, bool soloed);
    bool isMuted(int track) const { return m_muted.at(std::size_t(track)); }
    bool isSoloed(int track) const { return m_soloed.at(std::size_t(track)); }

    // Solo `track` alone: what an A/B button does. The playhead does not move.
    void listenTo(int track);
    // The two tracks the A/B key alternates between, and the switch itself: solo A if B (or
    // anything else) is soloed alone, else B.
    void setAbPair(int a, int b);
    std::pair<int, int> abPair() const { return m_ab; }
    void switchAb();

    // Audible: soloed tracks when any is soloed, else every unmuted one.
    bool isAudible(int track) const;
    // The gain each track plays at: 1/n for the n audible tracks, so that listening to several
    // at once never clips where one alone would not.
    std::array<float, kMaxPlaybackTracks> gains() const;

    const AudioOutput &output() const { return *m_output; }
    // The engine, for outputs driven by hand (tests pull a NullOutput).
    AudioOutput &output() { return *m_output; }

private:
    void send(TransportCommand command);
    void sendGains();
    void checkTrack(int track) const;
    std::int64_t toDevice(std::int64_t frame) const;
    std::int64_t fromDevice(std::int64_t frame) const;
    void releaseRetiredSets();

    std::unique_ptr<AudioOutput> m_output;
    PlaybackEngine m_engine;
    int m_deviceRate = 0;
    int m_trackRate = 0;
    std::int64_t m_frames = 0;
    std::vector<std::string> m_names;
    std::vector<bool> m_muted, m_soloed;
    std::pair<int, int> m_ab{0, 1};
    std::optional<std::pair<std::int64_t, std::int64_t>> m_loop;
    std::unique_ptr<TrackSet> m_current;
    // Sets the engine may still be reading; freed once it publishes a newer one.
    std::vector<std::unique_ptr<TrackSet>> m_retired;
};

} // namespace seplab::audio
