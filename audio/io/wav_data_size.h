#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace seplab::audio::detail {

// The byte count that a RIFF/WAVE file's 'data' chunk header declares, read straight from the
// file. libsndfile silently clamps a data chunk that runs past the end of the file to what is
// present (it only notes it in its log, which is capped at 2 KiB), so truncation detection needs
// the declared size itself. Returns nothing for a file that is not RIFF/WAVE, has no 'data'
// chunk, or declares 0xFFFFFFFF (the "length unknown" value streaming writers leave behind).
std::optional<std::uint32_t> wavDeclaredDataBytes(const std::string &path);

} // namespace seplab::audio::detail
