#pragma once

// A multivariate Tree-structured Parzen Estimator in the manner of Optuna's
// TPESampler(multivariate=True, constant_liar=True) (spec hpo.md §2 "TPESampler"), seeded.
//
// - Until 10 trials are Finished or Stopped, RandomSampler's draw for the same seed and trial.
// - Trials are ranked as Optuna ranks them (minimised; a maximised metric is negated): Finished
//   trials by the best value of their history (a Finished trial that logged nothing, and every
//   Failed trial, is left out, as Optuna ignores failed trials), then Stopped trials (Optuna's
//   pruned) by the deepest step reached, then their last value, then Running trials. The first
//   gamma(n) = min(ceil(0.1 n), 25) of n Finished+Stopped trials are "below" (good), the rest
//   "above" (bad): running trials always land above (the constant liar scores them as the worst),
//   so parallel workers steer away from each other.
// - Each group gives a Parzen estimator over the unit cube of UnitEncoding (the parameters'
//   CDFs: log distributions are modelled in log space, as Optuna does; int_uniform values sit at
//   the centre of their CDF step; a normal parameter in quantile space): one kernel per trial
//   plus a prior kernel (weight 1). Numeric axes: normals truncated to [0,1], with the same
//   bandwidth on every kernel, 0.2·max(m,1)^(−1/(d+4)) (Scott's rule, as Optuna's multivariate
//   mode), the prior N(0.5, 1), every bandwidth clipped to [1/min(100, m+2), 1] (the "magic
//   clip"). Categorical axes: Optuna's categorical kernel, the observed choice plus the prior
//   weight spread uniformly, so no order is assumed. Trial weights: 1 for the 25 most recent,
//   a ramp from 1/m down for older ones (default_weights).
// - 24 candidates drawn from the good estimator l(x); the one with the largest log l(x) − log g(x).

#include "core/sweep/sampler.h"

namespace seplab::sweep {

class TpeSampler : public Sampler
{
public:
    static constexpr std::size_t kStartupTrials = 10;
    static constexpr std::size_t kCandidates = 24;
    static constexpr double kPriorWeight = 1.0;

    TpeSampler(SearchSpace space, MetricSpec metric, std::uint64_t seed);
    TpeSampler(const TpeSampler &) = delete; // the encoding points into m_space
    TpeSampler &operator=(const TpeSampler &) = delete;

    std::optional<nlohmann::json> suggest(std::uint64_t trial,
                                          const std::vector<TrialObservation> &trials) override;
    std::string method() const override { return "tpe"; }

    // Optuna's default_gamma and default_weights.
    static std::size_t gamma(std::size_t n);
    static std::vector<double> weights(std::size_t n);

    // The good and bad groups as indices into `trials`, each in trial order; trials left out of
    // the model (failed, unencodable) are in neither. `ranked` counts Finished+Stopped trials.
    struct Split
    {
        std::vector<std::size_t> below;
        std::vector<std::size_t> above;
        std::size_t ranked = 0;
    };
    Split split(const std::vector<TrialObservation> &trials) const;

private:
    // A trial's point for the estimators: numeric axes in [0,1], categorical axes the index.
    std::optional<std::vector<double>> point(const nlohmann::json &config) const;

    SearchSpace m_space;
    MetricSpec m_metric;
    std::uint64_t m_seed;
    UnitEncoding m_encoding;
};

} // namespace seplab::sweep
