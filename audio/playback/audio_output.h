#pragma once

// Where the transport's samples go: a PortAudio device, or the null output that CI and GPU
// servers without a sound card get. Both call the same render function, so the transport's
// state, position, loop and A/B logic behave identically with either.

#include <cstdint>
#include <memory>
#include <string>

namespace seplab::audio {

// Fills `frames` mono float samples; called from the output's own (real-time) thread.
using RenderFunction = void (*)(void *context, float *out, std::int64_t frames);

class AudioOutput
{
public:
    virtual ~AudioOutput() = default;

    // Starts calling `render` at `sampleRate` when the device accepts it, else at its own
    // default rate; returns the rate it runs at (the caller resamples its tracks to it).
    // Throws std::runtime_error naming the device when it cannot start.
    virtual int start(RenderFunction render, void *context, int sampleRate) = 0;
    // Returns once the render function will not be called again.
    virtual void stop() = 0;
    virtual bool isRunning() const = 0;
    // One line for the status bar: "PortAudio: default (pulse)", "no audio device: null output".
    virtual std::string description() const = 0;
    virtual bool isNull() const { return false; }
    // How long a sample the render function writes takes to come out of the speakers (the
    // stream's output latency), so the playhead can show what is heard rather than what was
    // rendered. 0 until started, and for outputs nobody listens to.
    virtual double outputLatencySeconds() const { return 0.0; }
};

// The first PortAudio default output device, or the null output (clocked in real time) when
// there is none or PortAudio cannot start. SEPLAB_AUDIO_OUTPUT=null forces the null output.
std::unique_ptr<AudioOutput> openDefaultAudioOutput();

} // namespace seplab::audio
