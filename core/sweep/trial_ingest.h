#pragma once

// Turns what a trial prints into store rows: protocol events (start, epoch, checkpoint, end) of
// `seplab-cli train`, or `name=value` metric lines of an external program.

#include "core/exec/trial_line.h"
#include "core/store/experiment_store.h"

#include <optional>
#include <string>
#include <vector>

namespace seplab::sweep {

struct IngestResult
{
    std::vector<store::MetricRecord> metrics;
    bool recordChanged = false;           // the TrialRecord was updated
    bool metricAdvanced = false;          // a new value of the plan's metric arrived
    std::optional<std::string> endStatus; // the `end` event's status
};

class TrialIngest
{
public:
    TrialIngest(std::string metricName, bool maximize);

    // Applies one line to `trial` (best value, epochs, dataset hash, error) and returns the
    // metric rows to store. `lastStep` is the highest step already stored for the trial: rows at
    // or below it are dropped (a resumed trainer repeats nothing, but an events.jsonl catch-up
    // after a controller crash may overlap). `history` receives the plan metric's new values.
    IngestResult apply(store::TrialRecord &trial,
                       const exec::TrialLine &line,
                       int &lastStep,
                       std::vector<double> &history) const;

    const std::string &metricName() const { return m_metric; }

private:
    void noteMetric(store::TrialRecord &trial,
                    double value,
                    IngestResult &result,
                    std::vector<double> &history) const;

    std::string m_metric;
    bool m_maximize;
};

// A trial's final state from its `end` status, its exit, and whether the controller stopped it.
store::TrialState finalTrialState(const std::optional<std::string> &endStatus,
                                  int exitCode,
                                  int termSignal,
                                  bool stopRequested);

} // namespace seplab::sweep
