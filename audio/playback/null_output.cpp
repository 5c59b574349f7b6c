#include "audio/playback/null_output.h"

#include <chrono>
#include <stdexcept>

namespace seplab::audio {

NullOutput::NullOutput(bool clocked)
    : m_clocked(clocked)
{}

NullOutput::~NullOutput()
{
    stop();
}

int NullOutput::start(RenderFunction render, void *context, int sampleRate)
{
    stop();
    m_render = render;
    m_context = context;
    m_rate = sampleRate;
    m_running = true;
    if (m_clocked) {
        m_clock = std::thread([this] {
            using Clock = std::chrono::steady_clock;
            std::vector<float> block;
            const Clock::time_point begin = Clock::now();
            std::int64_t rendered = 0;
            while (m_running) {
                std::this_thread::sleep_for(std::chrono::milliseconds(10));
                // Render what the elapsed time calls for, so sleep jitter never drifts the clock.
                const double elapsed = std::chrono::duration<double>(Clock::now() - begin).count();
                const std::int64_t due = std::int64_t(elapsed * m_rate) - rendered;
                if (due <= 0)
                    continue;
                block.resize(std::size_t(due));
                m_render(m_context, block.data(), due);
                rendered += due;
            }
        });
    }
    return sampleRate;
}

void NullOutput::stop()
{
    m_running = false;
    if (m_clock.joinable())
        m_clock.join();
}

std::string NullOutput::description() const
{
    return "no audio device: null output";
}

std::vector<float> NullOutput::pull(std::int64_t frames)
{
    if (m_clocked)
        throw std::logic_error("NullOutput::pull: a clocked output renders on its own thread.");
    if (!m_running)
        throw std::logic_error("NullOutput::pull: the output has not been started.");
    std::vector<float> out(std::size_t(std::max<std::int64_t>(frames, 0)));
    m_render(m_context, out.data(), std::int64_t(out.size()));
    return out;
}

} // namespace seplab::audio
