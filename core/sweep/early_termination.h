#pragma once

// Early termination of running trials: the interface every rule implements and the factory that
// builds one from a sweep's `early_terminate:` section.
//
//   hyperband        W&B's exact rule (hpo.md §1(a)), see hyperband_stopping.h
//   asha             asynchronous successive halving, judged once per rung, see asha_stopping.h
//   median_stopping  stop after `patience` judgements below the median, see median_stopping.h
//
// Every rule counts iterations as W&B does: iteration k is the k-th finite value logged for the
// metric, not the training step. Values arrive raw; each rule negates them itself when the goal
// is maximize, so that inside a rule smaller is always better.

#include "core/sweep/search_space.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace seplab::sweep {

struct RunProgress
{
    std::int64_t id = 0;
    bool running = false;       // only running runs can be stopped
    std::vector<double> values; // the metric's finite values in logged order, raw (not negated)
    double runtimeSeconds = 0.0;
};

class EarlyStopper
{
public:
    virtual ~EarlyStopper() = default;
    // Ids of running runs to stop now. Re-evaluated on every pass (W&B re-judges on every pass).
    virtual std::vector<std::int64_t> runsToStop(const std::vector<RunProgress> &runs) const = 0;
    // Iterations at which decisions are taken (the GUI draws them); W&B's min_iter ladder is
    // unbounded: return the bands <= maxIteration.
    virtual std::vector<int> bands(int maxIteration) const = 0;
    // One line, e.g. "hyperband min_iter 10, eta 3, strict".
    virtual std::string describe() const = 0;
};

// The rule `config` describes, for a metric to maximize or minimize. Throws
// std::invalid_argument for a configuration that yields no band (hyperband max_iter below eta,
// or s 0) or that lacks a key the rule needs.
std::unique_ptr<EarlyStopper> makeEarlyStopper(const EarlyTerminate &config, bool maximize);

// The values with smaller-is-better orientation (negated when maximizing).
std::vector<double> smallerIsBetter(const std::vector<double> &values, bool maximize);

// The geometric ladder first·eta^k (k = 0, 1, ...) as W&B builds it: the float is multiplied by
// eta again and again and truncated to an integer at each rung; rungs above `limit` are left off
// and repeated integers (eta below 2) appear once.
std::vector<int> geometricLadder(int first, double eta, int limit);

// A number for describe() and messages: integers without a decimal point, others with up to six
// significant digits ("3", "2.5").
std::string formatNumber(double value);

} // namespace seplab::sweep
