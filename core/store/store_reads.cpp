// Every read of ExperimentStore: one SELECT per call, decoded row by row. The column lists
// and the decoders sit side by side so their order cannot drift apart.

#include "core/store/experiment_store.h"
#include "core/store/experiment_store_impl.h"

#include <algorithm>
#include <limits>

namespace seplab::store {

namespace {

// A JSON column, parsed; a row the code cannot read is reported with where it is.
nlohmann::json jsonColumn(const Statement &row,
                          int column,
                          const std::string &path,
                          const char *table,
                          std::int64_t id,
                          const char *field)
{
    const std::string text = row.textColumn(column);
    try {
        return nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error &) {
        throw StoreError(path + ": " + table + " row " + std::to_string(id) + " has "
                         + "invalid JSON in " + field + ".");
    }
}

const char *const kPlanColumns = "id, name, yaml, source_path, state, options, controller_pid, "
                                 "created_at, updated_at";

PlanRecord planRow(const Statement &row, const std::string &path)
{
    PlanRecord plan;
    plan.id = row.intColumn(0);
    plan.name = row.textColumn(1);
    plan.yaml = row.textColumn(2);
    plan.sourcePath = row.textColumn(3);
    plan.state = row.textColumn(4);
    plan.options = jsonColumn(row, 5, path, "plans", plan.id, "options");
    plan.controllerPid = int(row.intColumn(6));
    plan.createdAt = row.realColumn(7);
    plan.updatedAt = row.realColumn(8);
    return plan;
}

const char *const kStageColumns = "id, plan_id, stage_index, name, kind, state, spec, "
                                  "provenance, started_at, finished_at";

StageRecord stageRow(const Statement &row, const std::string &path)
{
    StageRecord stage;
    stage.id = row.intColumn(0);
    stage.planId = row.intColumn(1);
    stage.index = int(row.intColumn(2));
    stage.name = row.textColumn(3);
    stage.kind = row.textColumn(4);
    stage.state = row.textColumn(5);
    stage.spec = jsonColumn(row, 6, path, "stages", stage.id, "spec");
    stage.provenance = jsonColumn(row, 7, path, "stages", stage.id, "provenance");
    stage.startedAt = row.realColumn(8);
    stage.finishedAt = row.realColumn(9);
    return stage;
}

// Prefixed with "t." so that planTrials can join stages.
const char *const kTrialColumns
    = "t.id, t.stage_id, t.number, t.name, t.state, t.params, t.provenance, t.device, t.run_dir, "
      "t.command, t.dataset_hash, t.seed, t.pid, t.exit_code, t.best_value, t.epochs, t.error, "
      "t.log_tail, t.created_at, t.started_at, t.finished_at, t.job_id";

TrialRecord trialRow(const Statement &row, const std::string &path)
{
    TrialRecord trial;
    trial.id = row.intColumn(0);
    trial.stageId = row.intColumn(1);
    trial.number = int(row.intColumn(2));
    trial.name = row.textColumn(3);
    const std::string state = row.textColumn(4);
    const std::optional<TrialState> known = trialStateFromName(state);
    if (!known) // written by a newer SepLab, or by hand
        throw StoreError(path + ": trial " + std::to_string(trial.id) + " has unknown state '"
                         + state + "'.");
    trial.state = *known;
    trial.params = jsonColumn(row, 5, path, "trials", trial.id, "params");
    trial.provenance = jsonColumn(row, 6, path, "trials", trial.id, "provenance");
    trial.device = row.textColumn(7);
    trial.runDir = row.textColumn(8);
    trial.command = jsonColumn(row, 9, path, "trials", trial.id, "command");
    trial.datasetHash = row.textColumn(10);
    trial.seed = row.intColumn(11);
    trial.pid = int(row.intColumn(12));
    trial.exitCode = int(row.intColumn(13));
    trial.bestValue = row.optionalRealColumn(14);
    trial.epochs = int(row.intColumn(15));
    trial.error = row.textColumn(16);
    trial.logTail = row.textColumn(17);
    trial.createdAt = row.realColumn(18);
    trial.startedAt = row.realColumn(19);
    trial.finishedAt = row.realColumn(20);
    trial.jobId = row.textColumn(21);
    return trial;
}

const char *const kMetricColumns = "id, trial_id, step, name, value, time";

MetricRecord metricRow(const Statement &row)
{
    MetricRecord metric;
    metric.id = row.intColumn(0);
    metric.trialId = row.intColumn(1);
    metric.step = int(row.intColumn(2));
    metric.name = row.textColumn(3);
    metric.value = row.realColumn(4); // NULL: a NaN that was logged
    metric.time = row.realColumn(5);
    return metric;
}

const char *const kEventColumns = "id, trial_id, plan_id, kind, payload, time";

EventRecord eventRow(const Statement &row, const std::string &path)
{
    EventRecord event;
    event.id = row.intColumn(0);
    event.trialId = row.isNull(1) ? 0 : row.intColumn(1);
    event.planId = row.intColumn(2);
    event.kind = row.textColumn(3);
    event.payload = jsonColumn(row, 4, path, "events", event.id, "payload");
    event.time = row.realColumn(5);
    return event;
}

template<typename Record, typename Decode>
std::vector<Record> allRows(Statement &statement, Decode decode)
{
    std::vector<Record> rows;
    while (statement.step())
        rows.push_back(decode(statement));
    return rows;
}

template<typename Record, typename Decode>
std::optional<Record> firstRow(Statement &statement, Decode decode)
{
    if (!statement.step())
        return std::nullopt;
    return decode(statement);
}

} // namespace

std::vector<PlanRecord> ExperimentStore::plans() const
{
    Statement statement = m_impl->db.prepare(std::string("SELECT ") + kPlanColumns
                                             + " FROM plans ORDER BY id");
    return allRows<PlanRecord>(statement,
                               [&](const Statement &row) { return planRow(row, path()); });
}

std::optional<PlanRecord> ExperimentStore::plan(std::int64_t id) const
{
    Statement statement = m_impl->db.prepare(std::string("SELECT ") + kPlanColumns
                                             + " FROM plans WHERE id = :id");
    statement.bindInt(":id", id);
    return firstRow<PlanRecord>(statement,
                                [&](const Statement &row) { return planRow(row, path()); });
}

std::optional<PlanRecord> ExperimentStore::planByName(const std::string &name) const
{
    Statement statement = m_impl->db.prepare(std::string("SELECT ") + kPlanColumns
                                             + " FROM plans WHERE name = :name");
    statement.bindText(":name", name);
    return firstRow<PlanRecord>(statement,
                                [&](const Statement &row) { return planRow(row, path()); });
}

std::vector<StageRecord> ExperimentStore::stages(std::int64_t planId) const
{
    Statement statement = m_impl->db.prepare(std::string("SELECT ") + kStageColumns
                                             + " FROM stages WHERE plan_id = :plan_id "
                                               "ORDER BY stage_index");
    statement.bindInt(":plan_id", planId);
    return allRows<StageRecord>(statement,
                                [&](const Statement &row) { return stageRow(row, path()); });
}

std::optional<StageRecord> ExperimentStore::stage(std::int64_t id) const
{
    Statement statement = m_impl->db.prepare(std::string("SELECT ") + kStageColumns
                                             + " FROM stages WHERE id = :id");
    statement.bindInt(":id", id);
    return firstRow<StageRecord>(statement,
                                 [&](const Statement &row) { return stageRow(row, path()); });
}

std::vector<TrialRecord> ExperimentStore::trials(std::int64_t stageId) const
{
    Statement statement = m_impl->db.prepare(std::string("SELECT ") + kTrialColumns
                                             + " FROM trials t WHERE t.stage_id = :stage_id "
                                               "ORDER BY t.number");
    statement.bindInt(":stage_id", stageId);
    return allRows<TrialRecord>(statement,
                                [&](const Statement &row) { return trialRow(row, path()); });
}

std::vector<TrialRecord> ExperimentStore::planTrials(std::int64_t planId) const
{
    Statement statement = m_impl->db.prepare(
        std::string("SELECT ") + kTrialColumns
        + " FROM trials t JOIN stages s ON s.id = t.stage_id WHERE s.plan_id = :plan_id "
          "ORDER BY s.stage_index, t.number");
    statement.bindInt(":plan_id", planId);
    return allRows<TrialRecord>(statement,
                                [&](const Statement &row) { return trialRow(row, path()); });
}

std::optional<TrialRecord> ExperimentStore::trial(std::int64_t id) const
{
    Statement statement = m_impl->db.prepare(std::string("SELECT ") + kTrialColumns
                                             + " FROM trials t WHERE t.id = :id");
    statement.bindInt(":id", id);
    return firstRow<TrialRecord>(statement,
                                 [&](const Statement &row) { return trialRow(row, path()); });
}

std::vector<MetricRecord> ExperimentStore::metrics(std::int64_t trialId,
                                                   const std::string &name) const
{
    Statement statement = m_impl->db.prepare(
        std::string("SELECT ") + kMetricColumns
        + " FROM metrics WHERE trial_id = :trial_id AND (:name = '' OR name = :name) "
          "ORDER BY step, id");
    statement.bindInt(":trial_id", trialId).bindText(":name", name);
    return allRows<MetricRecord>(statement, metricRow);
}

std::vector<MetricRecord> ExperimentStore::metricsAfter(std::int64_t afterId,
                                                        std::size_t limit) const
{
    Statement statement = m_impl->db.prepare(std::string("SELECT ") + kMetricColumns
                                             + " FROM metrics WHERE id > :after_id "
                                               "ORDER BY id LIMIT :limit");
    // SQLite's LIMIT is signed; clamp an "everything" request instead of wrapping it negative.
    const auto maxLimit = std::size_t(std::numeric_limits<std::int64_t>::max());
    statement.bindInt(":after_id", afterId)
        .bindInt(":limit", std::int64_t(std::min(limit, maxLimit)));
    return allRows<MetricRecord>(statement, metricRow);
}

std::vector<EventRecord> ExperimentStore::events(std::int64_t planId, std::int64_t afterId) const
{
    Statement statement = m_impl->db.prepare(std::string("SELECT ") + kEventColumns
                                             + " FROM events WHERE plan_id = :plan_id AND "
                                               "id > :after_id ORDER BY id");
    statement.bindInt(":plan_id", planId).bindInt(":after_id", afterId);
    return allRows<EventRecord>(statement,
                                [&](const Statement &row) { return eventRow(row, path()); });
}

std::vector<std::pair<std::string, std::string>> ExperimentStore::artifacts(std::int64_t trialId) const
{
    Statement statement = m_impl->db.prepare(
        "SELECT kind, path FROM artifacts WHERE trial_id = :trial_id ORDER BY id");
    statement.bindInt(":trial_id", trialId);
    std::vector<std::pair<std::string, std::string>> rows;
    while (statement.step())
        rows.emplace_back(statement.textColumn(0), statement.textColumn(1));
    return rows;
}

} // namespace seplab::store
