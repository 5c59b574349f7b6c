#include "audio/io/sndfile_source.h"

#include "audio/io/error_text.h"
#include "audio/io/format_name.h"
#include "audio/io/wav_data_size.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <system_error>

namespace seplab::audio::detail {

namespace {

// Frames decoded per libsndfile call: bounds the interleaved scratch buffer for long files.
constexpr std::int64_t kBlockFrames = 1 << 16;

const char *nonFiniteName(float value)
{
    if (std::isnan(value))
        return "NaN";
    return value > 0 ? "+Inf" : "-Inf";
}

} // namespace

SndFileSource::SndFileSource(std::string path)
    : m_path(std::move(path))
{
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::file_status status = fs::status(m_path, ec);
    if (!fs::exists(status))
        fail(m_path, "file does not exist");
    if (fs::is_directory(status))
        fail(m_path, "is a directory, not an audio file");
    // libsndfile calls an empty file "Format not recognised", which sends people looking for
    // the wrong problem.
    if (fs::is_regular_file(status) && fs::file_size(m_path, ec) == 0 && !ec)
        fail(m_path, "file is empty (0 bytes)");

    m_file = sf_open(m_path.c_str(), SFM_READ, &m_sfInfo);
    if (!m_file)
        fail(m_path, "cannot read audio: " + asClause(sf_strerror(nullptr)));

    m_info.sampleRate = m_sfInfo.samplerate;
    m_info.channels = m_sfInfo.channels;
    m_info.frames = m_sfInfo.frames;
    m_info.format = formatName(m_sfInfo.format);
    try {
        if (m_sfInfo.channels <= 0 || m_sfInfo.samplerate <= 0)
            fail(m_path, "header declares no channels or no sample rate");
        checkNotTruncated();
        if (m_sfInfo.frames <= 0)
            fail(m_path, "file holds no audio (0 frames)");
    } catch (...) {
        sf_close(m_file);
        throw;
    }
}

SndFileSource::~SndFileSource()
{
    sf_close(m_file);
}

void SndFileSource::checkNotTruncated() const
{
    const int major = m_sfInfo.format & SF_FORMAT_TYPEMASK;
    if (major != SF_FORMAT_WAV && major != SF_FORMAT_WAVEX)
        return; // other formats are caught when the missing frames fail to decode (readMono)
    const int frameBytes = bytesPerSample(m_sfInfo.format) * m_sfInfo.channels;
    if (frameBytes == 0)
        return; // compressed WAV: the data size does not map to a frame count
    const auto declaredBytes = wavDeclaredDataBytes(m_path);
    if (!declaredBytes)
        return;
    const std::int64_t declaredFrames = *declaredBytes / frameBytes;
    if (declaredFrames > m_sfInfo.frames)
        failTruncated(declaredFrames, m_sfInfo.frames);
}

void SndFileSource::failTruncated(std::int64_t declaredFrames, std::int64_t presentFrames) const
{
    fail(m_path,
         "file is truncated: its header declares " + std::to_string(declaredFrames)
             + " frames but only " + std::to_string(presentFrames) + " are present");
}

void SndFileSource::checkChannel(int channel) const
{
    if (channel == -1 || (channel >= 0 && channel < m_info.channels))
        return;
    fail(m_path,
         "channel " + std::to_string(channel) + " is out of range: the file has "
             + std::to_string(m_info.channels) + " channel" + (m_info.channels == 1 ? "" : "s"));
}

void SndFileSource::seekTo(std::int64_t frame)
{
    if (frame == m_position)
        return;
    if (sf_seek(m_file, frame, SEEK_SET) != frame) {
        m_position = -1;
        const std::string reason = asClause(sf_strerror(m_file));
        fail(m_path, "cannot seek to frame " + std::to_string(frame) + ": " + reason);
    }
    m_position = frame;
}

std::vector<float> SndFileSource::readMono(std::int64_t start, std::int64_t count, int channel)
{
    checkChannel(channel);
    if (start < 0 || count < 0 || start > m_info.frames - count) {
        fail(m_path,
             "frames [" + std::to_string(start) + ", " + std::to_string(start + count)
                 + ") lie outside the file's " + std::to_string(m_info.frames) + " frames");
    }
    std::vector<float> mono;
    if (count == 0)
        return mono;
    seekTo(start);

    const int channels = m_info.channels;
    mono.resize(std::size_t(count));
    std::vector<float> block(std::size_t(std::min(count, kBlockFrames)) * channels);
    for (std::int64_t done = 0; done < count;) {
        const std::int64_t want = std::min(count - done, kBlockFrames);
        const sf_count_t got = sf_readf_float(m_file, block.data(), want);
        if (got < want) {
            // libsndfile's frame count came from a header that promised more than the
            // file could deliver (e.g. a cut-off FLAC).
            m_position = -1;
            failTruncated(m_info.frames, start + done + std::max<sf_count_t>(got, 0));
        }
        for (std::int64_t i = 0; i < want; ++i) {
            const float *frame = block.data() + i * channels;
            double sum = 0.0;
            for (int c = 0; c < channels; ++c) {
                if (!std::isfinite(frame[c])) {
                    m_position = -1;
                    fail(m_path,
                         "sample " + std::to_string(start + done + i) + " of channel "
                             + std::to_string(c) + " is " + nonFiniteName(frame[c]));
                }
                sum += frame[c];
            }
            mono[std::size_t(done + i)] = channel >= 0 ? frame[channel] : float(sum / channels);
        }
        done += want;
        m_position = start + done;
    }
    return mono;
}

} // namespace seplab::audio::detail
