#include "core/sweep/promotion.h"

#include "core/sweep/early_termination.h" // formatNumber

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace seplab::sweep {

using nlohmann::json;

namespace {

// The configuration's point in [0, 1]^d (d = the non-constant parameters).
std::vector<double> coordinates(const SearchSpace &space,
                                const json &config,
                                const std::string &trial)
{
    std::vector<double> point;
    for (const NamedParameter &named : space.parameters()) {
        if (named.parameter.isConstant())
            continue;
        const auto value = parameterValue(config, named);
        if (!value)
            throw std::invalid_argument("trial '" + trial + "' has no value for parameter '"
                                        + named.name + "'.");
        try {
            point.push_back(named.parameter.cdf(*value));
        } catch (const std::invalid_argument &error) {
            throw std::invalid_argument("trial '" + trial + "', parameter '" + named.name
                                        + "': " + error.what());
        }
    }
    return point;
}

double distance(const std::vector<double> &a, const std::vector<double> &b)
{
    if (a.empty())
        return 0.0;
    double sum = 0.0;
    for (std::size_t i = 0; i < a.size(); ++i)
        sum += (a[i] - b[i]) * (a[i] - b[i]);
    return std::sqrt(sum) / std::sqrt(double(a.size()));
}

std::string twoDecimals(double value)
{
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.2f", value);
    return buffer;
}

} // namespace

double configurationDistance(const SearchSpace &space, const json &a, const json &b)
{
    return distance(coordinates(space, a, "a"), coordinates(space, b, "b"));
}

std::vector<Promoted> promoteTopK(const SearchSpace &space,
                                  const std::vector<RankedTrial> &trials,
                                  const PromotionSpec &spec,
                                  bool maximize)
{
    if (spec.topK < 1)
        throw std::invalid_argument("promote 'top_k' must be at least 1, not "
                                    + std::to_string(spec.topK) + ".");
    if (!(spec.minDistance >= 0.0))
        throw std::invalid_argument("promote 'min_distance' must be zero or positive, not "
                                    + formatNumber(spec.minDistance) + ".");
    const std::vector<std::size_t> order = rankTrials(trials, maximize);
    const auto k = std::min(order.size(), std::size_t(spec.topK));
    std::vector<std::pair<std::size_t, Promoted>> picked; // (rank position, promotion)

    const bool diverse = spec.diverse
                         && std::any_of(space.parameters().begin(),
                                        space.parameters().end(),
                                        [](const NamedParameter &p) {
                                            return !p.parameter.isConstant();
                                        });
    if (!diverse) {
        for (std::size_t r = 0; r < k; ++r)
            picked.push_back({r, {order[r], "rank " + std::to_string(r + 1)}});
    } else {
        std::vector<std::vector<double>> points;
        for (std::size_t index : order)
            points.push_back(coordinates(space, trials[index].config, trials[index].name));
        struct Skipped
        {
            std::size_t rank;
            std::string why;
        };
        std::vector<Skipped> skipped;
        for (std::size_t r = 0; r < order.size() && picked.size() < k; ++r) {
            // The nearest trial promoted so far.
            double nearest = 2.0;
            std::size_t nearestRank = 0;
            for (const auto &[rank, promoted] : picked) {
                const double d = distance(points[r], points[rank]);
                if (d < nearest) {
                    nearest = d;
                    nearestRank = rank;
                }
            }
            const std::string to = twoDecimals(nearest)
                                   + (" to rank " + std::to_string(nearestRank + 1));
            if (!picked.empty() && nearest < spec.minDistance) {
                skipped.push_back({r, to + " < " + formatNumber(spec.minDistance)});
                continue;
            }
            std::string reason = "rank " + std::to_string(r + 1);
            if (!picked.empty())
                reason += ", distance " + twoDecimals(nearest) + " from rank "
                          + std::to_string(nearestRank + 1);
            picked.push_back({r, {order[r], reason}});
        }
        for (std::size_t s = 0; s < skipped.size() && picked.size() < k; ++s)
            picked.push_back(
                {skipped[s].rank,
                 {order[skipped[s].rank],
                  "rank " + std::to_string(skipped[s].rank + 1) + ", filled in: distance "
                      + skipped[s].why + " (too few diverse trials)"}});
        std::sort(picked.begin(), picked.end(), [](const auto &a, const auto &b) {
            return a.first < b.first;
        });
    }
    std::vector<Promoted> out;
    for (auto &entry : picked)
        out.push_back(std::move(entry.second));
    return out;
}

} // namespace seplab::sweep
