#pragma once

// Helpers shared by the audio tests. They use libsndfile directly (never seplab_audio) so that
// the files they make and the values they check do not depend on the code under test.

#include "audio/io/audio_error.h"

#include <QDir>
#include <QString>
#include <QStringList>

#include <cmath>
#include <cstdint>
#include <sndfile.h>
#include <string>
#include <vector>

namespace seplab::audio::test {

constexpr double kPi = 3.14159265358979323846;

inline std::vector<float> sine(double frequency, int sampleRate, int frames, double amplitude)
{
    std::vector<float> samples(std::size_t(frames), 0.0f);
    for (int i = 0; i < frames; ++i)
        samples[std::size_t(i)] = float(amplitude
                                        * std::sin(2.0 * kPi * frequency * i / sampleRate));
    return samples;
}

// Frequency of a clean sine from its rising zero crossings, each located to a fraction of a
// sample by linear interpolation, over samples [first, last).
inline double zeroCrossingFrequency(const std::vector<float> &x,
                                    int sampleRate,
                                    std::size_t first,
                                    std::size_t last)
{
    double firstCrossing = -1.0;
    double lastCrossing = -1.0;
    int crossings = 0;
    for (std::size_t i = first + 1; i < last; ++i) {
        if (x[i - 1] < 0.0f && x[i] >= 0.0f) {
            const double t = double(i - 1) + double(-x[i - 1]) / double(x[i] - x[i - 1]);
            if (crossings == 0)
                firstCrossing = t;
            lastCrossing = t;
            ++crossings;
        }
    }
    if (crossings < 2)
        return 0.0;
    return (crossings - 1) * double(sampleRate) / (lastCrossing - firstCrossing);
}

inline double rms(const std::vector<float> &x, std::size_t first, std::size_t last)
{
    double sum = 0.0;
    for (std::size_t i = first; i < last; ++i)
        sum += double(x[i]) * x[i];
    return last > first ? std::sqrt(sum / double(last - first)) : 0.0;
}

// Writes interleaved float samples with libsndfile itself, in any SF_FORMAT_* it supports;
// this is how the tests make files writeWav refuses to write (NaN/Inf, FLAC, zero frames).
inline bool writeRaw(const std::string &path,
                     const std::vector<float> &interleaved,
                     int channels,
                     int sampleRate,
                     int sfFormat)
{
    SF_INFO info{};
    info.samplerate = sampleRate;
    info.channels = channels;
    info.format = sfFormat;
    SNDFILE *file = sf_open(path.c_str(), SFM_WRITE, &info);
    if (!file)
        return false;
    const sf_count_t frames = sf_count_t(interleaved.size()) / channels;
    const bool ok = sf_writef_float(file, interleaved.data(), frames) == frames;
    return sf_close(file) == 0 && ok;
}

// The raw 16-bit integers stored in a PCM16 file.
inline std::vector<std::int16_t> readRawPcm16(const std::string &path)
{
    SF_INFO info{};
    SNDFILE *file = sf_open(path.c_str(), SFM_READ, &info);
    if (!file)
        return {};
    std::vector<std::int16_t> samples(std::size_t(info.frames * info.channels));
    sf_readf_short(file, samples.data(), info.frames);
    sf_close(file);
    return samples;
}

// The message of the AudioError that f throws, or an empty string if it throws none.
template<typename F>
QString audioErrorOf(F &&f)
{
    try {
        f();
    } catch (const AudioError &error) {
        return QString::fromStdString(error.what());
    }
    return {};
}

// An AudioError message must be one sentence: "<path as given>: <problem>", no full stop.
inline bool isOneSentenceAbout(const QString &message, const QString &path, const QString &problem)
{
    return message.startsWith(path + QLatin1String(": ")) && message.contains(problem)
           && !message.contains(QLatin1String(". ")) && !message.endsWith(QLatin1Char('.'))
           && !message.contains(QLatin1Char('\n'));
}

inline QStringList entriesOf(const QString &dir)
{
    return QDir(dir).entryList(QDir::AllEntries | QDir::Hidden | QDir::System
                               | QDir::NoDotAndDotDot);
}

} // namespace seplab::audio::test
