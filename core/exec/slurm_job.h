#pragma once

// One trial running as a Slurm job (issue 8). Its protocol lines come from events.jsonl in the
// run folder on the shared filesystem, polled; its state from squeue through the SlurmQueue;
// stopping it is `scancel --batch --signal=TERM` (the trial writes last.pt and ends `stopped`),
// then `scancel` after the kill delay.

#include "core/exec/file_tail.h"
#include "core/exec/slurm_queue.h"
#include "core/exec/trial_handle.h"

#include <chrono>
#include <memory>
#include <optional>
#include <string>

namespace seplab::exec {

class SlurmJob : public TrialHandle
{
public:
    // `expectsEndEvent`: the program prints the protocol's `end` line (seplab-cli train), so a
    // job Slurm reports ended is read until that line shows up on the shared filesystem, for up
    // to `settleSeconds` (NFS may show a file's last writes late).
    SlurmJob(std::string jobId,
             std::string runDir,
             std::shared_ptr<SlurmQueue> queue,
             bool expectsEndEvent,
             double settleSeconds = 10.0);
    ~SlurmJob() override;

    std::string describe() const override { return "Slurm job " + m_jobId; }
    std::string jobId() const override { return m_jobId; }
    std::vector<std::string> readLines() override;
    bool outputDrained() const override { return m_drained; }
    void terminate() override;
    void kill() override;
    bool poll() override;
    int exitCode() const override { return m_exitCode; }
    int termSignal() const override { return m_termSignal; }
    double secondsSinceTerminate() const override;
    std::string stderrTail(std::size_t maxLines) const override;
    std::string endReason() const override { return m_endReason; }
    std::string takeNotice() override;

    // The last state squeue reported ("PENDING", "RUNNING", ...), empty before the first.
    const std::string &state() const { return m_state; }

private:
    void observe(const std::optional<SlurmJobStatus> &status);
    void settle(const std::optional<SlurmJobStatus> &finalStatus);
    bool settled() const;

    std::string m_jobId;
    std::string m_runDir;
    std::shared_ptr<SlurmQueue> m_queue;
    bool m_expectsEndEvent;
    double m_settleSeconds;
    FileTail m_events;

    std::string m_state;
    bool m_ran = false; // seen RUNNING at least once
    std::string m_notice;
    bool m_sawEnd = false;
    bool m_ended = false; // Slurm says it ended
    std::optional<std::chrono::steady_clock::time_point> m_endedAt;
    bool m_drained = false;
    int m_exitCode = -1;
    int m_termSignal = 0;
    std::string m_endReason;
    bool m_terminated = false;
    std::chrono::steady_clock::time_point m_terminatedAt;
};

} // namespace seplab::exec
