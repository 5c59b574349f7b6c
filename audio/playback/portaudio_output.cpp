#include "audio/playback/portaudio_output.h"

#include "audio/playback/null_output.h"

#include <cstdlib>
#include <cstring>
#include <portaudio.h>
#include <stdexcept>

namespace seplab::audio {

namespace {

// Pa_Initialize and Pa_Terminate must pair; one per output object keeps that simple.
bool initialisePortAudio()
{
    return Pa_Initialize() == paNoError;
}

} // namespace

struct PortAudioCallback
{
    static int run(const void *,
                   void *output,
                   unsigned long frames,
                   const PaStreamCallbackTimeInfo *,
                   PaStreamCallbackFlags,
                   void *self)
    {
        auto *device = static_cast<PortAudioOutput *>(self);
        device->m_render(device->m_context, static_cast<float *>(output), std::int64_t(frames));
        return paContinue;
    }
};

std::unique_ptr<PortAudioOutput> PortAudioOutput::openDefault()
{
    if (!initialisePortAudio())
        return nullptr;
    const PaDeviceIndex device = Pa_GetDefaultOutputDevice();
    const PaDeviceInfo *info = device == paNoDevice ? nullptr : Pa_GetDeviceInfo(device);
    if (!info) {
        Pa_Terminate();
        return nullptr;
    }
    const PaHostApiInfo *host = Pa_GetHostApiInfo(info->hostApi);
    std::string description = std::string("PortAudio: ") + info->name;
    if (host)
        description += std::string(" (") + host->name + ")";
    return std::unique_ptr<PortAudioOutput>(new PortAudioOutput(device, description));
}

PortAudioOutput::PortAudioOutput(int device, std::string description)
    : m_device(device)
    , m_description(std::move(description))
{}

PortAudioOutput::~PortAudioOutput()
{
    stop();
    Pa_Terminate();
}

int PortAudioOutput::start(RenderFunction render, void *context, int sampleRate)
{
    stop();
    m_render = render;
    m_context = context;
    const PaDeviceInfo *info = Pa_GetDeviceInfo(m_device);
    PaStreamParameters parameters;
    std::memset(&parameters, 0, sizeof parameters);
    parameters.device = m_device;
    parameters.channelCount = 1;
    parameters.sampleFormat = paFloat32;
    parameters.suggestedLatency = info->defaultLowOutputLatency;
    // The model's rate (8 kHz) when the device takes it; otherwise the device's own rate, and
    // the caller resamples once (Sonic Visualiser's policy, workbench.md §2.8).
    int rate = sampleRate;
    if (Pa_IsFormatSupported(nullptr, &parameters, rate) != paFormatIsSupported)
        rate = int(info->defaultSampleRate);
    PaStream *stream = nullptr;
    PaError error = Pa_OpenStream(&stream,
                                  nullptr,
                                  &parameters,
                                  rate,
                                  paFramesPerBufferUnspecified,
                                  paNoFlag,
                                  &PortAudioCallback::run,
                                  this);
    if (error == paNoError) {
        error = Pa_StartStream(stream);
        if (error != paNoError)
            Pa_CloseStream(stream);
    }
    if (error != paNoError)
        throw std::runtime_error(m_description + ": cannot start playback at "
                                 + std::to_string(rate) + " Hz (" + Pa_GetErrorText(error) + ").");
    m_stream = stream;
    // What the host API settled on, which may differ from the suggested latency.
    const PaStreamInfo *streamInfo = Pa_GetStreamInfo(stream);
    m_latencySeconds = streamInfo ? streamInfo->outputLatency : 0.0;
    return rate;
}

void PortAudioOutput::stop()
{
    if (!m_stream)
        return;
    Pa_StopStream(static_cast<PaStream *>(m_stream));
    Pa_CloseStream(static_cast<PaStream *>(m_stream));
    m_stream = nullptr;
    m_latencySeconds = 0.0;
}

std::unique_ptr<AudioOutput> openDefaultAudioOutput()
{
    const char *forced = std::getenv("SEPLAB_AUDIO_OUTPUT");
    if (!(forced && std::strcmp(forced, "null") == 0)) {
        if (std::unique_ptr<PortAudioOutput> device = PortAudioOutput::openDefault())
            return device;
    }
    return std::make_unique<NullOutput>(true);
}

} // namespace seplab::audio
