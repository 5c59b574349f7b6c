#pragma once

// W&B's `early_terminate: type: hyperband`, exactly as wandb/sweeps' hyperband_stop_runs
// decides (spec hpo.md §1(a), §1(g)):
//
// Bands. With max_iter (this wins when min_iter is also given): max_iter divided by eta up to s
// times, each quotient truncated, stopping once a quotient drops below 1, sorted ascending;
// max_iter itself is no band (27, s 2, eta 3 -> [3, 9]; 18 -> [2, 6]). With min_iter: the
// unbounded ladder min_iter·eta^k; s is ignored. No band at all is a configuration error.
//
// Thresholds, recomputed on every pass. For band b, every run in any state whose history has at
// least b values contributes its b-th value; sorted ascending (smaller is better after negating
// a maximized metric), the threshold is the element at index int(n / eta) (0-based), i.e. the
// (floor(n/eta)+1)-th best; with n = 0 it is +infinity.
//
// Decisions. Only running runs are judged, at their closest band: the largest band not above
// their number of values (before the first band nothing happens). The decision value is the
// run's own b-th value when strict (W&B's default), else its best value so far, values after
// the band included. A run is stopped when that value is strictly worse than the threshold, so
// ties survive. A run that passed band b is judged again on every pass, against a threshold that
// tightens as more runs reach b.

#include "core/sweep/early_termination.h"

namespace seplab::sweep {

class HyperbandStopper : public EarlyStopper
{
public:
    // Throws std::invalid_argument when the configuration gives no band.
    HyperbandStopper(const EarlyTerminate &config, bool maximize);

    std::vector<std::int64_t> runsToStop(const std::vector<RunProgress> &runs) const override;
    std::vector<int> bands(int maxIteration) const override;
    std::string describe() const override;

    // The threshold at band b over `runs` (smaller is better; +infinity when no run reached b).
    double threshold(const std::vector<RunProgress> &runs, int band) const;

private:
    EarlyTerminate m_config;
    bool m_maximize;
    std::vector<int> m_maxIterBands; // the max_iter form's fixed bands; empty for min_iter
};

} // namespace seplab::sweep
