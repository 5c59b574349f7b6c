#pragma once

// Follows an experiment store that a sweep controller (in this process or another) is writing:
// each poll() re-reads the plans, stages and trials (a few hundred rows at most) and only the
// metric rows added since the last poll, so the GUI's 5 Hz refresh stays cheap however long the
// sweep has run. Read-only by DESIGN.md's single-writer rule. No Qt: the monitor's widgets sit
// on top of it.

#include "core/store/experiment_store.h"

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace seplab::ui {

class StoreFollower
{
public:
    // Opens the store read-only; StoreError (one sentence naming the file) when it is missing or
    // not a SepLab store of this version.
    explicit StoreFollower(const std::string &path);

    struct Changes
    {
        bool plansOrStages = false;        // a plan or stage appeared or changed state
        std::set<std::int64_t> trials;     // trials whose row changed (new ones included)
        std::set<std::int64_t> metricsFor; // trials that got new metric values
        bool any() const { return plansOrStages || !trials.empty() || !metricsFor.empty(); }
    };
    Changes poll();

    const std::string &path() const { return m_store.path(); }
    const std::vector<store::PlanRecord> &plans() const { return m_plans; }
    const std::vector<store::StageRecord> &stages() const { return m_stages; }
    const std::vector<store::TrialRecord> &trials() const { return m_trials; }
    const store::TrialRecord *trial(std::int64_t id) const;
    const store::StageRecord *stage(std::int64_t id) const;

    // step -> value of one metric of one trial. A step reported again (a trial restarted from
    // scratch) replaces the old value instead of doubling the curve. nullptr when none.
    const std::map<int, double> *series(std::int64_t trialId, const std::string &metric) const;
    // Every metric name seen so far, sorted.
    std::vector<std::string> metricNames() const;

private:
    store::ExperimentStore m_store;
    std::vector<store::PlanRecord> m_plans;
    std::vector<store::StageRecord> m_stages;
    std::vector<store::TrialRecord> m_trials;
    std::map<std::int64_t, std::size_t> m_trialIndex;
    std::map<std::int64_t, std::map<std::string, std::map<int, double>>> m_series;
    std::int64_t m_lastMetricId = 0;
};

} // namespace seplab::ui
