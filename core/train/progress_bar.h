#pragma once

// The per-epoch progress bar on stderr. On a terminal it redraws one line in place at most
// five times a second; elsewhere (CI logs, a sweep's captured stderr) it stays silent and the
// trainer's one line per epoch is the record.

#include <chrono>
#include <cstddef>
#include <ostream>
#include <string>

namespace seplab::train {

class ProgressBar
{
public:
    ProgressBar(std::ostream *stream, bool enabled, std::string label);
    ~ProgressBar();

    void update(std::size_t done, std::size_t total, double loss);
    void finish(); // clears the line; idempotent

private:
    std::ostream *m_stream;
    bool m_enabled;
    bool m_drawn = false;
    std::string m_label;
    std::chrono::steady_clock::time_point m_start, m_lastDraw;
};

} // namespace seplab::train
