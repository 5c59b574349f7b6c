#pragma once

// `early_terminate: type: median_stopping` (a SepLab extension the users' conservative stage
// uses: min_run_time 1200, min_step 20, patience 5). Optuna's MedianPruner and Ray's
// MedianStoppingRule compare a trial's best value so far with the median of the other trials at
// the same step (spec hpo.md §2, §3); this rule does the same at every step and adds patience:
//
// Steps are W&B's iterations: step k is the k-th finite logged value.
// A run is judged only while running, once it has at least min_step values and has run at least
// min_run_time seconds (the runtime now: the history carries no time per value).
// Judgement at step k (for every k from max(min_step, 1) to its number of values): its best
// value among its first k (smaller is better after negating a maximized metric) against the
// median of the k-th values of every OTHER run, in any state, that has at least k values (the
// mean of the middle two for an even count, as numpy's median). Strictly worse than the median
// counts as "below"; a tie does not. A step that no other run reached gives no judgement.
// The run is stopped when its latest max(patience, 1) judgements were all below the median
// (patience 0 and 1 both stop at the first). Nothing is remembered between passes: each pass
// re-judges every step against today's population, so a run that recovered is not stopped.

#include "core/sweep/early_termination.h"

#include <algorithm>

namespace seplab::sweep {

class MedianStopper : public EarlyStopper
{
public:
    // Throws std::invalid_argument for a negative min_run_time, min_step or patience.
    MedianStopper(const EarlyTerminate &config, bool maximize);

    std::vector<std::int64_t> runsToStop(const std::vector<RunProgress> &runs) const override;
    // Every step from the first judged one: max(min_step, 1) .. maxIteration.
    std::vector<int> bands(int maxIteration) const override;
    std::string describe() const override;

    // The run's trailing count of consecutive judgements below the median (0 when the latest
    // judgement was not below, or there was none). Ignores running and min_run_time.
    int belowMedianStreak(const RunProgress &run, const std::vector<RunProgress> &runs) const;

private:
    int firstStep() const { return std::max(m_minStep, 1); }

    double m_minRunTime;
    int m_minStep;
    int m_patience;
    bool m_maximize;
};

// The median of `values` (the mean of the middle two for an even count). Requires a value.
double median(std::vector<double> values);

} // namespace seplab::sweep
