#include "audio/io/format_name.h"

#include <sndfile.h>

namespace seplab::audio::detail {

namespace {

std::string majorName(int major)
{
    switch (major) {
    case SF_FORMAT_WAV:
    case SF_FORMAT_WAVEX:
        return "WAV";
    case SF_FORMAT_RF64:
        return "RF64";
    case SF_FORMAT_W64:
        return "W64";
    case SF_FORMAT_AIFF:
        return "AIFF";
    case SF_FORMAT_AU:
        return "AU";
    case SF_FORMAT_CAF:
        return "CAF";
    case SF_FORMAT_FLAC:
        return "FLAC";
    case SF_FORMAT_OGG:
        return "Ogg";
    case SF_FORMAT_RAW:
        return "RAW";
    default:
        break;
    }
    // Rare containers: libsndfile's own name is good enough.
    SF_FORMAT_INFO info{};
    info.format = major;
    if (sf_command(nullptr, SFC_GET_FORMAT_INFO, &info, sizeof info) == 0 && info.name)
        return info.name;
    return "unknown format";
}

std::string subtypeName(int subtype)
{
    switch (subtype) {
    case SF_FORMAT_PCM_S8:
        return "PCM8";
    case SF_FORMAT_PCM_U8:
        return "PCM8 unsigned";
    case SF_FORMAT_PCM_16:
        return "PCM16";
    case SF_FORMAT_PCM_24:
        return "PCM24";
    case SF_FORMAT_PCM_32:
        return "PCM32";
    case SF_FORMAT_FLOAT:
        return "float32";
    case SF_FORMAT_DOUBLE:
        return "float64";
    case SF_FORMAT_ULAW:
        return "u-law";
    case SF_FORMAT_ALAW:
        return "A-law";
    case SF_FORMAT_VORBIS:
        return "Vorbis";
    case SF_FORMAT_OPUS:
        return "Opus";
    default:
        break;
    }
    SF_FORMAT_INFO info{};
    info.format = subtype;
    if (sf_command(nullptr, SFC_GET_FORMAT_INFO, &info, sizeof info) == 0 && info.name)
        return info.name;
    return "unknown encoding";
}

} // namespace

std::string formatName(int sfFormat)
{
    return majorName(sfFormat & SF_FORMAT_TYPEMASK) + " "
           + subtypeName(sfFormat & SF_FORMAT_SUBMASK);
}

int bytesPerSample(int sfFormat)
{
    switch (sfFormat & SF_FORMAT_SUBMASK) {
    case SF_FORMAT_PCM_S8:
    case SF_FORMAT_PCM_U8:
    case SF_FORMAT_ULAW:
    case SF_FORMAT_ALAW:
        return 1;
    case SF_FORMAT_PCM_16:
        return 2;
    case SF_FORMAT_PCM_24:
        return 3;
    case SF_FORMAT_PCM_32:
    case SF_FORMAT_FLOAT:
        return 4;
    case SF_FORMAT_DOUBLE:
        return 8;
    default:
        return 0;
    }
}

} // namespace seplab::audio::detail
