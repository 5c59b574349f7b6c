#include "core/store/schema_migrations.h"

#include "core/store/sqlite_handle.h"

namespace seplab::store {

namespace {

// v1: the base schema. JSON columns hold compact JSON text; times are unix seconds (REAL).
// Ids are INTEGER PRIMARY KEY; metric ids get AUTOINCREMENT in v4 (see there).
const char *const kBaseSchema = R"sql(
CREATE TABLE plans (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    yaml TEXT NOT NULL,
    source_path TEXT NOT NULL,
    state TEXT NOT NULL,
    options TEXT NOT NULL,
    controller_pid INTEGER NOT NULL,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL
);
CREATE TABLE stages (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    stage_index INTEGER NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    state TEXT NOT NULL,
    spec TEXT NOT NULL,
    provenance TEXT NOT NULL,
    started_at REAL NOT NULL,
    finished_at REAL NOT NULL,
    UNIQUE (plan_id, stage_index)
);
CREATE TABLE trials (
    id INTEGER PRIMARY KEY,
    stage_id INTEGER NOT NULL REFERENCES stages(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    name TEXT NOT NULL,
    state TEXT NOT NULL,
    params TEXT NOT NULL,
    provenance TEXT NOT NULL,
    device TEXT NOT NULL,
    run_dir TEXT NOT NULL,
    command TEXT NOT NULL,
    dataset_hash TEXT NOT NULL,
    seed INTEGER NOT NULL,
    pid INTEGER NOT NULL,
    best_value REAL,
    epochs INTEGER NOT NULL,
    error TEXT NOT NULL,
    created_at REAL NOT NULL,
    started_at REAL NOT NULL,
    finished_at REAL NOT NULL,
    UNIQUE (stage_id, number)
);
-- value is nullable: SQLite stores a NaN as NULL, and a diverging trial does log NaN.
CREATE TABLE metrics (
    id INTEGER PRIMARY KEY,
    trial_id INTEGER NOT NULL REFERENCES trials(id) ON DELETE CASCADE,
    step INTEGER NOT NULL,
    name TEXT NOT NULL,
    value REAL,
    time REAL NOT NULL
);
CREATE INDEX metrics_by_trial ON metrics (trial_id, name, step);
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    trial_id INTEGER REFERENCES trials(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    time REAL NOT NULL
);
CREATE INDEX events_by_plan ON events (plan_id, id);
)sql";

// v2: what a failed trial left behind, so the report and `sweep status` can say why it
// failed without the run folder (which a cluster node may have on its local disk).
const char *const kTrialOutcome = R"sql(
ALTER TABLE trials ADD COLUMN exit_code INTEGER NOT NULL DEFAULT 0;
ALTER TABLE trials ADD COLUMN log_tail TEXT NOT NULL DEFAULT '';
)sql";

// v3: files a trial produced (checkpoints, separated audio, plots), by kind. A file registered
// twice is kept once.
const char *const kArtifacts = R"sql(
CREATE TABLE artifacts (
    id INTEGER PRIMARY KEY,
    trial_id INTEGER NOT NULL REFERENCES trials(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    path TEXT NOT NULL,
    UNIQUE (trial_id, kind, path)
);
)sql";

// v4: metric ids never come back. A trial restarted from scratch has its metric rows deleted
// (deleteMetrics); without AUTOINCREMENT SQLite hands the freed highest ids out again, and a
// reader polling with `metricsAfter(last id seen)` (the GUI) would miss the new rows. The table
// is rebuilt with its rows and ids kept.
const char *const kMetricIdsNeverReused = R"sql(
CREATE TABLE metrics_v4 (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    trial_id INTEGER NOT NULL REFERENCES trials(id) ON DELETE CASCADE,
    step INTEGER NOT NULL,
    name TEXT NOT NULL,
    value REAL,
    time REAL NOT NULL
);
INSERT INTO metrics_v4 (id, trial_id, step, name, value, time)
    SELECT id, trial_id, step, name, value, time FROM metrics ORDER BY id;
DROP TABLE metrics;
ALTER TABLE metrics_v4 RENAME TO metrics;
CREATE INDEX metrics_by_trial ON metrics (trial_id, name, step);
)sql";

// v5: the Slurm job that runs a trial (issue 8), so that a restarted controller re-attaches to
// it by its id instead of submitting the trial again. Empty for a local process.
const char *const kTrialJobIds = R"sql(
ALTER TABLE trials ADD COLUMN job_id TEXT NOT NULL DEFAULT '';
)sql";

} // namespace

const std::vector<Migration> &schemaMigrations()
{
    static const std::vector<Migration> migrations = {
        {1, "base schema: plans, stages, trials, metrics, events", kBaseSchema},
        {2, "trials.exit_code and trials.log_tail", kTrialOutcome},
        {3, "artifacts table", kArtifacts},
        {4, "metric ids never reused (AUTOINCREMENT)", kMetricIdsNeverReused},
        {5, "trials.job_id (Slurm)", kTrialJobIds},
    };
    return migrations;
}

int latestSchemaVersion()
{
    return schemaMigrations().back().version;
}

int schemaVersionOf(const Database &db)
{
    return int(db.queryInt("PRAGMA user_version"));
}

void migrate(Database &db, int targetVersion)
{
    for (const Migration &migration : schemaMigrations()) {
        if (migration.version > targetVersion)
            break;
        // IMMEDIATE takes the write lock first, so the version read below cannot go stale.
        db.exec("BEGIN IMMEDIATE");
        try {
            if (schemaVersionOf(db) < migration.version) {
                db.exec(migration.sql);
                db.exec("PRAGMA user_version = " + std::to_string(migration.version));
            }
            db.exec("COMMIT");
        } catch (const StoreError &error) {
            if (db.inTransaction())
                db.exec("ROLLBACK");
            // The inner message starts with the path too; say it once.
            std::string reason = error.what();
            const std::string prefix = db.path() + ": ";
            if (reason.compare(0, prefix.size(), prefix) == 0)
                reason.erase(0, prefix.size());
            throw StoreError(prefix + "migration to schema version "
                             + std::to_string(migration.version) + " (" + migration.description
                             + ") failed: " + reason);
        }
    }
}

} // namespace seplab::store
