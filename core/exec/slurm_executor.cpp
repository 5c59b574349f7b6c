#include "core/exec/slurm_executor.h"

#include "core/exec/slurm_job.h"
#include "core/exec/slurm_job_script.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <thread>

namespace seplab::exec {

namespace {

constexpr double kFirstBackoffSeconds = 5.0;
constexpr double kLongestBackoffSeconds = 300.0;

// Written whole or not at all: a half-written job.sh must never reach sbatch.
void writeAtomically(const std::string &path, const std::string &text)
{
    const std::string temporary = path + ".tmp";
    {
        std::ofstream out(temporary, std::ios::trunc);
        out << text;
        if (!out.flush())
            throw std::runtime_error("cannot write the job script " + path + ".");
    }
    std::filesystem::permissions(temporary,
                                 std::filesystem::perms::owner_all
                                     | std::filesystem::perms::group_read
                                     | std::filesystem::perms::group_exec);
    std::filesystem::rename(temporary, path);
}

} // namespace

std::vector<Slot> slurmSlots(const SlurmOptions &options)
{
    std::vector<Slot> slots;
    for (int index = 0; index < std::max(1, options.maxJobsInQueue); ++index) {
        Slot slot;
        slot.index = index;
        slot.device = options.usesGpu() ? "cuda" : "cpu";
        slots.push_back(slot);
    }
    return slots;
}

SlurmExecutor::SlurmExecutor(SlurmOptions options, std::shared_ptr<const SlurmClient> client)
    : m_options(std::move(options))
    , m_queue(std::make_shared<SlurmQueue>(std::move(client), m_options.pollInterval))
    , m_pool(slurmSlots(m_options))
{}

double SlurmExecutor::backoffRemaining() const
{
    if (!m_retryAt)
        return 0.0;
    const double left = std::chrono::duration<double>(*m_retryAt - std::chrono::steady_clock::now())
                            .count();
    return std::max(0.0, left);
}

std::optional<Slot> SlurmExecutor::acquire()
{
    if (backoffRemaining() > 0.0)
        return std::nullopt;
    return m_pool.acquire();
}

std::string SlurmExecutor::deviceLabel(const Slot &slot) const
{
    (void) slot;
    return m_options.partition.empty() ? "slurm" : "slurm:" + m_options.partition;
}

std::unique_ptr<TrialHandle> SlurmExecutor::start(const TrialStart &trial, const Slot &slot)
{
    (void) slot;
    SlurmJobRequest request;
    request.jobName = "seplab-" + trial.name;
    request.runDir = trial.runDir;
    request.fresh = trial.fresh;
    request.resume = trial.resume;
    request.stdoutIsEventStream = !trial.resume;
    std::filesystem::create_directories(trial.runDir);
    const std::string script = jobScriptPath(trial.runDir);
    writeAtomically(script, slurmJobScript(m_options, request));
    std::string jobId;
    try {
        jobId = m_queue->client().submit(script);
    } catch (const SlurmSubmissionRefused &refused) {
        if (!refused.transient())
            throw std::runtime_error(refused.what());
        m_backoffSeconds = m_backoffSeconds == 0.0
                               ? kFirstBackoffSeconds
                               : std::min(kLongestBackoffSeconds, m_backoffSeconds * 2.0);
        m_retryAt = std::chrono::steady_clock::now()
                    + std::chrono::milliseconds(long(m_backoffSeconds * 1000.0));
        throw StartDeferred(std::string(refused.what()) + "; trying again in "
                            + std::to_string(int(m_backoffSeconds)) + " s");
    }
    m_backoffSeconds = 0.0;
    m_retryAt.reset();
    return std::make_unique<SlurmJob>(jobId,
                                      trial.runDir,
                                      m_queue,
                                      trial.resume.has_value(),
                                      m_settleSeconds);
}

std::unique_ptr<TrialHandle> SlurmExecutor::recover(const LeftoverTrial &trial, double killDelay)
{
    (void) killDelay; // a queued or running job keeps running: it is followed again
    if (trial.jobId.empty())
        return nullptr;
    auto job = std::make_unique<SlurmJob>(trial.jobId,
                                          trial.runDir,
                                          m_queue,
                                          trial.writesEventsFile,
                                          m_settleSeconds);
    // A job Slurm still knows is followed again, even one that ended while no controller
    // watched: its state and exit code say how it ended, which an external program's output
    // alone cannot. One Slurm has forgotten (MinJobAge) is left to its events.jsonl.
    if (!m_queue->status(trial.jobId))
        return nullptr;
    return job;
}

void SlurmExecutor::waitForActivity(const std::vector<TrialHandle *> &handles, int timeoutMs)
{
    // Nothing to block on: events files and squeue are polled. A short sleep keeps the loop
    // responsive to new lines without spinning.
    (void) handles;
    std::this_thread::sleep_for(std::chrono::milliseconds(std::max(50, timeoutMs)));
}

} // namespace seplab::exec
