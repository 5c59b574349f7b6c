#pragma once

// Asynchronous successive halving (ASHA; Li et al., MLSys 2020), `early_terminate: type: asha`
// (a SepLab extension; W&B knows only hyperband). The rule, as Optuna's SuccessiveHalvingPruner
// applies it (spec hpo.md §2), on W&B's iteration count (the k-th finite logged value):
//
// Rungs: min_iter·eta^k (k = 0, 1, ...; the float multiplied by eta and truncated, as W&B's
// ladder), only those below max_iter when max_iter is given (a run at max_iter has its whole
// budget, as Ray's max_t).
//
// Records. On each pass, every run in any state that has reached a rung it has no record at
// yet records its value at that rung (its r-th value; smaller is better after negating a
// maximized metric). Runs are taken in the order given, rungs from the lowest. A record is never
// changed or removed, so the rung's population is every run that reached it so far.
//
// Judgement, once per rung. A run that is running when its record at a rung is made is judged
// right then against the records at that rung so far, its own included (n values): it may go on
// when at most k - 1 recorded values are strictly better than its own, with
// k = max(1, floor(n / eta)) - the top 1/eta of the rung, and while fewer than eta runs reached
// the rung, only a run at least as good as every earlier one. Ties go to the run. A run that
// passed a rung is not judged there again; a run found wanting stays marked and is returned on
// every pass while it is still running (until the controller sees it stop).
//
// Because decisions depend on the order runs reach a rung, the stopper keeps that history: it
// is the one stateful rule, and runsToStop() records what it sees (thread-safe). A stopper
// rebuilt after a restart re-records the current histories in the order given.

#include "core/sweep/early_termination.h"

#include <map>
#include <mutex>
#include <optional>
#include <set>

namespace seplab::sweep {

class AshaStopper : public EarlyStopper
{
public:
    // Throws std::invalid_argument without min_iter >= 1, or with max_iter not above min_iter.
    AshaStopper(const EarlyTerminate &config, bool maximize);

    std::vector<std::int64_t> runsToStop(const std::vector<RunProgress> &runs) const override;
    std::vector<int> bands(int maxIteration) const override;
    std::string describe() const override;

private:
    bool survives(int rung, double value) const;

    int m_minIter;
    double m_eta;
    std::optional<int> m_maxIter;
    bool m_maximize;

    mutable std::mutex m_mutex;
    // rung -> recorded values (smaller is better), and per run the rungs it has recorded at.
    mutable std::map<int, std::vector<double>> m_records;
    mutable std::map<std::int64_t, std::set<int>> m_recordedRungs;
    mutable std::set<std::int64_t> m_condemned; // judged and found wanting
};

} // namespace seplab::sweep
