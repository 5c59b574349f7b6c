#include "audio/io/audio_file.h"

#include "audio/dsp/resample.h"
#include "audio/io/audio_error.h"
#include "audio/io/error_text.h"
#include "audio/io/sndfile_source.h"

namespace seplab::audio {

AudioInfo probeAudio(const std::string &path)
{
    // Opening validates the header (missing, unreadable, truncated WAV, empty); NaN/Inf and
    // undeliverable frames of other formats only show when the samples are decoded.
    return detail::SndFileSource(path).info();
}

Audio readAudio(const std::string &path, const ReadOptions &options)
{
    detail::SndFileSource source(path);
    source.checkChannel(options.channel);
    if (options.targetRate < 0)
        detail::fail(path, "cannot resample to " + std::to_string(options.targetRate) + " Hz");

    Audio audio;
    audio.sampleRate = source.info().sampleRate;
    audio.samples = source.readMono(0, source.info().frames, options.channel);
    if (options.targetRate > 0 && options.targetRate != audio.sampleRate) {
        try {
            audio.samples = resample(audio.samples, audio.sampleRate, options.targetRate);
        } catch (const AudioError &error) {
            // resample() names the rates, not the file.
            detail::fail(path, error.what());
        }
        audio.sampleRate = options.targetRate;
    }
    return audio;
}

} // namespace seplab::audio
