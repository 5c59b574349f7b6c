#include "cli/stop_signals.h"

namespace seplab::cli {

namespace {

std::atomic<bool> g_stopRequested{false};
static_assert(std::atomic<bool>::is_always_lock_free, "the signal handler needs a lock-free flag");

extern "C" void onStopSignal(int signal)
{
    g_stopRequested.store(true);
    std::signal(signal, SIG_DFL);
}

} // namespace

StopSignals::StopSignals()
{
    g_stopRequested.store(false);
    struct sigaction action
    {};
    action.sa_handler = onStopSignal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGTERM, &action, &m_previousTerm);
    sigaction(SIGINT, &action, &m_previousInt);
}

StopSignals::~StopSignals()
{
    sigaction(SIGTERM, &m_previousTerm, nullptr);
    sigaction(SIGINT, &m_previousInt, nullptr);
}

const std::atomic<bool> &StopSignals::requested() const
{
    return g_stopRequested;
}

} // namespace seplab::cli
