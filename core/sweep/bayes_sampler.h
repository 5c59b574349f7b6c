#pragma once

// W&B's bayes search (spec hpo.md §1(b)), seeded:
//
// - Every non-constant parameter is one axis of [0,1]^d through its CDF (UnitEncoding).
// - Observations, minimised (negated when the goal is maximize): a Finished or Stopped trial gives
//   the best value of its history (SepLab stops a trial cleanly, so a stopped trial is not a
//   crash); a Failed one, or a finished one that logged nothing, is imputed by metric.impute:
//   `worst` (the default) the worst value any terminal trial logged, 0.0 when none did; `best`
//   the best such value; `latest` its own last value (else the worst).
// - Running trials are in flight: with metric.impute_while_running `false` (the default) their
//   points join with the posterior mean as a fantasy target and the GP is refit ("kriging
//   believer"), at most 95 of them; with latest/best/worst their partial history is a real
//   observation (none yet: in flight).
// - A GaussianProcess on at most 100 observations (a seeded subset beyond that); 1000 uniform
//   candidates seeded by (seed, trial); the arg-max of expected improvement over the best
//   observation, mapped back through the inverse CDFs.
// - Fewer than 2 observations: RandomSampler's draw for the same seed and trial, so the start of a
//   bayes stage is the same as a random one. A length-scale fitted at its bound (or a kernel
//   matrix that cannot be factorised): the first candidate, a uniform random point, as W&B falls
//   back to a random one.
// - Not W&B's: the seeding (W&B is unseeded), a subset drawn without replacement, and no
//   restarts of the length-scale search (a deterministic grid plus golden section instead).

#include "core/sweep/sampler.h"

namespace seplab::sweep {

class BayesSampler : public Sampler
{
public:
    static constexpr std::size_t kCandidates = 1000;
    static constexpr std::size_t kMaxObservations = 100;
    static constexpr std::size_t kMaxInFlight = 95;

    BayesSampler(SearchSpace space, MetricSpec metric, std::uint64_t seed);
    BayesSampler(const BayesSampler &) = delete; // the encoding points into m_space
    BayesSampler &operator=(const BayesSampler &) = delete;

    std::optional<nlohmann::json> suggest(std::uint64_t trial,
                                          const std::vector<TrialObservation> &trials) override;
    std::string method() const override { return "bayes"; }

    // What the model sees of the trials: points in [0,1]^d with their minimised targets, and
    // the in-flight points. Trials whose config does not fit the space are left out.
    struct ModelInput
    {
        std::vector<std::vector<double>> points;
        std::vector<double> targets;
        std::vector<std::vector<double>> inFlight;
    };
    ModelInput modelInput(const std::vector<TrialObservation> &trials) const;

private:
    SearchSpace m_space;
    MetricSpec m_metric;
    std::uint64_t m_seed;
    UnitEncoding m_encoding;
};

} // namespace seplab::sweep
