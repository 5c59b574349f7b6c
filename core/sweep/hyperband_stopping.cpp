#include "core/sweep/hyperband_stopping.h"

#include <algorithm>
#include <limits>
#include <map>
#include <stdexcept>

namespace seplab::sweep {

namespace {

// The value the run is judged with, smaller is better.
double oriented(double value, bool maximize)
{
    return maximize ? -value : value;
}

} // namespace

HyperbandStopper::HyperbandStopper(const EarlyTerminate &config, bool maximize)
    : m_config(config)
    , m_maximize(maximize)
{
    if (m_config.maxIter) {
        if (!m_config.s)
            throw std::invalid_argument("hyperband's 'max_iter' needs 's'.");
        // W&B divides the running float by eta, truncating only the band it keeps.
        double band = *m_config.maxIter;
        for (int i = 0; i < *m_config.s; ++i) {
            band /= m_config.eta;
            if (band < 1.0)
                break;
            m_maxIterBands.push_back(int(band));
        }
        std::sort(m_maxIterBands.begin(), m_maxIterBands.end());
        if (m_maxIterBands.empty())
            throw std::invalid_argument("hyperband gives no band: max_iter "
                                        + std::to_string(*m_config.maxIter) + " divided by eta "
                                        + formatNumber(m_config.eta)
                                        + " is below 1 (increase max_iter or s, or decrease eta).");
    } else if (!m_config.minIter) {
        throw std::invalid_argument("hyperband needs 'min_iter', or 'max_iter' and 's'.");
    } else if (*m_config.minIter < 1) {
        throw std::invalid_argument("hyperband's 'min_iter' must be at least 1, not "
                                    + std::to_string(*m_config.minIter) + ".");
    }
}

std::vector<int> HyperbandStopper::bands(int maxIteration) const
{
    if (!m_config.maxIter)
        return geometricLadder(*m_config.minIter, m_config.eta, maxIteration);
    std::vector<int> out;
    for (int band : m_maxIterBands)
        if (band <= maxIteration)
            out.push_back(band);
    return out;
}

double HyperbandStopper::threshold(const std::vector<RunProgress> &runs, int band) const
{
    std::vector<double> atBand;
    for (const RunProgress &run : runs)
        if (int(run.values.size()) >= band)
            atBand.push_back(oriented(run.values[std::size_t(band - 1)], m_maximize));
    if (atBand.empty())
        return std::numeric_limits<double>::infinity();
    std::sort(atBand.begin(), atBand.end());
    // W&B's index: int((1/eta) * n), which equals floor(n / eta).
    const auto index = std::size_t((1.0 / m_config.eta) * double(atBand.size()));
    return atBand[std::min(index, atBand.size() - 1)];
}

std::vector<std::int64_t> HyperbandStopper::runsToStop(const std::vector<RunProgress> &runs) const
{
    int longest = 0;
    for (const RunProgress &run : runs)
        longest = std::max(longest, int(run.values.size()));
    const std::vector<int> ladder = bands(longest);

    // One threshold per band per pass, as W&B computes them before judging any run.
    std::map<int, double> thresholds;
    for (int band : ladder)
        thresholds[band] = threshold(runs, band);

    std::vector<std::int64_t> stop;
    for (const RunProgress &run : runs) {
        if (!run.running || run.values.empty())
            continue;
        const int length = int(run.values.size());
        int closest = -1;
        for (int band : ladder)
            if (band <= length)
                closest = band;
        if (closest < 0)
            continue; // not at the first band yet
        double decision = oriented(run.values[std::size_t(closest - 1)], m_maximize);
        if (!m_config.strict)
            for (double v : run.values)
                decision = std::min(decision, oriented(v, m_maximize));
        if (decision > thresholds.at(closest))
            stop.push_back(run.id);
    }
    return stop;
}

std::string HyperbandStopper::describe() const
{
    std::string text = "hyperband ";
    if (m_config.maxIter)
        text += "max_iter " + std::to_string(*m_config.maxIter) + ", s "
                + std::to_string(*m_config.s);
    else
        text += "min_iter " + std::to_string(*m_config.minIter);
    text += ", eta " + formatNumber(m_config.eta)
            + (m_config.strict ? ", strict" : ", conservative");
    return text;
}

} // namespace seplab::sweep
