#pragma once

// What the model-based sampler tests share: small constructors for spaces, metrics and
// observed trials, and the Branin benchmark they race random search on.

#include "core/sweep/sampler.h"
#include "core/sweep/search_space.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace seplab::sweep::test {

inline SearchSpace space(const char *yaml)
{
    return SearchSpace::parse(yaml, "p.yaml");
}

inline MetricSpec metric(const std::string &goal)
{
    MetricSpec m;
    m.name = "score";
    m.goal = goal;
    return m;
}

inline TrialObservation trial(nlohmann::json config,
                              TrialOutcome outcome,
                              std::vector<double> history)
{
    return {std::move(config), outcome, std::move(history)};
}

// Branin-Hoo on x1 ∈ [−5, 10], x2 ∈ [0, 15]; its minimum is 0.397887 (three places).
inline double branin(double x1, double x2)
{
    const double b = 5.1 / (4.0 * M_PI * M_PI), c = 5.0 / M_PI, t = 1.0 / (8.0 * M_PI);
    const double u = x2 - b * x1 * x1 + c * x1 - 6.0;
    return u * u + 10.0 * (1.0 - t) * std::cos(x1) + 10.0;
}

inline double braninOf(const nlohmann::json &c)
{
    return branin(c.at("x1").get<double>(), c.at("x2").get<double>());
}

inline const char *const kBraninSpace
    = "x1:\n  min: -5.0\n  max: 10.0\nx2:\n  min: 0.0\n  max: 15.0\n";

// The lowest Branin value `sampler` finds in `budget` sequential trials, maximising −Branin.
inline double bestOfRun(Sampler &sampler, int budget)
{
    std::vector<TrialObservation> trials;
    double best = std::numeric_limits<double>::infinity();
    for (int i = 0; i < budget; ++i) {
        const nlohmann::json config = *sampler.suggest(std::uint64_t(i), trials);
        const double value = braninOf(config);
        best = std::min(best, value);
        trials.push_back(trial(config, TrialOutcome::Finished, {-value}));
    }
    return best;
}

} // namespace seplab::sweep::test
