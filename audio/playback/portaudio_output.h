#pragma once

// PortAudio's default output device, mono float32, in callback mode (the callback only calls the
// render function: no locks, no allocation, as portaudio.h requires).

#include "audio/playback/audio_output.h"

namespace seplab::audio {

class PortAudioOutput : public AudioOutput
{
public:
    // Null when PortAudio finds no output device (a normal state on servers and in CI).
    static std::unique_ptr<PortAudioOutput> openDefault();
    ~PortAudioOutput() override;

    int start(RenderFunction render, void *context, int sampleRate) override;
    void stop() override;
    bool isRunning() const override { return m_stream != nullptr; }
    std::string description() const override { return m_description; }
    double outputLatencySeconds() const override { return m_latencySeconds; }

private:
    PortAudioOutput(int device, std::string description);
    friend struct PortAudioCallback;

    int m_device = -1;
    std::string m_description;
    void *m_stream = nullptr; // PaStream*, kept out of this header
    RenderFunction m_render = nullptr;
    void *m_context = nullptr;
    double m_latencySeconds = 0.0;
};

} // namespace seplab::audio
