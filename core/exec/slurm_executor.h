#pragma once

// Trials as Slurm jobs (issue 8): one job per trial, its script generated into the run folder,
// at most max_jobs_in_queue queued or running at once. A refused submission that may pass later
// (a submit limit, a busy slurmctld) backs off, doubling from 5 s to 5 min; any other refusal
// fails the trial with sbatch's own words.

#include "core/exec/executor.h"
#include "core/exec/slurm_options.h"
#include "core/exec/slurm_queue.h"

#include <chrono>
#include <memory>
#include <optional>

namespace seplab::exec {

class SlurmExecutor : public Executor
{
public:
    SlurmExecutor(SlurmOptions options, std::shared_ptr<const SlurmClient> client);

    std::string kind() const override { return "slurm"; }
    std::size_t capacity() const override { return m_pool.size(); }
    std::optional<Slot> acquire() override;
    void release(int slotIndex) override { m_pool.release(slotIndex); }
    std::string deviceLabel(const Slot &slot) const override;
    std::unique_ptr<TrialHandle> start(const TrialStart &trial, const Slot &slot) override;
    std::unique_ptr<TrialHandle> recover(const LeftoverTrial &trial, double killDelay) override;
    void waitForActivity(const std::vector<TrialHandle *> &handles, int timeoutMs) override;

    // Seconds until the next submission may be tried; 0 when not backing off.
    double backoffRemaining() const;

    // How long a job Slurm reports ended is read on for its `end` line (shared-filesystem lag).
    void setSettleSeconds(double seconds) { m_settleSeconds = seconds; }

private:
    SlurmOptions m_options;
    std::shared_ptr<SlurmQueue> m_queue;
    SlotPool m_pool;
    double m_backoffSeconds = 0.0;
    std::optional<std::chrono::steady_clock::time_point> m_retryAt;
    double m_settleSeconds = 10.0;
};

// maxJobsInQueue places, each with the device the jobs' gres gives (cuda or cpu).
std::vector<Slot> slurmSlots(const SlurmOptions &options);

} // namespace seplab::exec
