#pragma once

// The states of a sweep's Slurm jobs, refreshed for all of them with one squeue call at most
// every poll interval, so that a hundred queued trials cost one query, not a hundred.

#include "core/exec/slurm_client.h"

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>

namespace seplab::exec {

class SlurmQueue
{
public:
    SlurmQueue(std::shared_ptr<const SlurmClient> client, double pollIntervalSeconds);

    void track(const std::string &jobId);
    void forget(const std::string &jobId);

    // The job's last known status, refreshing every tracked job first when the poll interval
    // has passed. Nothing when Slurm no longer knows the job. A failed squeue keeps the last
    // known states (a busy slurmctld must not end trials) and is retried next interval.
    std::optional<SlurmJobStatus> status(const std::string &jobId);
    // Asks again at the next status() call, whatever the interval.
    void invalidate() { m_refreshedAt.reset(); }
    // The last squeue error, or empty after a successful one.
    const std::string &lastError() const { return m_lastError; }

    const SlurmClient &client() const { return *m_client; }

private:
    void refresh();

    std::shared_ptr<const SlurmClient> m_client;
    std::chrono::milliseconds m_interval;
    std::set<std::string> m_tracked;
    std::map<std::string, SlurmJobStatus> m_known;
    std::optional<std::chrono::steady_clock::time_point> m_refreshedAt;
    std::string m_lastError;
};

} // namespace seplab::exec
