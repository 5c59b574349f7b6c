// Opening a store (pragmas, version checks, migrations) and every write.

#include "core/store/experiment_store.h"

#include "core/store/experiment_store_impl.h"
#include "core/store/schema_migrations.h"

#include <filesystem>
#include <stdexcept>
#include <system_error>

namespace fs = std::filesystem;

namespace seplab::store {

namespace {

// Readers and the writer are different processes; a checkpoint or a commit locks the file
// briefly, and waiting this long for it beats failing with "database is locked".
constexpr int kBusyTimeoutMs = 5000;

std::string compactJson(const nlohmann::json &value)
{
    return value.dump();
}

void requireIn(bool valid, const std::string &what, const std::string &value, const char *allowed)
{
    if (!valid)
        throw std::invalid_argument(what + " '" + value + "' is not one of " + allowed + ".");
}

void checkPlan(const PlanRecord &plan)
{
    if (plan.name.empty())
        throw std::invalid_argument("plan name is empty.");
    requireIn(isPlanState(plan.state),
              "plan state",
              plan.state,
              "running, finished, stopped, failed");
}

void checkStage(const StageRecord &stage)
{
    requireIn(isStageKind(stage.kind), "stage kind", stage.kind, "search, for_each, validate");
    requireIn(isStageState(stage.state),
              "stage state",
              stage.state,
              "pending, running, finished, stopped, failed");
}

// A freshly created file has version 0 and no tables; a version-0 file with tables belongs
// to someone else, and migrating it would mix our tables into theirs.
bool hasTables(const Database &db)
{
    return db.queryInt("SELECT count(*) FROM sqlite_master WHERE type = 'table'") > 0;
}

void checkVersion(const Database &db, int version, ExperimentStore::Mode mode)
{
    const int latest = latestSchemaVersion();
    const std::string &path = db.path();
    if (version > latest)
        throw StoreError(path + ": schema version " + std::to_string(version)
                         + " is newer than this SepLab understands (" + std::to_string(latest)
                         + "); open it with the SepLab that wrote it, or a newer one.");
    if (version == 0 && hasTables(db))
        throw StoreError(path + ": is an SQLite database but not a SepLab store.");
    if (mode == ExperimentStore::Mode::ReadOnly && version == 0)
        throw StoreError(path + ": is not a SepLab store yet (it has no schema).");
    if (mode == ExperimentStore::Mode::ReadOnly && version < latest)
        throw StoreError(path + ": has schema version " + std::to_string(version)
                         + ", older than this SepLab's " + std::to_string(latest)
                         + "; open it read-write once (e.g. `seplab-cli sweep resume`) to "
                           "migrate it.");
}

// The columns an insert and an update share, bound by name.
void bindPlanFields(Statement &statement, const PlanRecord &plan)
{
    statement.bindText(":name", plan.name)
        .bindText(":yaml", plan.yaml)
        .bindText(":source_path", plan.sourcePath)
        .bindText(":state", plan.state)
        .bindText(":options", compactJson(plan.options))
        .bindInt(":controller_pid", plan.controllerPid)
        .bindReal(":created_at", plan.createdAt)
        .bindReal(":updated_at", plan.updatedAt);
}

void bindStageFields(Statement &statement, const StageRecord &stage)
{
    statement.bindText(":name", stage.name)
        .bindText(":kind", stage.kind)
        .bindText(":state", stage.state)
        .bindText(":spec", compactJson(stage.spec))
        .bindText(":provenance", compactJson(stage.provenance))
        .bindReal(":started_at", stage.startedAt)
        .bindReal(":finished_at", stage.finishedAt);
}

void bindTrialFields(Statement &statement, const TrialRecord &trial)
{
    statement.bindText(":name", trial.name)
        .bindText(":state", trialStateName(trial.state))
        .bindText(":params", compactJson(trial.params))
        .bindText(":provenance", compactJson(trial.provenance))
        .bindText(":device", trial.device)
        .bindText(":run_dir", trial.runDir)
        .bindText(":command", compactJson(trial.command))
        .bindText(":dataset_hash", trial.datasetHash)
        .bindInt(":seed", trial.seed)
        .bindInt(":pid", trial.pid)
        .bindText(":job_id", trial.jobId)
        .bindInt(":exit_code", trial.exitCode)
        .bindOptionalReal(":best_value", trial.bestValue)
        .bindInt(":epochs", trial.epochs)
        .bindText(":error", trial.error)
        .bindText(":log_tail", trial.logTail)
        .bindReal(":created_at", trial.createdAt)
        .bindReal(":started_at", trial.startedAt)
        .bindReal(":finished_at", trial.finishedAt);
}

} // namespace

ExperimentStore::ExperimentStore(std::unique_ptr<Impl> impl)
    : m_impl(std::move(impl))
{}

ExperimentStore::ExperimentStore(ExperimentStore &&) noexcept = default;
ExperimentStore &ExperimentStore::operator=(ExperimentStore &&) noexcept = default;
ExperimentStore::~ExperimentStore() = default;

ExperimentStore ExperimentStore::open(const std::string &path, Mode mode)
{
    if (path.empty())
        throw std::invalid_argument("the store path is empty.");
    std::error_code error;
    if (mode == Mode::ReadOnly) {
        if (!fs::exists(path, error))
            throw StoreError(path + ": no such store.");
    } else if (const fs::path folder = fs::path(path).parent_path(); !folder.empty()) {
        fs::create_directories(folder, error);
        if (error)
            throw StoreError(path + ": cannot create its folder: " + error.message() + ".");
    }

    Database db(path,
                mode == Mode::ReadOnly ? Database::Access::ReadOnly
                                       : Database::Access::ReadWriteCreate);
    db.exec("PRAGMA busy_timeout = " + std::to_string(kBusyTimeoutMs));
    // The first statement that reads the file: a file that is not SQLite fails here.
    int version = schemaVersionOf(db);
    checkVersion(db, version, mode);
    if (mode == Mode::ReadWrite) {
        // WAL is persistent in the file, so readers inherit it without being able to set it.
        const std::string journal = db.queryText("PRAGMA journal_mode = WAL");
        if (journal != "wal")
            throw StoreError(path + ": cannot switch to WAL mode (it stays '" + journal
                             + "'), so readers would block the controller.");
        // In WAL mode NORMAL loses no committed transaction when a process is killed, only
        // on power loss; FULL would fsync every metric row.
        db.exec("PRAGMA synchronous = NORMAL");
        migrate(db);
        version = schemaVersionOf(db);
    }
    // Per connection, and off by default in SQLite; outside any transaction by rule.
    db.exec("PRAGMA foreign_keys = ON");

    auto impl = std::make_unique<Impl>(Impl{std::move(db), mode, version, 0});
    return ExperimentStore(std::move(impl));
}

int ExperimentStore::currentSchemaVersion()
{
    return latestSchemaVersion();
}

int ExperimentStore::schemaVersion() const
{
    return m_impl->schemaVersion;
}

const std::string &ExperimentStore::path() const
{
    return m_impl->db.path();
}

bool ExperimentStore::readOnly() const
{
    return m_impl->mode == Mode::ReadOnly;
}

ExperimentStore::Impl &ExperimentStore::writable(const char *operation)
{
    if (m_impl->mode != Mode::ReadWrite)
        throw std::logic_error(path() + ": " + operation
                               + " needs the store opened ReadWrite; only the sweep controller "
                                 "writes.");
    return *m_impl;
}

void ExperimentStore::transaction(const std::function<void()> &body)
{
    Impl &impl = writable("transaction");
    // The outer level takes the write lock up front (IMMEDIATE), so it never has to upgrade a
    // read lock mid-way; nested levels are savepoints inside it.
    const bool outer = impl.transactionDepth == 0;
    const std::string savepoint = "seplab_level_" + std::to_string(impl.transactionDepth);
    impl.db.exec(outer ? "BEGIN IMMEDIATE" : "SAVEPOINT " + savepoint);
    ++impl.transactionDepth;
    try {
        body();
    } catch (...) {
        --impl.transactionDepth;
        // Undo, best effort: SQLite may already have rolled back on its own (disk full), and
        // the body's exception is the one worth reporting.
        try {
            if (outer && impl.db.inTransaction())
                impl.db.exec("ROLLBACK");
            else if (!outer)
                impl.db.exec("ROLLBACK TO " + savepoint + "; RELEASE " + savepoint);
        } catch (const StoreError &) {
        }
        throw;
    }
    --impl.transactionDepth;
    if (!outer) {
        impl.db.exec("RELEASE " + savepoint);
        return;
    }
    try {
        impl.db.exec("COMMIT");
    } catch (const StoreError &) {
        if (impl.db.inTransaction())
            impl.db.exec("ROLLBACK");
        throw;
    }
}

std::int64_t ExperimentStore::addPlan(const PlanRecord &plan)
{
    Impl &impl = writable("addPlan");
    checkPlan(plan);
    Statement statement = impl.db.prepare(
        "INSERT INTO plans (name, yaml, source_path, state, options, controller_pid, created_at, "
        "updated_at) VALUES (:name, :yaml, :source_path, :state, :options, :controller_pid, "
        ":created_at, :updated_at)");
    bindPlanFields(statement, plan);
    statement.run();
    return impl.db.lastInsertId();
}

void ExperimentStore::updatePlan(const PlanRecord &plan)
{
    Impl &impl = writable("updatePlan");
    checkPlan(plan);
    Statement statement = impl.db.prepare(
        "UPDATE plans SET name = :name, yaml = :yaml, source_path = :source_path, "
        "state = :state, options = :options, controller_pid = :controller_pid, "
        "created_at = :created_at, updated_at = :updated_at WHERE id = :id");
    bindPlanFields(statement, plan);
    statement.bindInt(":id", plan.id).run();
    if (impl.db.changes() != 1)
        throw StoreError(path() + ": no plan with id " + std::to_string(plan.id) + " to update.");
}

std::int64_t ExperimentStore::addStage(const StageRecord &stage)
{
    Impl &impl = writable("addStage");
    checkStage(stage);
    Statement statement = impl.db.prepare(
        "INSERT INTO stages (plan_id, stage_index, name, kind, state, spec, provenance, "
        "started_at, finished_at) VALUES (:plan_id, :stage_index, :name, :kind, :state, :spec, "
        ":provenance, :started_at, :finished_at)");
    statement.bindInt(":plan_id", stage.planId).bindInt(":stage_index", stage.index);
    bindStageFields(statement, stage);
    statement.run();
    return impl.db.lastInsertId();
}

void ExperimentStore::updateStage(const StageRecord &stage)
{
    Impl &impl = writable("updateStage");
    checkStage(stage);
    Statement statement = impl.db.prepare(
        "UPDATE stages SET name = :name, kind = :kind, state = :state, spec = :spec, "
        "provenance = :provenance, started_at = :started_at, finished_at = "
        ":finished_at WHERE id = :id");
    bindStageFields(statement, stage);
    statement.bindInt(":id", stage.id).run();
    if (impl.db.changes() != 1)
        throw StoreError(path() + ": no stage with id " + std::to_string(stage.id) + " to update.");
}

std::int64_t ExperimentStore::addTrial(const TrialRecord &trial)
{
    Impl &impl = writable("addTrial");
    Statement statement = impl.db.prepare(
        "INSERT INTO trials (stage_id, number, name, state, params, provenance, device, run_dir, "
        "command, dataset_hash, seed, pid, job_id, exit_code, best_value, epochs, error, "
        "log_tail, created_at, started_at, finished_at) VALUES (:stage_id, :number, :name, "
        ":state, :params, :provenance, :device, :run_dir, :command, :dataset_hash, :seed, :pid, "
        ":job_id, :exit_code, :best_value, :epochs, :error, :log_tail, :created_at, :started_at, "
        ":finished_at)");
    statement.bindInt(":stage_id", trial.stageId).bindInt(":number", trial.number);
    bindTrialFields(statement, trial);
    statement.run();
    return impl.db.lastInsertId();
}

void ExperimentStore::updateTrial(const TrialRecord &trial)
{
    Impl &impl = writable("updateTrial");
    Statement statement = impl.db.prepare(
        "UPDATE trials SET name = :name, state = :state, params = :params, provenance = "
        ":provenance, device = :device, run_dir = :run_dir, command = :command, dataset_hash = "
        ":dataset_hash, seed = :seed, pid = :pid, job_id = :job_id, exit_code = :exit_code, "
        "best_value = "
        ":best_value, epochs = :epochs, error = :error, log_tail = :log_tail, created_at = "
        ":created_at, started_at = :started_at, finished_at = :finished_at WHERE id = :id");
    bindTrialFields(statement, trial);
    statement.bindInt(":id", trial.id).run();
    if (impl.db.changes() != 1)
        throw StoreError(path() + ": no trial with id " + std::to_string(trial.id) + " to update.");
}

void ExperimentStore::addMetrics(const std::vector<MetricRecord> &metrics)
{
    Impl &impl = writable("addMetrics");
    if (metrics.empty())
        return;
    transaction([&] {
        Statement statement = impl.db.prepare(
            "INSERT INTO metrics (trial_id, step, name, value, time) VALUES (:trial_id, :step, "
            ":name, :value, :time)");
        for (const MetricRecord &metric : metrics) {
            statement.bindInt(":trial_id", metric.trialId)
                .bindInt(":step", metric.step)
                .bindText(":name", metric.name)
                .bindReal(":value", metric.value)
                .bindReal(":time", metric.time)
                .run();
            statement.reset();
        }
    });
}

void ExperimentStore::deleteMetrics(std::int64_t trialId)
{
    Impl &impl = writable("deleteMetrics");
    impl.db.prepare("DELETE FROM metrics WHERE trial_id = :trial_id")
        .bindInt(":trial_id", trialId)
        .run();
}

std::int64_t ExperimentStore::addEvent(const EventRecord &event)
{
    Impl &impl = writable("addEvent");
    Statement statement = impl.db.prepare(
        "INSERT INTO events (plan_id, trial_id, kind, payload, time) VALUES (:plan_id, "
        ":trial_id, :kind, :payload, :time)");
    statement.bindInt(":plan_id", event.planId)
        .bindText(":kind", event.kind)
        .bindText(":payload", compactJson(event.payload))
        .bindReal(":time", event.time);
    if (event.trialId == 0)
        statement.bindNull(":trial_id");
    else
        statement.bindInt(":trial_id", event.trialId);
    statement.run();
    return impl.db.lastInsertId();
}

void ExperimentStore::addArtifact(std::int64_t trialId,
                                  const std::string &kind,
                                  const std::string &path)
{
    Impl &impl = writable("addArtifact");
    impl.db
        .prepare("INSERT OR IGNORE INTO artifacts (trial_id, kind, path) VALUES (:trial_id, "
                 ":kind, :path)")
        .bindInt(":trial_id", trialId)
        .bindText(":kind", kind)
        .bindText(":path", path)
        .run();
}

} // namespace seplab::store
