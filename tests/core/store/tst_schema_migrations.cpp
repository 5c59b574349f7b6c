// Schema versions and migrations (DESIGN.md "Store": the schema has a version number and
// migrations): a v1 file written with the v1 SQL migrates to the current version keeping its
// rows; each step is atomic; a file newer than the code, a foreign SQLite file or a non-SQLite
// file is refused with one sentence naming it; a read-only open never changes the file.

#include "core/store/experiment_store.h"
#include "core/store/schema_migrations.h"
#include "core/store/sqlite_handle.h"

#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

using namespace seplab::store;
using nlohmann::json;
using Mode = ExperimentStore::Mode;

namespace {

std::string storePath(const QTemporaryDir &dir, const char *name = "s.db")
{
    return dir.filePath(name).toStdString();
}

// A store exactly as SepLab's first schema wrote it: migration 1's SQL, version 1, one plan,
// one stage, two trials (one with no best value yet), metrics and a plan-level event.
void writeVersion1Store(const std::string &path)
{
    Database db(path, Database::Access::ReadWriteCreate);
    db.exec("PRAGMA journal_mode = WAL");
    db.exec(schemaMigrations().at(0).sql);
    db.exec("PRAGMA user_version = 1");
    db.exec(R"sql(
INSERT INTO plans VALUES (1, 'old-plan', 'name: old-plan', '/p/old.yaml', 'stopped',
                          '{"slots_per_gpu":2}', 321, 100.5, 200.25);
INSERT INTO stages VALUES (1, 1, 0, 's2k', 'search', 'finished', '{"method":"random"}',
                           '{}', 101.0, 150.0);
INSERT INTO trials VALUES (1, 1, 0, 's2k-0', 'finished', '{"lr":0.001}', '{"sampler":"random"}',
                           'cuda:0', '/runs/s2k-0', '["seplab-cli","train"]', 'fnv1a:1', 42, 999,
                           10.75, 50, '', 101.5, 102.0, 149.0);
INSERT INTO trials VALUES (2, 1, 1, 's2k-1', 'failed', '{"lr":0.01}', '{}', 'cpu', '/runs/s2k-1',
                           '[]', 'fnv1a:1', 7, 0, NULL, 3, 'exit code 1', 101.5, 102.5, 103.0);
INSERT INTO metrics VALUES (1, 1, 1, 'val_sisdr', 9.5, 110.0);
INSERT INTO metrics VALUES (2, 1, 2, 'val_sisdr', 10.75, 120.0);
INSERT INTO events VALUES (1, 1, NULL, 'controller_start', '{"pid":321}', 100.5);
)sql");
}

std::vector<std::string> columnsOf(const Database &db, const std::string &table)
{
    Statement statement = db.prepare("SELECT name FROM pragma_table_info(:table) ORDER BY cid");
    statement.bindText(":table", table);
    std::vector<std::string> names;
    while (statement.step())
        names.push_back(statement.textColumn(0));
    return names;
}

bool hasTable(const Database &db, const std::string &table)
{
    Statement statement = db.prepare(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = :name");
    statement.bindText(":name", table);
    statement.step();
    return statement.intColumn(0) == 1;
}

bool contains(const std::vector<std::string> &names, const std::string &name)
{
    return std::find(names.begin(), names.end(), name) != names.end();
}

template<typename Body>
std::string storeErrorOf(Body body)
{
    try {
        body();
    } catch (const StoreError &error) {
        return error.what();
    }
    return "(nothing thrown)";
}

} // namespace

class tst_SchemaMigrations : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void migrationsAreNumberedOneByOne();
    void freshStoreIsAtTheLatestVersion();
    void version1StoreMigratesKeepingItsRows();
    void migrationStopsAtTheTargetVersion();
    void metricIdsAreNeverReusedAfterMigration();
    void failedStepRollsBackAndNamesTheStep();
    void readOnlyNeverMigrates();
    void newerVersionIsRefusedInBothModes();
    void foreignSqliteFileIsRefused();
    void nonSqliteFileIsRefused();
};

void tst_SchemaMigrations::migrationsAreNumberedOneByOne()
{
    const std::vector<Migration> &migrations = schemaMigrations();
    QCOMPARE(migrations.size(), std::size_t(5));
    for (std::size_t i = 0; i < migrations.size(); ++i) {
        QCOMPARE(migrations[i].version, int(i) + 1);
        QVERIFY(!migrations[i].description.empty());
    }
    QCOMPARE(latestSchemaVersion(), 5);
    QCOMPARE(ExperimentStore::currentSchemaVersion(), 5);
}

void tst_SchemaMigrations::freshStoreIsAtTheLatestVersion()
{
    QTemporaryDir dir;
    const std::string path = storePath(dir);
    QCOMPARE(ExperimentStore::open(path, Mode::ReadWrite).schemaVersion(), 5);
    const Database db(path, Database::Access::ReadOnly);
    QCOMPARE(schemaVersionOf(db), 5);
    for (const char *table : {"plans", "stages", "trials", "metrics", "events", "artifacts"})
        QVERIFY2(hasTable(db, table), table);
    // Opening again is a no-op, not a second migration (which would fail on duplicate columns).
    QCOMPARE(ExperimentStore::open(path, Mode::ReadWrite).schemaVersion(), 5);
}

void tst_SchemaMigrations::version1StoreMigratesKeepingItsRows()
{
    QTemporaryDir dir;
    const std::string path = storePath(dir);
    writeVersion1Store(path);
    {
        const Database db(path, Database::Access::ReadOnly);
        QVERIFY(!contains(columnsOf(db, "trials"), "log_tail"));
        QVERIFY(!hasTable(db, "artifacts"));
    }

    ExperimentStore store = ExperimentStore::open(path, Mode::ReadWrite);
    QCOMPARE(store.schemaVersion(), 5);

    const PlanRecord plan = *store.planByName("old-plan");
    QCOMPARE(plan.id, std::int64_t(1));
    QCOMPARE(plan.yaml, std::string("name: old-plan"));
    QCOMPARE(plan.sourcePath, std::string("/p/old.yaml"));
    QCOMPARE(plan.state, std::string("stopped"));
    QCOMPARE(plan.options, json({{"slots_per_gpu", 2}}));
    QCOMPARE(plan.controllerPid, 321);
    QCOMPARE(plan.createdAt, 100.5);
    QCOMPARE(plan.updatedAt, 200.25);

    const std::vector<StageRecord> stages = store.stages(1);
    QCOMPARE(stages.size(), std::size_t(1));
    QCOMPARE(stages[0].name, std::string("s2k"));
    QCOMPARE(stages[0].spec, json({{"method", "random"}}));
    QCOMPARE(stages[0].finishedAt, 150.0);

    const std::vector<TrialRecord> trials = store.trials(1);
    QCOMPARE(trials.size(), std::size_t(2));
    QVERIFY(trials[0].state == TrialState::Finished);
    QCOMPARE(trials[0].params, json({{"lr", 0.001}}));
    QCOMPARE(trials[0].command, json({"seplab-cli", "train"}));
    QCOMPARE(trials[0].seed, std::int64_t(42));
    QCOMPARE(trials[0].pid, 999);
    QVERIFY(trials[0].bestValue == 10.75);
    QCOMPARE(trials[0].epochs, 50);
    QCOMPARE(trials[0].finishedAt, 149.0);
    // v2's columns exist with their defaults for old rows.
    QCOMPARE(trials[0].exitCode, 0);
    QCOMPARE(trials[0].logTail, std::string());
    // v5's job id is empty for the old (local) trials.
    QCOMPARE(trials[0].jobId, std::string());
    QVERIFY(trials[1].state == TrialState::Failed);
    QVERIFY(!trials[1].bestValue);
    QCOMPARE(trials[1].error, std::string("exit code 1"));

    const std::vector<MetricRecord> metrics = store.metrics(1, "val_sisdr");
    QCOMPARE(metrics.size(), std::size_t(2));
    QCOMPARE(metrics[1].value, 10.75);
    const std::vector<EventRecord> events = store.events(1);
    QCOMPARE(events.size(), std::size_t(1));
    QCOMPARE(events[0].trialId, std::int64_t(0));
    QCOMPARE(events[0].payload, json({{"pid", 321}}));

    // The new column and table take writes.
    TrialRecord failed = trials[1];
    failed.exitCode = 1;
    failed.logTail = "Traceback (most recent call last):\n";
    store.updateTrial(failed);
    QCOMPARE(store.trial(2)->logTail, failed.logTail);
    QCOMPARE(store.trial(2)->exitCode, 1);
    failed.jobId = "4711";
    store.updateTrial(failed);
    QCOMPARE(store.trial(2)->jobId, std::string("4711"));
    store.addArtifact(1, "checkpoint", "/runs/s2k-0/checkpoints/best.pt");
    QCOMPARE(store.artifacts(1).size(), std::size_t(1));
}

void tst_SchemaMigrations::migrationStopsAtTheTargetVersion()
{
    QTemporaryDir dir;
    const std::string path = storePath(dir);
    writeVersion1Store(path);
    Database db(path, Database::Access::ReadWriteCreate);
    migrate(db, 2);
    QCOMPARE(schemaVersionOf(db), 2);
    const std::vector<std::string> columns = columnsOf(db, "trials");
    QCOMPARE(columns.size(), std::size_t(21)); // 19 of v1 + exit_code + log_tail
    QCOMPARE(columns[19], std::string("exit_code"));
    QCOMPARE(columns[20], std::string("log_tail"));
    QVERIFY(!hasTable(db, "artifacts"));
    QCOMPARE(db.queryInt("SELECT count(*) FROM trials WHERE exit_code = 0 AND log_tail = ''"),
             std::int64_t(2));
    migrate(db);
    QCOMPARE(schemaVersionOf(db), 5);
    QVERIFY(hasTable(db, "artifacts"));
}

void tst_SchemaMigrations::metricIdsAreNeverReusedAfterMigration()
{
    QTemporaryDir dir;
    const std::string path = storePath(dir);
    writeVersion1Store(path); // metric ids 1 and 2, both of trial 1
    ExperimentStore store = ExperimentStore::open(path, Mode::ReadWrite);
    QCOMPARE(store.metricsAfter(0).back().id, std::int64_t(2));
    // The trial restarts from scratch: its rows (the highest ids) go, and the new row must not
    // take id 2 again, or a reader that saw id 2 would never see it.
    store.deleteMetrics(1);
    MetricRecord again;
    again.trialId = 1;
    again.step = 1;
    again.name = "val_sisdr";
    again.value = 3.5;
    store.addMetrics({again});
    const std::vector<MetricRecord> rows = store.metricsAfter(2);
    QCOMPARE(rows.size(), std::size_t(1));
    QCOMPARE(rows[0].id, std::int64_t(3));
    QCOMPARE(rows[0].value, 3.5);
    const Database db(path, Database::Access::ReadOnly);
    QCOMPARE(db.queryInt("SELECT count(*) FROM sqlite_master WHERE name = 'metrics_by_trial'"),
             std::int64_t(1));
}

void tst_SchemaMigrations::failedStepRollsBackAndNamesTheStep()
{
    QTemporaryDir dir;
    const std::string path = storePath(dir);
    writeVersion1Store(path);
    {
        // Someone added log_tail by hand: step 2 adds exit_code, then fails on log_tail.
        Database db(path, Database::Access::ReadWriteCreate);
        db.exec("ALTER TABLE trials ADD COLUMN log_tail TEXT");
    }
    const std::string message = storeErrorOf([&] { ExperimentStore::open(path, Mode::ReadWrite); });
    QVERIFY2(message.rfind(path + ": migration to schema version 2 (", 0) == 0, message.c_str());
    QVERIFY2(message.find("duplicate column name: log_tail") != std::string::npos, message.c_str());
    const Database db(path, Database::Access::ReadOnly);
    QCOMPARE(schemaVersionOf(db), 1);
    QVERIFY(!contains(columnsOf(db, "trials"), "exit_code")); // the step's first half undone
    QCOMPARE(db.queryInt("SELECT count(*) FROM trials"), std::int64_t(2));
}

void tst_SchemaMigrations::readOnlyNeverMigrates()
{
    QTemporaryDir dir;
    const std::string path = storePath(dir);
    writeVersion1Store(path);
    QCOMPARE(storeErrorOf([&] { ExperimentStore::open(path, Mode::ReadOnly); }),
             path
                 + ": has schema version 1, older than this SepLab's 5; open it read-write "
                   "once (e.g. `seplab-cli sweep resume`) to migrate it.");
    const Database db(path, Database::Access::ReadOnly);
    QCOMPARE(schemaVersionOf(db), 1);
    QVERIFY(!hasTable(db, "artifacts"));
}

void tst_SchemaMigrations::newerVersionIsRefusedInBothModes()
{
    QTemporaryDir dir;
    const std::string path = storePath(dir);
    {
        ExperimentStore::open(path, Mode::ReadWrite);
        Database db(path, Database::Access::ReadWriteCreate);
        db.exec("PRAGMA user_version = 99");
    }
    const std::string expected = path
                                 + ": schema version 99 is newer than this SepLab "
                                   "understands (5); open it with the SepLab that wrote "
                                   "it, or a newer one.";
    QCOMPARE(storeErrorOf([&] { ExperimentStore::open(path, Mode::ReadWrite); }), expected);
    QCOMPARE(storeErrorOf([&] { ExperimentStore::open(path, Mode::ReadOnly); }), expected);
    const Database db(path, Database::Access::ReadOnly);
    QCOMPARE(schemaVersionOf(db), 99); // untouched
}

void tst_SchemaMigrations::foreignSqliteFileIsRefused()
{
    QTemporaryDir dir;
    const std::string path = storePath(dir);
    {
        Database db(path, Database::Access::ReadWriteCreate);
        db.exec("CREATE TABLE photos (id INTEGER PRIMARY KEY)");
    }
    const std::string expected = path + ": is an SQLite database but not a SepLab store.";
    QCOMPARE(storeErrorOf([&] { ExperimentStore::open(path, Mode::ReadWrite); }), expected);
    QCOMPARE(storeErrorOf([&] { ExperimentStore::open(path, Mode::ReadOnly); }), expected);
    const Database db(path, Database::Access::ReadOnly);
    QCOMPARE(db.queryInt("SELECT count(*) FROM sqlite_master"), std::int64_t(1));
}

void tst_SchemaMigrations::nonSqliteFileIsRefused()
{
    QTemporaryDir dir;
    const std::string path = storePath(dir, "plan.yaml");
    std::ofstream(path) << "name: not a database\nstages: []\n" << std::string(200, '#') << "\n";
    for (const Mode mode : {Mode::ReadOnly, Mode::ReadWrite}) {
        const std::string message = storeErrorOf([&] { ExperimentStore::open(path, mode); });
        QVERIFY2(message.rfind(path + ": ", 0) == 0, message.c_str());
        QVERIFY2(message.find("file is not a database") != std::string::npos, message.c_str());
    }
}

QTEST_GUILESS_MAIN(tst_SchemaMigrations)
#include "tst_schema_migrations.moc"
