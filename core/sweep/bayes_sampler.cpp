#include "core/sweep/bayes_sampler.h"

#include "core/data/deterministic_random.h"
#include "core/sweep/gaussian_process.h"
#include "core/sweep/samplers.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace seplab::sweep {

namespace {

using nlohmann::json;

// Distinct streams per purpose, so the candidates never reuse the subset's random numbers.
constexpr std::uint64_t kCandidateStream = 0xB7E151628AED2A6BULL;
constexpr std::uint64_t kSubsetStream = 0x9E3779B97F4A7C15ULL;
constexpr double kInvSqrt2Pi = 0.39894228040143267794; // 1/√(2π)

double expectedImprovement(double best, double mean, double stddev)
{
    if (!(stddev > 0.0))
        return std::max(best - mean, 0.0);
    const double z = (best - mean) / stddev;
    const double density = kInvSqrt2Pi * std::exp(-0.5 * z * z);
    return (best - mean) * normalCdf(z) + stddev * density;
}

} // namespace

BayesSampler::BayesSampler(SearchSpace space, MetricSpec metric, std::uint64_t seed)
    : m_space(std::move(space))
    , m_metric(std::move(metric))
    , m_seed(seed)
    , m_encoding(m_space)
{
    const auto known = {"worst", "best", "latest"};
    if (std::find(known.begin(), known.end(), m_metric.impute) == known.end())
        throw std::invalid_argument("metric.impute must be worst, best or latest, not '"
                                    + m_metric.impute + "'.");
}

BayesSampler::ModelInput BayesSampler::modelInput(const std::vector<TrialObservation> &trials) const
{
    // Everything is minimised: a maximised metric is negated.
    const double sign = m_metric.maximize() ? -1.0 : 1.0;
    auto best = [&](const std::vector<double> &h) {
        double b = std::numeric_limits<double>::infinity();
        for (const double v : h)
            b = std::min(b, sign * v);
        return b;
    };
    auto worst = [&](const std::vector<double> &h) {
        double w = -std::numeric_limits<double>::infinity();
        for (const double v : h)
            w = std::max(w, sign * v);
        return w;
    };

    // The worst and best values any terminal trial logged (0.0 when none did, as W&B).
    std::optional<double> worstTerminal, bestTerminal;
    for (const TrialObservation &t : trials) {
        if (t.outcome == TrialOutcome::Running || t.history.empty())
            continue;
        worstTerminal = std::max(worstTerminal.value_or(-std::numeric_limits<double>::infinity()),
                                 worst(t.history));
        bestTerminal = std::min(bestTerminal.value_or(std::numeric_limits<double>::infinity()),
                                best(t.history));
    }
    auto imputed = [&](const TrialObservation &t) {
        if (m_metric.impute == "best")
            return bestTerminal.value_or(0.0);
        if (m_metric.impute == "latest" && !t.history.empty())
            return sign * t.history.back();
        return worstTerminal.value_or(0.0);
    };

    ModelInput input;
    for (const TrialObservation &t : trials) {
        std::optional<std::vector<double>> point = m_encoding.encode(t.config);
        if (!point)
            continue;
        switch (t.outcome) {
        case TrialOutcome::Finished:
        case TrialOutcome::Stopped:
            input.points.push_back(std::move(*point));
            input.targets.push_back(t.history.empty() ? imputed(t) : best(t.history));
            break;
        case TrialOutcome::Failed:
            input.points.push_back(std::move(*point));
            input.targets.push_back(imputed(t));
            break;
        case TrialOutcome::Running: {
            const std::string &mode = m_metric.imputeWhileRunning;
            if (mode == "false" || t.history.empty()) {
                input.inFlight.push_back(std::move(*point));
                break;
            }
            input.points.push_back(std::move(*point));
            input.targets.push_back(mode == "latest" ? sign * t.history.back()
                                    : mode == "best" ? best(t.history)
                                                     : worst(t.history));
            break;
        }
        }
    }
    return input;
}

std::optional<json> BayesSampler::suggest(std::uint64_t trial,
                                          const std::vector<TrialObservation> &trials)
{
    const std::size_t d = m_encoding.dimensions();
    ModelInput input = modelInput(trials);
    if (d == 0 || input.targets.size() < 2)
        return RandomSampler(m_space, m_seed).configuration(trial);

    if (input.points.size() > kMaxObservations) {
        const auto keep = data::seededSubset(input.points.size(),
                                             kMaxObservations,
                                             data::mixSeed(m_seed, trial, kSubsetStream));
        ModelInput subset;
        for (const std::size_t i : keep) {
            subset.points.push_back(input.points[i]);
            subset.targets.push_back(input.targets[i]);
        }
        input.points = std::move(subset.points);
        input.targets = std::move(subset.targets);
    }
    // The most recent in-flight trials when there are too many.
    if (input.inFlight.size() > kMaxInFlight)
        input.inFlight.erase(input.inFlight.begin(),
                             input.inFlight.end() - std::ptrdiff_t(kMaxInFlight));

    data::SplitMix64 rng(data::mixSeed(m_seed, trial, kCandidateStream));
    std::vector<std::vector<double>> candidates(kCandidates, std::vector<double>(d));
    for (auto &candidate : candidates)
        for (double &u : candidate)
            u = uniformOpen01(rng);

    const double bestObserved = *std::min_element(input.targets.begin(), input.targets.end());
    std::optional<GaussianProcess> gp;
    try {
        gp = GaussianProcess::fit(input.points, input.targets);
        if (!input.inFlight.empty()) {
            // Kriging believer: pretend each in-flight trial returns the model's mean there,
            // which removes the variance (and so the expected improvement) around it.
            std::vector<double> fantasy, unused;
            gp->predict(input.inFlight, fantasy, unused);
            std::vector<std::vector<double>> points = input.points;
            std::vector<double> targets = input.targets;
            points.insert(points.end(), input.inFlight.begin(), input.inFlight.end());
            targets.insert(targets.end(), fantasy.begin(), fantasy.end());
            gp = GaussianProcess::fit(std::move(points), std::move(targets));
        }
    } catch (const std::invalid_argument &) {
        // A kernel matrix no length-scale could factorise (numerically degenerate data): like a
        // fit at a bound, nothing to trust.
        gp.reset();
    }
    // A length-scale at its bound means the likelihood found no structure: W&B distrusts the
    // model and returns a random candidate.
    if (!gp || gp->lengthScaleAtBound())
        return m_encoding.decode(candidates.front());

    std::vector<double> mean, stddev;
    gp->predict(candidates, mean, stddev);
    std::size_t chosen = 0;
    double bestGain = -std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i < candidates.size(); ++i) {
        const double gain = expectedImprovement(bestObserved, mean[i], stddev[i]);
        if (gain > bestGain) {
            bestGain = gain;
            chosen = i;
        }
    }
    return m_encoding.decode(candidates[chosen]);
}

} // namespace seplab::sweep
