#include "core/sweep/median_stopping.h"

#include <algorithm>
#include <stdexcept>

namespace seplab::sweep {

double median(std::vector<double> values)
{
    if (values.empty())
        throw std::invalid_argument("the median needs at least one value.");
    const std::size_t middle = values.size() / 2;
    std::nth_element(values.begin(), values.begin() + std::ptrdiff_t(middle), values.end());
    const double upper = values[middle];
    if (values.size() % 2 == 1)
        return upper;
    const double lower = *std::max_element(values.begin(), values.begin() + std::ptrdiff_t(middle));
    return (lower + upper) / 2.0;
}

MedianStopper::MedianStopper(const EarlyTerminate &config, bool maximize)
    : m_minRunTime(config.minRunTime)
    , m_minStep(config.minStep)
    , m_patience(config.patience)
    , m_maximize(maximize)
{
    if (!(m_minRunTime >= 0.0))
        throw std::invalid_argument("median_stopping's 'min_run_time' must be zero or positive.");
    if (m_minStep < 0)
        throw std::invalid_argument("median_stopping's 'min_step' must be zero or positive.");
    if (m_patience < 0)
        throw std::invalid_argument("median_stopping's 'patience' must be zero or positive.");
}

std::vector<int> MedianStopper::bands(int maxIteration) const
{
    std::vector<int> steps;
    for (int k = firstStep(); k <= maxIteration; ++k)
        steps.push_back(k);
    return steps;
}

int MedianStopper::belowMedianStreak(const RunProgress &run,
                                     const std::vector<RunProgress> &runs) const
{
    const auto sign = m_maximize ? -1.0 : 1.0;
    const int length = int(run.values.size());
    double best = 0.0;
    int streak = 0;
    for (int k = 1; k <= length; ++k) {
        const double value = sign * run.values[std::size_t(k - 1)];
        best = k == 1 ? value : std::min(best, value);
        if (k < firstStep())
            continue;
        std::vector<double> others;
        for (const RunProgress &other : runs)
            if (other.id != run.id && int(other.values.size()) >= k)
                others.push_back(sign * other.values[std::size_t(k - 1)]);
        if (others.empty())
            continue; // no judgement: the streak neither grows nor breaks
        streak = best > median(others) ? streak + 1 : 0;
    }
    return streak;
}

std::vector<std::int64_t> MedianStopper::runsToStop(const std::vector<RunProgress> &runs) const
{
    std::vector<std::int64_t> stop;
    for (const RunProgress &run : runs) {
        if (!run.running || int(run.values.size()) < firstStep()
            || run.runtimeSeconds < m_minRunTime)
            continue;
        if (belowMedianStreak(run, runs) >= std::max(m_patience, 1))
            stop.push_back(run.id);
    }
    return stop;
}

std::string MedianStopper::describe() const
{
    return "median_stopping min_step " + std::to_string(m_minStep) + ", min_run_time "
           + formatNumber(m_minRunTime) + " s, patience " + std::to_string(m_patience);
}

} // namespace seplab::sweep
