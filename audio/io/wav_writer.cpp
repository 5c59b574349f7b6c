// writeWav (declared in audio_file.h): atomic WAV output through libsndfile.
#include "audio/io/audio_file.h"
#include "audio/io/error_text.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>
#include <sndfile.h>
#include <sstream>
#include <system_error>

namespace seplab::audio {

namespace {

namespace fs = std::filesystem;
using detail::fail;

constexpr std::size_t kBlockFrames = 1 << 16;

// Every file writeWav produces must be readable by readAudio, which rejects NaN/Inf; refusing
// here reports the problem where it was made instead of when the file is next opened.
void checkWritable(const std::string &path,
                   const std::vector<float> &interleaved,
                   int channels,
                   int sampleRate)
{
    if (channels < 1)
        fail(path, "cannot write audio with " + std::to_string(channels) + " channels");
    if (sampleRate < 1)
        fail(path, "cannot write audio at " + std::to_string(sampleRate) + " Hz");
    if (interleaved.size() % std::size_t(channels) != 0) {
        fail(path,
             "cannot write " + std::to_string(interleaved.size()) + " samples as whole frames of "
                 + std::to_string(channels) + " channels");
    }
    if (interleaved.empty())
        fail(path, "refusing to write a file that holds no audio (0 frames)");
    const auto bad = std::find_if(interleaved.begin(), interleaved.end(), [](float v) {
        return !std::isfinite(v);
    });
    if (bad != interleaved.end()) {
        const auto index = std::size_t(bad - interleaved.begin());
        fail(path,
             "cannot write sample " + std::to_string(index / channels) + " of channel "
                 + std::to_string(index % channels) + " because it is "
                 + (std::isnan(*bad) ? "NaN"
                    : *bad > 0       ? "+Inf"
                                     : "-Inf"));
    }
}

// libsndfile scales floats by 32767 when it writes PCM16 but by 1/32768 when it reads, so its
// round trip shrinks every sample; quantising here with the reading scale makes 0.5 come back
// as exactly 0.5 and keeps the round-trip error within half a step (one step at +1.0, which
// clips to 32767).
std::int16_t toPcm16(float sample)
{
    const long q = std::lround(double(sample) * 32768.0);
    return std::int16_t(std::clamp(q, -32768L, 32767L));
}

sf_count_t writeFrames(SNDFILE *file,
                       const std::vector<float> &interleaved,
                       int channels,
                       SampleFormat format)
{
    const sf_count_t frames = sf_count_t(interleaved.size() / channels);
    if (format == SampleFormat::Float32)
        return sf_writef_float(file, interleaved.data(), frames);

    std::vector<std::int16_t> block;
    sf_count_t written = 0;
    for (std::size_t first = 0; first < interleaved.size(); first += kBlockFrames * channels) {
        const std::size_t last = std::min(interleaved.size(), first + kBlockFrames * channels);
        block.resize(last - first);
        std::transform(interleaved.begin() + first,
                       interleaved.begin() + last,
                       block.begin(),
                       toPcm16);
        const sf_count_t want = sf_count_t(block.size() / channels);
        const sf_count_t got = sf_writef_short(file, block.data(), want);
        written += got;
        if (got != want)
            break;
    }
    return written;
}

std::string temporaryName(const fs::path &target)
{
    std::random_device device;
    std::ostringstream name;
    name << '.' << target.filename().string() << ".tmp-" << std::hex << device() << device();
    return (target.parent_path() / name.str()).string();
}

// Removes the temporary file unless the rename went through, whatever path led out.
class TemporaryFile
{
public:
    explicit TemporaryFile(std::string path)
        : m_path(std::move(path))
    {}
    ~TemporaryFile()
    {
        if (m_file)
            sf_close(m_file);
        if (!m_committed)
            std::remove(m_path.c_str());
    }
    TemporaryFile(const TemporaryFile &) = delete;
    TemporaryFile &operator=(const TemporaryFile &) = delete;

    const std::string &path() const { return m_path; }
    SNDFILE *&file() { return m_file; }
    void commit() { m_committed = true; }

private:
    std::string m_path;
    SNDFILE *m_file = nullptr;
    bool m_committed = false;
};

} // namespace

void writeWav(const std::string &path,
              const std::vector<float> &interleaved,
              int channels,
              int sampleRate,
              SampleFormat format)
{
    checkWritable(path, interleaved, channels, sampleRate);

    const fs::path target(path);
    const fs::path folder = target.parent_path().empty() ? fs::path(".") : target.parent_path();
    std::error_code ec;
    if (!fs::is_directory(folder, ec))
        fail(path, "cannot write: folder " + folder.string() + " does not exist");

    SF_INFO info{};
    info.samplerate = sampleRate;
    info.channels = channels;
    info.format = SF_FORMAT_WAV
                  | (format == SampleFormat::Float32 ? SF_FORMAT_FLOAT : SF_FORMAT_PCM_16);
    TemporaryFile temp(temporaryName(target));
    temp.file() = sf_open(temp.path().c_str(), SFM_WRITE, &info);
    if (!temp.file())
        fail(path, "cannot write audio: " + detail::asClause(sf_strerror(nullptr)));
    // libsndfile's PEAK chunk in float files carries the wall-clock time, which would make two
    // writes of the same samples differ (and a seeded corpus not byte-identical).
    sf_command(temp.file(), SFC_SET_ADD_PEAK_CHUNK, nullptr, SF_FALSE);

    const sf_count_t frames = sf_count_t(interleaved.size() / channels);
    if (writeFrames(temp.file(), interleaved, channels, format) != frames)
        fail(path, "cannot write audio: " + detail::asClause(sf_strerror(temp.file())));
    // The header must be final and on disk before the rename publishes the file; otherwise a
    // crash could leave a complete-looking name over incomplete bytes.
    sf_command(temp.file(), SFC_UPDATE_HEADER_NOW, nullptr, 0);
    sf_write_sync(temp.file());
    const int closeError = sf_close(temp.file());
    temp.file() = nullptr;
    if (closeError != 0)
        fail(path, "cannot write audio: " + detail::asClause(sf_error_number(closeError)));

    if (std::rename(temp.path().c_str(), path.c_str()) != 0)
        fail(path, "cannot replace the file: " + std::string(std::strerror(errno)));
    temp.commit();
}

void writeWav(const std::string &path, const Audio &audio, SampleFormat format)
{
    writeWav(path, audio.samples, 1, audio.sampleRate, format);
}

} // namespace seplab::audio
