// What a (re)started stage finds in the store and the run folders: its trials so far, and the
// ones a previous controller left queued or running, taken over through the executor (a Slurm
// job is followed again) or caught up from their events.jsonl. Split from stage_runner.cpp.

#include "core/exec/trial_line.h"
#include "core/sweep/stage_runner.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>

namespace seplab::sweep {

namespace fs = std::filesystem;

void StageRunner::loadTrials()
{
    m_trials = m_context.store->trials(m_record.id);
    std::sort(m_trials.begin(), m_trials.end(), [](const auto &a, const auto &b) {
        return a.number < b.number;
    });
    m_history.assign(m_trials.size(), {});
    m_lastStep.assign(m_trials.size(), 0);
    for (std::size_t i = 0; i < m_trials.size(); ++i) {
        for (const store::MetricRecord &metric : m_context.store->metrics(m_trials[i].id)) {
            m_lastStep[i] = std::max(m_lastStep[i], metric.step);
            if (metric.name == m_ingest.metricName() && std::isfinite(metric.value))
                m_history[i].push_back(metric.value);
        }
    }
}

bool StageRunner::stoppedByRule(std::int64_t trialId) const
{
    for (const store::EventRecord &event : m_context.store->events(m_record.planId))
        if (event.trialId == trialId && event.kind == "early_stop")
            return true;
    return false;
}

void StageRunner::catchUpFromEvents(std::size_t index)
{
    store::TrialRecord &trial = m_trials[index];
    std::ifstream in(fs::path(trial.runDir) / "events.jsonl");
    std::string text;
    std::optional<std::string> endStatus;
    std::vector<store::MetricRecord> metrics;
    while (std::getline(in, text)) {
        const exec::TrialLine line = exec::parseTrialLine(text);
        if (line.kind == exec::TrialLine::Kind::Event && line.payload.value("event", "") == "start")
            endStatus.reset(); // a resumed process: only the last attempt's end counts
        IngestResult result = m_ingest.apply(trial, line, m_lastStep[index], m_history[index]);
        metrics.insert(metrics.end(), result.metrics.begin(), result.metrics.end());
        if (result.endStatus)
            endStatus = result.endStatus;
    }
    if (endStatus && *endStatus == "stopped" && !stoppedByRule(trial.id)) {
        // Stopped by the executor's recovery (SIGTERM to a local orphan), or by a `sweep stop`
        // the dead controller passed on:
        // interrupted, not judged, so it continues from its last.pt.
        trial.state = store::TrialState::Pending;
    } else if (endStatus) {
        // It ended while the controller was down.
        trial.state = finalTrialState(endStatus, 0, 0, false);
        trial.finishedAt = store::nowSeconds();
    }
    m_context.store->transaction([&] {
        if (!metrics.empty())
            m_context.store->addMetrics(metrics);
        m_context.store->updateTrial(trial);
    });
    if (!metrics.empty() || endStatus)
        say(trial.name + ": recovered " + std::to_string(metrics.size())
            + " metric values from events.jsonl"
            + (endStatus ? ", it ended " + *endStatus + " (now "
                               + store::trialStateName(trial.state) + ")"
                         : std::string()));
}

void StageRunner::restartUnfinished()
{
    for (std::size_t i = 0; i < m_trials.size(); ++i) {
        store::TrialRecord &trial = m_trials[i];
        if (trial.state != store::TrialState::Running && trial.state != store::TrialState::Pending)
            continue;
        exec::LeftoverTrial leftover;
        leftover.pid = trial.pid;
        leftover.jobId = trial.jobId;
        leftover.runDir = trial.runDir;
        leftover.writesEventsFile = trainsWithSeplab();
        std::unique_ptr<exec::TrialHandle> handle = m_context.executor->recover(leftover,
                                                                                m_context.killDelay);
        if (!handle) {
            catchUpFromEvents(i);
            continue;
        }
        // Still queued or running on the cluster: follow it again. Its events.jsonl is read
        // from the start; steps the store already has are skipped.
        Running running;
        running.process = std::move(handle);
        running.slot = m_context.executor->acquire();
        running.index = i;
        running.reattached = true;
        trial.state = store::TrialState::Running;
        m_context.store->updateTrial(trial);
        addTrialEvent(trial, "reattached", {{"job_id", trial.jobId}});
        say(trial.name + ": re-attached to " + running.process->describe());
        m_running.push_back(std::move(running));
    }
}

} // namespace seplab::sweep
