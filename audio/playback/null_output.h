#pragma once

// The output of a machine without a sound card. Clocked, a thread renders in real time (in
// 10 ms blocks) and discards the samples, so the playhead moves as it would on a device;
// unclocked, nothing runs until pull() is called, which makes transport tests deterministic.

#include "audio/playback/audio_output.h"

#include <atomic>
#include <thread>
#include <vector>

namespace seplab::audio {

class NullOutput : public AudioOutput
{
public:
    explicit NullOutput(bool clocked = false);
    ~NullOutput() override;

    int start(RenderFunction render, void *context, int sampleRate) override;
    void stop() override;
    bool isRunning() const override { return m_running; }
    std::string description() const override;
    bool isNull() const override { return true; }

    // Unclocked only: renders `frames` samples now, as one device callback would, and returns
    // them. Throws std::logic_error when clocked or not started.
    std::vector<float> pull(std::int64_t frames);

private:
    const bool m_clocked;
    RenderFunction m_render = nullptr;
    void *m_context = nullptr;
    int m_rate = 0;
    std::atomic<bool> m_running{false};
    std::thread m_clock;
};

} // namespace seplab::audio
