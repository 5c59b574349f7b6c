#include "audio/io/wav_data_size.h"

#include <cstring>
#include <fstream>

namespace seplab::audio::detail {

namespace {

std::uint32_t littleEndian32(const char *bytes)
{
    const auto *b = reinterpret_cast<const unsigned char *>(bytes);
    return std::uint32_t(b[0]) | std::uint32_t(b[1]) << 8 | std::uint32_t(b[2]) << 16
           | std::uint32_t(b[3]) << 24;
}

} // namespace

std::optional<std::uint32_t> wavDeclaredDataBytes(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    char header[12];
    if (!in.read(header, sizeof header) || std::memcmp(header, "RIFF", 4) != 0
        || std::memcmp(header + 8, "WAVE", 4) != 0) {
        return std::nullopt;
    }
    char chunk[8];
    while (in.read(chunk, sizeof chunk)) {
        const std::uint32_t size = littleEndian32(chunk + 4);
        if (std::memcmp(chunk, "data", 4) == 0) {
            if (size == 0xFFFFFFFFu)
                return std::nullopt;
            return size;
        }
        // RIFF chunks are padded to an even length.
        in.seekg(std::streamoff(size) + (size & 1u), std::ios::cur);
    }
    return std::nullopt;
}

} // namespace seplab::audio::detail
