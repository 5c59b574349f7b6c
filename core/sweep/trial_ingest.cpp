#include "core/sweep/trial_ingest.h"

#include <cmath>

namespace seplab::sweep {

using nlohmann::json;

TrialIngest::TrialIngest(std::string metricName, bool maximize)
    : m_metric(std::move(metricName))
    , m_maximize(maximize)
{}

void TrialIngest::noteMetric(store::TrialRecord &trial,
                             double value,
                             IngestResult &result,
                             std::vector<double> &history) const
{
    // hpo.md §1(a): non-finite values are not iterations.
    if (!std::isfinite(value))
        return;
    history.push_back(value);
    result.metricAdvanced = true;
    if (!trial.bestValue || (m_maximize ? value > *trial.bestValue : value < *trial.bestValue))
        trial.bestValue = value;
    result.recordChanged = true;
}

IngestResult TrialIngest::apply(store::TrialRecord &trial,
                                const exec::TrialLine &line,
                                int &lastStep,
                                std::vector<double> &history) const
{
    IngestResult result;
    const double now = store::nowSeconds();
    if (line.kind == exec::TrialLine::Kind::Event) {
        const json &event = line.payload;
        const std::string kind = event.value("event", "");
        if (kind == "start") {
            if (event.contains("manifest_hash") && event["manifest_hash"].is_string()) {
                trial.datasetHash = event["manifest_hash"].get<std::string>();
                result.recordChanged = true;
            }
        } else if (kind == "epoch") {
            const int step = event.value("epoch", lastStep + 1);
            if (step <= lastStep)
                return result;
            lastStep = step;
            trial.epochs = step;
            result.recordChanged = true;
            for (const auto &[name, value] : event.items()) {
                if (name == "event" || name == "epoch" || !value.is_number())
                    continue;
                result.metrics.push_back({0, trial.id, step, name, value.get<double>(), now});
                if (name == m_metric)
                    noteMetric(trial, value.get<double>(), result, history);
            }
        } else if (kind == "end") {
            result.endStatus = event.value("status", "");
            if (event.contains("error") && event["error"].is_string()
                && !event["error"].get<std::string>().empty()) {
                trial.error = event["error"].get<std::string>();
                result.recordChanged = true;
            }
        }
        return result;
    }
    if (line.kind == exec::TrialLine::Kind::Metrics) {
        // An external program: an explicit step/epoch/iteration counts, else each line is the
        // next step.
        int step = lastStep + 1;
        for (const char *key : {"step", "epoch", "iteration"})
            if (line.payload.contains(key) && line.payload[key].is_number())
                step = int(line.payload[key].get<double>());
        if (step <= lastStep)
            return result;
        lastStep = step;
        trial.epochs = step;
        result.recordChanged = true;
        for (const auto &[name, value] : line.payload.items()) {
            if (name == "step" || name == "epoch" || name == "iteration" || !value.is_number())
                continue;
            result.metrics.push_back({0, trial.id, step, name, value.get<double>(), now});
            if (name == m_metric)
                noteMetric(trial, value.get<double>(), result, history);
        }
    }
    return result;
}

store::TrialState finalTrialState(const std::optional<std::string> &endStatus,
                                  int exitCode,
                                  int termSignal,
                                  bool stopRequested)
{
    if (endStatus) {
        if (*endStatus == "finished" || *endStatus == "early_stopped")
            return store::TrialState::Finished;
        if (*endStatus == "stopped")
            return store::TrialState::Stopped;
        if (*endStatus == "diverged")
            return store::TrialState::Diverged;
        return store::TrialState::Failed;
    }
    // No protocol `end`: an external program, or a crash.
    if (stopRequested && (termSignal == 15 || termSignal == 9 || exitCode == 0))
        return store::TrialState::Stopped;
    if (termSignal == 0 && exitCode == 0)
        return store::TrialState::Finished;
    return store::TrialState::Failed;
}

} // namespace seplab::sweep
