#pragma once

// SIGTERM and SIGINT as a stop request: the first one sets a flag that long-running commands
// poll at safe points (the trainer after a batch); the handlers then fall back to the default,
// so a second signal ends the process at once. Restores the previous handlers on destruction.

#include <atomic>
#include <csignal>

namespace seplab::cli {

class StopSignals
{
public:
    StopSignals();
    ~StopSignals();

    StopSignals(const StopSignals &) = delete;
    StopSignals &operator=(const StopSignals &) = delete;

    const std::atomic<bool> &requested() const;

private:
    struct sigaction m_previousTerm
    { }, m_previousInt{}; };

} // namespace seplab::cli
