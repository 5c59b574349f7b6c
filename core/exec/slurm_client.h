#pragma once

// Slurm's commands, run to completion: sbatch to submit, squeue and scontrol to watch, scancel
// to stop, sinfo for the nodes. Each call is one short process; errors are one sentence naming
// the command and what Slurm said.

#include "core/exec/slurm_status.h"

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace seplab::exec {

class SlurmSubmissionRefused : public std::runtime_error
{
public:
    SlurmSubmissionRefused(const std::string &message, bool transient)
        : std::runtime_error(message)
        , m_transient(transient)
    {}
    // A submit limit or a busy controller: try again later.
    bool transient() const { return m_transient; }

private:
    bool m_transient;
};

class SlurmClient
{
public:
    // `binDir`: where sbatch and the others are; empty: found in PATH.
    explicit SlurmClient(std::string binDir = {}, double timeoutSeconds = 60.0);

    // Whether sinfo answers (a controller is reachable).
    bool available() const;
    // `sbatch --parsable script`; the job id. Throws SlurmSubmissionRefused.
    std::string submit(const std::string &scriptPath) const;
    // The jobs Slurm still knows (queued, running, or recently ended), by id. Jobs it no longer
    // knows are absent. Throws std::runtime_error when squeue cannot be asked at all.
    std::map<std::string, SlurmJobStatus> jobs(const std::vector<std::string> &jobIds) const;
    // One job in detail, with its exit code (scontrol show job); nothing when unknown.
    std::optional<SlurmJobStatus> job(const std::string &jobId) const;
    // `scancel --batch --signal=NAME id`: the signal reaches the program the batch script runs
    // (it exec's it; plain --signal reaches only job steps, which SepLab's jobs have none of).
    // A job that has already ended is no error.
    void signal(const std::string &jobId, const std::string &signalName) const;
    // `scancel id`.
    void cancel(const std::string &jobId) const;
    // The nodes of a partition (every partition when empty).
    std::vector<SlurmNode> nodes(const std::string &partition = {}) const;

    std::string program(const std::string &name) const;

private:
    std::string m_binDir;
    double m_timeout;
};

} // namespace seplab::exec
