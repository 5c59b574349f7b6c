#include "core/exec/local_executor.h"

#include "core/exec/process_liveness.h"

#include <chrono>
#include <csignal>
#include <thread>

namespace seplab::exec {

LocalExecutor::LocalExecutor(std::vector<Slot> slots)
    : m_pool(std::move(slots))
{}

std::string LocalExecutor::deviceLabel(const Slot &slot) const
{
    return slot.gpu >= 0 ? "cuda:" + std::to_string(slot.gpu) : "cpu";
}

std::unique_ptr<TrialHandle> LocalExecutor::start(const TrialStart &trial, const Slot &slot)
{
    (void) slot; // the stage runner put the slot's device into the launch spec
    return TrialProcess::start(trial.resumeNow && trial.resume ? *trial.resume : trial.fresh);
}

std::unique_ptr<TrialHandle> LocalExecutor::recover(const LeftoverTrial &trial, double killDelay)
{
    // Its process group gets SIGTERM (it writes last.pt), then SIGKILL after the kill delay.
    const int pid = trial.pid;
    if (pid <= 0 || !processAliveWith(pid, trial.runDir))
        return nullptr;
    ::kill(-pid, SIGTERM);
    const auto deadline = std::chrono::steady_clock::now()
                          + std::chrono::milliseconds(long(killDelay * 1000));
    while (processAliveWith(pid, trial.runDir) && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    if (processAliveWith(pid, trial.runDir)) {
        ::kill(-pid, SIGKILL);
        while (processAliveWith(pid, trial.runDir))
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return nullptr;
}

void LocalExecutor::waitForActivity(const std::vector<TrialHandle *> &handles, int timeoutMs)
{
    std::vector<TrialProcess *> processes;
    for (TrialHandle *handle : handles)
        processes.push_back(static_cast<TrialProcess *>(handle));
    exec::waitForActivity(processes, timeoutMs);
}

} // namespace seplab::exec
