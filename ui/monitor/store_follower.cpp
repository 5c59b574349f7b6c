#include "store_follower.h"

#include <algorithm>
#include <tuple>

namespace seplab::ui {

namespace {

// The fields a reader shows; timestamps that the controller refreshes count too (runtime).
bool sameTrialRow(const store::TrialRecord &a, const store::TrialRecord &b)
{
    return std::tie(a.state,
                    a.bestValue,
                    a.epochs,
                    a.device,
                    a.pid,
                    a.jobId,
                    a.startedAt,
                    a.finishedAt,
                    a.error,
                    a.runDir)
           == std::tie(b.state,
                       b.bestValue,
                       b.epochs,
                       b.device,
                       b.pid,
                       b.jobId,
                       b.startedAt,
                       b.finishedAt,
                       b.error,
                       b.runDir);
}

bool samePlanRow(const store::PlanRecord &a, const store::PlanRecord &b)
{
    return a.id == b.id && a.state == b.state && a.controllerPid == b.controllerPid;
}

bool sameStageRow(const store::StageRecord &a, const store::StageRecord &b)
{
    return a.id == b.id && a.state == b.state && a.finishedAt == b.finishedAt;
}

template<typename Row, typename Same>
bool sameRows(const std::vector<Row> &a, const std::vector<Row> &b, Same same)
{
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), same);
}

} // namespace

StoreFollower::StoreFollower(const std::string &path)
    : m_store(store::ExperimentStore::open(path, store::ExperimentStore::Mode::ReadOnly))
{}

StoreFollower::Changes StoreFollower::poll()
{
    Changes changes;

    std::vector<store::PlanRecord> plans = m_store.plans();
    std::vector<store::StageRecord> stages;
    std::vector<store::TrialRecord> trials;
    for (const store::PlanRecord &plan : plans) {
        const auto planStages = m_store.stages(plan.id);
        stages.insert(stages.end(), planStages.begin(), planStages.end());
        const auto planTrials = m_store.planTrials(plan.id);
        trials.insert(trials.end(), planTrials.begin(), planTrials.end());
    }
    changes.plansOrStages = !sameRows(plans, m_plans, samePlanRow)
                            || !sameRows(stages, m_stages, sameStageRow);
    m_plans = std::move(plans);
    m_stages = std::move(stages);

    for (const store::TrialRecord &row : trials) {
        const store::TrialRecord *old = trial(row.id);
        if (!old || !sameTrialRow(*old, row))
            changes.trials.insert(row.id);
    }
    m_trials = std::move(trials);
    m_trialIndex.clear();
    for (std::size_t i = 0; i < m_trials.size(); ++i)
        m_trialIndex[m_trials[i].id] = i;

    for (const store::MetricRecord &metric : m_store.metricsAfter(m_lastMetricId)) {
        m_series[metric.trialId][metric.name][metric.step] = metric.value;
        changes.metricsFor.insert(metric.trialId);
        m_lastMetricId = std::max(m_lastMetricId, metric.id);
    }
    return changes;
}

const store::TrialRecord *StoreFollower::trial(std::int64_t id) const
{
    const auto found = m_trialIndex.find(id);
    return found == m_trialIndex.end() ? nullptr : &m_trials[found->second];
}

const store::StageRecord *StoreFollower::stage(std::int64_t id) const
{
    const auto found = std::find_if(m_stages.begin(), m_stages.end(), [id](const auto &stage) {
        return stage.id == id;
    });
    return found == m_stages.end() ? nullptr : &*found;
}

const std::map<int, double> *StoreFollower::series(std::int64_t trialId,
                                                   const std::string &metric) const
{
    const auto byTrial = m_series.find(trialId);
    if (byTrial == m_series.end())
        return nullptr;
    const auto byName = byTrial->second.find(metric);
    return byName == byTrial->second.end() ? nullptr : &byName->second;
}

std::vector<std::string> StoreFollower::metricNames() const
{
    std::set<std::string> names;
    for (const auto &[trialId, byName] : m_series)
        for (const auto &[name, values] : byName)
            names.insert(name);
    return {names.begin(), names.end()};
}

} // namespace seplab::ui
