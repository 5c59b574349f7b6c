#include "core/sweep/asha_stopping.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace seplab::sweep {

AshaStopper::AshaStopper(const EarlyTerminate &config, bool maximize)
    : m_minIter(config.minIter.value_or(0))
    , m_eta(config.eta)
    , m_maxIter(config.maxIter)
    , m_maximize(maximize)
{
    if (!config.minIter || *config.minIter < 1)
        throw std::invalid_argument("asha's 'min_iter' must be given and at least 1.");
    if (m_maxIter && *m_maxIter <= m_minIter)
        throw std::invalid_argument("asha's 'max_iter' (" + std::to_string(*m_maxIter)
                                    + ") must be greater than min_iter ("
                                    + std::to_string(m_minIter) + ").");
}

std::vector<int> AshaStopper::bands(int maxIteration) const
{
    const int limit = m_maxIter ? std::min(maxIteration, *m_maxIter - 1) : maxIteration;
    return geometricLadder(m_minIter, m_eta, limit);
}

bool AshaStopper::survives(int rung, double value) const
{
    const std::vector<double> &recorded = m_records.at(rung);
    const auto n = recorded.size();
    const auto better = std::size_t(
        std::count_if(recorded.begin(), recorded.end(), [&](double v) { return v < value; }));
    const auto promoted = std::max<std::size_t>(1, std::size_t(std::floor(double(n) / m_eta)));
    return better < promoted;
}

std::vector<std::int64_t> AshaStopper::runsToStop(const std::vector<RunProgress> &runs) const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    int longest = 0;
    for (const RunProgress &run : runs)
        longest = std::max(longest, int(run.values.size()));
    const std::vector<int> rungs = bands(longest);

    std::vector<std::int64_t> stop;
    for (const RunProgress &run : runs) {
        std::set<int> &recorded = m_recordedRungs[run.id];
        for (int rung : rungs) {
            if (int(run.values.size()) < rung)
                break;
            if (recorded.count(rung))
                continue;
            const double raw = run.values[std::size_t(rung - 1)];
            const double value = m_maximize ? -raw : raw;
            m_records[rung].push_back(value);
            recorded.insert(rung);
            if (run.running && !m_condemned.count(run.id) && !survives(rung, value))
                m_condemned.insert(run.id);
        }
        if (run.running && m_condemned.count(run.id))
            stop.push_back(run.id);
    }
    return stop;
}

std::string AshaStopper::describe() const
{
    std::string text = "asha min_iter " + std::to_string(m_minIter) + ", eta "
                       + formatNumber(m_eta);
    if (m_maxIter)
        text += ", max_iter " + std::to_string(*m_maxIter);
    return text;
}

} // namespace seplab::sweep
