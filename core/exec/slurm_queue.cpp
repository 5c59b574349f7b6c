#include "core/exec/slurm_queue.h"

#include <vector>

namespace seplab::exec {

SlurmQueue::SlurmQueue(std::shared_ptr<const SlurmClient> client, double pollIntervalSeconds)
    : m_client(std::move(client))
    , m_interval(long(pollIntervalSeconds * 1000.0))
{}

void SlurmQueue::track(const std::string &jobId)
{
    m_tracked.insert(jobId);
    m_refreshedAt.reset(); // learn the new job's state at once
}

void SlurmQueue::forget(const std::string &jobId)
{
    m_tracked.erase(jobId);
    m_known.erase(jobId);
}

std::optional<SlurmJobStatus> SlurmQueue::status(const std::string &jobId)
{
    const auto now = std::chrono::steady_clock::now();
    if (!m_refreshedAt || now - *m_refreshedAt >= m_interval) {
        m_refreshedAt = now;
        refresh();
    }
    const auto found = m_known.find(jobId);
    if (found == m_known.end())
        return std::nullopt;
    return found->second;
}

void SlurmQueue::refresh()
{
    const std::vector<std::string> ids(m_tracked.begin(), m_tracked.end());
    try {
        std::map<std::string, SlurmJobStatus> fresh = m_client->jobs(ids);
        m_known = std::move(fresh);
        m_lastError.clear();
    } catch (const std::exception &error) {
        m_lastError = error.what();
    }
}

} // namespace seplab::exec
