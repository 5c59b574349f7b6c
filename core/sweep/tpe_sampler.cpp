#include "core/sweep/tpe_sampler.h"

#include "core/data/deterministic_random.h"
#include "core/sweep/samplers.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <tuple>

namespace seplab::sweep {

namespace {

using nlohmann::json;

constexpr std::uint64_t kCandidateStream = 0x243F6A8885A308D3ULL;
constexpr std::size_t kFlatWeights = 25;
constexpr double kBandwidthMagnitude = 0.2;
constexpr double kLogSqrt2Pi = 0.91893853320467274178; // log(√(2π))

struct Axis
{
    std::size_t choices = 0; // 0 for a numeric axis
};

// A weighted mixture of product kernels over the axes: one kernel per observation, the prior last.
class ParzenEstimator
{
public:
    ParzenEstimator(const std::vector<Axis> &axes,
                    const std::vector<std::vector<double>> &observations)
        : m_axes(axes)
    {
        const std::size_t m = observations.size();
        m_weights = TpeSampler::weights(m);
        m_weights.push_back(TpeSampler::kPriorWeight);
        const double total = std::accumulate(m_weights.begin(), m_weights.end(), 0.0);
        for (double &w : m_weights)
            w /= total;

        const std::size_t kernels = m + 1;
        const double bandwidth = kBandwidthMagnitude
                                 * std::pow(double(std::max<std::size_t>(m, 1)),
                                            -1.0 / double(axes.size() + 4));
        const double minBandwidth = 1.0 / std::min(100.0, 1.0 + double(kernels));
        m_kernels.resize(kernels);
        for (std::size_t k = 0; k < kernels; ++k) {
            const bool prior = k == m;
            for (std::size_t a = 0; a < axes.size(); ++a) {
                Component c;
                if (axes[a].choices == 0) {
                    c.mu = prior ? 0.5 : observations[k][a];
                    c.sigma = std::clamp(prior ? 1.0 : bandwidth, minBandwidth, 1.0);
                    c.mass = normalCdf((1.0 - c.mu) / c.sigma) - normalCdf(-c.mu / c.sigma);
                } else {
                    // The prior weight spread over the choices, plus the observed one.
                    const std::size_t n = axes[a].choices;
                    c.probabilities.assign(n, TpeSampler::kPriorWeight / double(kernels));
                    if (!prior)
                        c.probabilities[std::size_t(observations[k][a])] += 1.0;
                    const double sum = std::accumulate(c.probabilities.begin(),
                                                       c.probabilities.end(),
                                                       0.0);
                    for (double &p : c.probabilities)
                        p /= sum;
                }
                m_kernels[k].push_back(std::move(c));
            }
        }
    }

    std::vector<double> sample(data::SplitMix64 &rng) const
    {
        const std::size_t k = pick(m_weights, uniformOpen01(rng));
        std::vector<double> x(m_axes.size());
        for (std::size_t a = 0; a < m_axes.size(); ++a) {
            const Component &c = m_kernels[k][a];
            const double u = uniformOpen01(rng);
            if (m_axes[a].choices == 0) {
                // Inverse CDF of the normal truncated to [0, 1].
                const double lo = normalCdf(-c.mu / c.sigma);
                x[a] = std::clamp(c.mu + c.sigma * normalPpf(lo + u * c.mass), 0.0, 1.0);
            } else {
                x[a] = double(pick(c.probabilities, u));
            }
        }
        return x;
    }

    double logDensity(const std::vector<double> &x) const
    {
        // log Σ_k w_k Π_a p_ka(x_a), summed stably around the largest term.
        std::vector<double> terms(m_kernels.size());
        for (std::size_t k = 0; k < m_kernels.size(); ++k) {
            double t = std::log(m_weights[k]);
            for (std::size_t a = 0; a < m_axes.size(); ++a) {
                const Component &c = m_kernels[k][a];
                if (m_axes[a].choices == 0) {
                    const double z = (x[a] - c.mu) / c.sigma;
                    t += -0.5 * z * z - kLogSqrt2Pi - std::log(c.sigma) - std::log(c.mass);
                } else {
                    t += std::log(c.probabilities[std::size_t(x[a])]);
                }
            }
            terms[k] = t;
        }
        const double top = *std::max_element(terms.begin(), terms.end());
        double sum = 0.0;
        for (const double t : terms)
            sum += std::exp(t - top);
        return top + std::log(sum);
    }

private:
    struct Component
    {
        double mu = 0.0;
        double sigma = 1.0;
        double mass = 1.0; // of the untruncated normal inside [0, 1]
        std::vector<double> probabilities;
    };

    // The index whose cumulative weight first reaches u.
    static std::size_t pick(const std::vector<double> &weights, double u)
    {
        double cumulative = 0.0;
        for (std::size_t i = 0; i < weights.size(); ++i) {
            cumulative += weights[i];
            if (u <= cumulative)
                return i;
        }
        return weights.size() - 1;
    }

    std::vector<Axis> m_axes;
    std::vector<double> m_weights;
    std::vector<std::vector<Component>> m_kernels; // [kernel][axis]
};

} // namespace

TpeSampler::TpeSampler(SearchSpace space, MetricSpec metric, std::uint64_t seed)
    : m_space(std::move(space))
    , m_metric(std::move(metric))
    , m_seed(seed)
    , m_encoding(m_space)
{}

std::size_t TpeSampler::gamma(std::size_t n)
{
    return std::min<std::size_t>((n + 9) / 10, 25); // ceil(0.1 n), at most 25
}

std::vector<double> TpeSampler::weights(std::size_t n)
{
    if (n < kFlatWeights)
        return std::vector<double>(n, 1.0);
    // numpy.linspace(1/n, 1, n − 25) for the oldest, then 25 ones.
    std::vector<double> w;
    const std::size_t ramp = n - kFlatWeights;
    for (std::size_t i = 0; i < ramp; ++i) {
        const double start = 1.0 / double(n);
        w.push_back(ramp == 1 ? start : start + (1.0 - start) * double(i) / double(ramp - 1));
    }
    w.insert(w.end(), kFlatWeights, 1.0);
    return w;
}

std::optional<std::vector<double>> TpeSampler::point(const json &config) const
{
    std::optional<std::vector<double>> unit = m_encoding.encode(config);
    if (!unit)
        return std::nullopt;
    for (std::size_t a = 0; a < m_encoding.dimensions(); ++a) {
        const Parameter &p = m_encoding.axes()[a]->parameter;
        if (p.isCategorical())
            (*unit)[a] = double(*p.indexOf(*valueAt(config, *m_encoding.axes()[a])));
        else if (p.distribution() == Distribution::IntUniform)
            (*unit)[a] -= 0.5 / (p.max() - p.min() + 1.0); // the centre of the value's step
    }
    return unit;
}

TpeSampler::Split TpeSampler::split(const std::vector<TrialObservation> &trials) const
{
    const double sign = m_metric.maximize() ? -1.0 : 1.0;
    // Rank key: (group, then within it what Optuna sorts by, then the trial's position).
    // group 0 finished (best value), 1 stopped (deepest step first, then last value), 2 running.
    std::vector<std::tuple<int, double, double, std::size_t>> ranking;
    for (std::size_t i = 0; i < trials.size(); ++i) {
        const TrialObservation &t = trials[i];
        if (!point(t.config))
            continue;
        std::vector<double> minimised;
        for (const double v : t.history)
            minimised.push_back(sign * v);
        switch (t.outcome) {
        case TrialOutcome::Finished:
            if (!minimised.empty())
                ranking.emplace_back(0,
                                     *std::min_element(minimised.begin(), minimised.end()),
                                     0.0,
                                     i);
            break;
        case TrialOutcome::Stopped:
            ranking.emplace_back(1,
                                 -double(minimised.size()),
                                 minimised.empty() ? std::numeric_limits<double>::infinity()
                                                   : minimised.back(),
                                 i);
            break;
        case TrialOutcome::Running:
            ranking.emplace_back(2, 0.0, 0.0, i);
            break;
        case TrialOutcome::Failed:
            break;
        }
    }
    std::sort(ranking.begin(), ranking.end());
    Split result;
    for (const auto &r : ranking)
        result.ranked += std::get<0>(r) < 2 ? 1 : 0;
    const std::size_t nBelow = gamma(result.ranked);
    for (std::size_t r = 0; r < ranking.size(); ++r)
        (r < nBelow ? result.below : result.above).push_back(std::get<3>(ranking[r]));
    std::sort(result.below.begin(), result.below.end());
    std::sort(result.above.begin(), result.above.end());
    return result;
}

std::optional<json> TpeSampler::suggest(std::uint64_t trial,
                                        const std::vector<TrialObservation> &trials)
{
    const Split groups = split(trials);
    const std::size_t d = m_encoding.dimensions();
    if (d == 0 || groups.ranked < kStartupTrials)
        return RandomSampler(m_space, m_seed).configuration(trial);

    std::vector<Axis> axes(d);
    for (std::size_t a = 0; a < d; ++a) {
        const Parameter &p = m_encoding.axes()[a]->parameter;
        axes[a].choices = p.isCategorical() ? p.values().size() : 0;
    }
    auto pointsOf = [&](const std::vector<std::size_t> &indices) {
        std::vector<std::vector<double>> points;
        for (const std::size_t i : indices)
            points.push_back(*point(trials[i].config));
        return points;
    };
    const ParzenEstimator good(axes, pointsOf(groups.below));
    const ParzenEstimator bad(axes, pointsOf(groups.above));

    data::SplitMix64 rng(data::mixSeed(m_seed, trial, kCandidateStream));
    std::vector<double> chosen;
    double bestScore = -std::numeric_limits<double>::infinity();
    for (std::size_t c = 0; c < kCandidates; ++c) {
        std::vector<double> x = good.sample(rng);
        const double score = good.logDensity(x) - bad.logDensity(x);
        if (chosen.empty() || score > bestScore) {
            bestScore = score;
            chosen = std::move(x);
        }
    }

    json config = m_encoding.constants();
    for (std::size_t a = 0; a < d; ++a) {
        const NamedParameter &p = *m_encoding.axes()[a];
        const json value = axes[a].choices > 0
                               ? p.parameter.values()[std::size_t(chosen[a])]
                               : p.parameter.ppf(std::clamp(chosen[a], 1e-12, 1.0 - 1e-12));
        SearchSpace::assign(config, p, value);
    }
    return config;
}

} // namespace seplab::sweep
