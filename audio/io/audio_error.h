#pragma once

#include <stdexcept>
#include <string>

namespace seplab::audio {

// Every audio I/O failure is reported as one sentence that names the file and the problem,
// e.g. "mix.wav: file is truncated: its header declares 32000 frames but only 12000 can be read".
class AudioError : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

} // namespace seplab::audio
