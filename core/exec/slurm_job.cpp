#include "core/exec/slurm_job.h"

#include "core/exec/slurm_job_script.h"
#include "core/exec/trial_line.h"

#include <csignal>
#include <deque>
#include <filesystem>
#include <fstream>

namespace seplab::exec {

SlurmJob::SlurmJob(std::string jobId,
                   std::string runDir,
                   std::shared_ptr<SlurmQueue> queue,
                   bool expectsEndEvent,
                   double settleSeconds)
    : m_jobId(std::move(jobId))
    , m_runDir(std::move(runDir))
    , m_queue(std::move(queue))
    , m_expectsEndEvent(expectsEndEvent)
    , m_settleSeconds(settleSeconds)
    , m_events(eventsPath(m_runDir))
{
    m_queue->track(m_jobId);
}

SlurmJob::~SlurmJob()
{
    // A job outlives its handle on purpose: a controller that stops following it (it is
    // shutting down) leaves it to Slurm, and `sweep resume` re-attaches to it.
    m_queue->forget(m_jobId);
}

std::vector<std::string> SlurmJob::readLines()
{
    if (m_drained)
        return {};
    const bool last = settled();
    std::vector<std::string> lines = m_events.readLines(last);
    for (const std::string &text : lines) {
        const TrialLine line = parseTrialLine(text);
        if (line.kind != TrialLine::Kind::Event)
            continue;
        const std::string event = line.payload.value("event", "");
        if (event == "start")
            m_sawEnd = false; // a requeued attempt: only its own end counts
        else if (event == "end")
            m_sawEnd = true;
    }
    m_drained = last;
    return lines;
}

void SlurmJob::terminate()
{
    if (!m_terminated) {
        m_terminated = true;
        m_terminatedAt = std::chrono::steady_clock::now();
    }
    if (m_ended)
        return;
    try {
        // A job still waiting (or not seen yet) has no program to signal: it simply leaves
        // the queue.
        if (m_state == "RUNNING")
            m_queue->client().signal(m_jobId, "TERM");
        else
            m_queue->client().cancel(m_jobId);
    } catch (const std::exception &error) {
        m_notice = describe() + ": " + error.what();
    }
    m_queue->invalidate();
}

void SlurmJob::kill()
{
    if (m_ended)
        return;
    try {
        m_queue->client().cancel(m_jobId);
    } catch (const std::exception &error) {
        m_notice = describe() + ": " + error.what();
    }
    m_queue->invalidate();
}

double SlurmJob::secondsSinceTerminate() const
{
    if (!m_terminated)
        return -1.0;
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - m_terminatedAt).count();
}

void SlurmJob::observe(const std::optional<SlurmJobStatus> &status)
{
    if (!status) {
        // Unknown to Slurm: it ended long enough ago to be purged (MinJobAge), or was never
        // ours. Its events.jsonl says how it ended, if it says anything.
        if (m_queue->lastError().empty())
            settle(std::nullopt);
        return;
    }
    if (status->state != m_state) {
        const std::string reason = status->reason.empty() || status->reason == "None"
                                       ? std::string()
                                       : " (" + status->reason + ")";
        // Back in the queue after it ran (seen as RUNNING, COMPLETING, then PENDING): Slurm
        // requeued it after a preemption, a node failure or `scontrol requeue`.
        if (m_ran && isPendingJobState(status->state))
            m_notice = describe() + " was requeued" + reason + "; it continues from its last.pt";
        else if (status->state == "RUNNING")
            m_notice = describe() + " is running on " + status->nodes;
        else if (isPendingJobState(status->state))
            m_notice = describe() + " is queued" + reason;
        m_ran = m_ran || status->state == "RUNNING";
        m_state = status->state;
    }
    if (isFinalJobState(status->state))
        settle(status);
}

void SlurmJob::settle(const std::optional<SlurmJobStatus> &finalStatus)
{
    if (m_ended)
        return;
    m_ended = true;
    m_endedAt = std::chrono::steady_clock::now();
    if (!finalStatus) {
        m_exitCode = -1;
        m_endReason = describe() + " is no longer known to Slurm";
        return;
    }
    // squeue has no exit code: scontrol has, while Slurm still keeps the job.
    SlurmJobStatus status = *finalStatus;
    try {
        if (const std::optional<SlurmJobStatus> detail = m_queue->client().job(m_jobId))
            if (detail->exitKnown) {
                status.exitKnown = true;
                status.exitCode = detail->exitCode;
                status.exitSignal = detail->exitSignal;
            }
    } catch (const std::exception &) {
        // Keep what squeue said; the events file still tells how the trial ended.
    }
    const std::string &state = status.state;
    if (state == "COMPLETED") {
        m_exitCode = status.exitKnown ? status.exitCode : 0;
    } else if (state == "CANCELLED") {
        m_termSignal = SIGTERM;
        if (!m_terminated)
            m_endReason = describe() + " was cancelled outside SepLab (scancel)";
    } else if (state == "FAILED") {
        m_exitCode = status.exitSignal != 0 ? -1 : (status.exitKnown ? status.exitCode : 1);
        m_termSignal = status.exitSignal;
    } else {
        // TIMEOUT, NODE_FAIL, OUT_OF_MEMORY, PREEMPTED without requeue, BOOT_FAIL, DEADLINE.
        m_exitCode = status.exitKnown && status.exitCode != 0 ? status.exitCode : 1;
        m_endReason = describe() + " ended " + state
                      + (status.reason.empty() || status.reason == "None"
                             ? std::string()
                             : " (" + status.reason + ")");
    }
    m_state = state;
}

bool SlurmJob::poll()
{
    if (!m_ended)
        observe(m_queue->status(m_jobId));
    // The runner reads lines before each poll, so m_sawEnd is current.
    return settled();
}

bool SlurmJob::settled() const
{
    if (!m_ended)
        return false;
    // Read on until the end line arrives or the settle time passes.
    const double waited
        = std::chrono::duration<double>(std::chrono::steady_clock::now() - *m_endedAt).count();
    return !m_expectsEndEvent || m_sawEnd || waited >= m_settleSeconds;
}

std::string SlurmJob::stderrTail(std::size_t maxLines) const
{
    std::ifstream in(std::filesystem::path(m_runDir) / "stderr.log");
    std::deque<std::string> lines;
    std::string line;
    while (std::getline(in, line)) {
        lines.push_back(line + "\n");
        if (lines.size() > maxLines)
            lines.pop_front();
    }
    std::string out;
    for (const std::string &kept : lines)
        out += kept;
    return out;
}

std::string SlurmJob::takeNotice()
{
    std::string out;
    out.swap(m_notice);
    return out;
}

} // namespace seplab::exec
