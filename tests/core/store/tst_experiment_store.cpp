// The experiment store's records (DESIGN.md "Store"): every field of every record survives a
// write and a read exactly, reads come back in their documented order, and a row or a record
// the code cannot handle is reported in one sentence naming the store, never guessed.

#include "core/store/experiment_store.h"
#include "core/store/sqlite_handle.h"
#include "store_test_samples.h"

#include <QtTest>

#include <cmath>
#include <limits>

using namespace seplab::store;
using namespace seplab::store::test;
using Mode = ExperimentStore::Mode;

class tst_ExperimentStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void planRoundTripsEveryField();
    void stageRoundTripsEveryField();
    void trialRoundTripsEveryFieldThroughAddAndUpdate();
    void trialsAreOrderedByNumberAndPlanTrialsByStage();
    void metricsRoundTripAndOrderByStepThenId();
    void metricsAfterPagesByIdForPolling();
    void eventsRoundTripWithPlanLevelTrialZero();
    void artifactsKeepOrderAndDropDuplicates();
    void missingStoreReadOnlyIsOneSentence();
    void unknownTrialStateIsReported();
    void brokenJsonIsReported();
    void badRecordsAndMissingIdsAreRefused();
};

void tst_ExperimentStore::planRoundTripsEveryField()
{
    QTemporaryDir dir;
    ExperimentStore store = ExperimentStore::open(storePath(dir), Mode::ReadWrite);
    PlanRecord plan = samplePlan();
    plan.id = store.addPlan(plan);
    QCOMPARE(plan.id, std::int64_t(1));

    const auto check = [](const PlanRecord &got, const PlanRecord &want) {
        QCOMPARE(got.id, want.id);
        QCOMPARE(got.name, want.name);
        QCOMPARE(got.yaml, want.yaml);
        QCOMPARE(got.sourcePath, want.sourcePath);
        QCOMPARE(got.state, want.state);
        QCOMPARE(got.options, want.options);
        QCOMPARE(got.controllerPid, want.controllerPid);
        QCOMPARE(got.createdAt, want.createdAt);
        QCOMPARE(got.updatedAt, want.updatedAt);
    };
    check(*store.plan(plan.id), plan);
    check(*store.planByName("dprnn-progressive"), plan);

    plan.state = "stopped";
    plan.options = json{{"cpu_slots", 2}};
    plan.controllerPid = 777;
    plan.updatedAt = 1764179999.875;
    plan.yaml += "# edited\n";
    store.updatePlan(plan);
    check(store.plans().at(0), plan);
    QCOMPARE(store.plans().size(), std::size_t(1));
    QVERIFY(!store.plan(2));
    QVERIFY(!store.planByName("other"));
}

void tst_ExperimentStore::stageRoundTripsEveryField()
{
    QTemporaryDir dir;
    ExperimentStore store = ExperimentStore::open(storePath(dir), Mode::ReadWrite);
    const std::int64_t planId = store.addPlan(samplePlan());
    StageRecord stage = sampleStage(planId, 0);
    stage.id = store.addStage(stage);

    const auto check = [](const StageRecord &got, const StageRecord &want) {
        QCOMPARE(got.id, want.id);
        QCOMPARE(got.planId, want.planId);
        QCOMPARE(got.index, want.index);
        QCOMPARE(got.name, want.name);
        QCOMPARE(got.kind, want.kind);
        QCOMPARE(got.state, want.state);
        QCOMPARE(got.spec, want.spec);
        QCOMPARE(got.provenance, want.provenance);
        QCOMPARE(got.startedAt, want.startedAt);
        QCOMPARE(got.finishedAt, want.finishedAt);
    };
    check(*store.stage(stage.id), stage);

    stage.state = "finished";
    stage.kind = "validate";
    stage.name = "validation";
    stage.spec = json{{"seeds", {42, 123, 456}}};
    stage.provenance = json{{"promote", {{"from", "s8k"}, {"top_k", 5}}}};
    stage.finishedAt = 1764171234.5;
    store.updateStage(stage);
    check(*store.stage(stage.id), stage);

    // Added out of order, listed by index.
    StageRecord second = sampleStage(planId, 2);
    StageRecord first = sampleStage(planId, 1);
    second.id = store.addStage(second);
    first.id = store.addStage(first);
    const std::vector<StageRecord> stages = store.stages(planId);
    QCOMPARE(stages.size(), std::size_t(3));
    QCOMPARE(stages[0].id, stage.id);
    QCOMPARE(stages[1].id, first.id);
    QCOMPARE(stages[2].id, second.id);
    QVERIFY(store.stages(planId + 1).empty());
}

void tst_ExperimentStore::trialRoundTripsEveryFieldThroughAddAndUpdate()
{
    QTemporaryDir dir;
    ExperimentStore store = ExperimentStore::open(storePath(dir), Mode::ReadWrite);
    const std::int64_t stageId = seed(store, 0);
    TrialRecord trial = sampleTrial(stageId);
    trial.id = store.addTrial(trial);
    compareTrials(*store.trial(trial.id), trial);

    // Every updatable field changes, and bestValue goes from a value to absent.
    trial.name = "s2k-0-renamed";
    trial.state = TrialState::Diverged;
    trial.params = json{{"lr", 3e-3}};
    trial.provenance = json{{"group", "cfg-2"}};
    trial.device = "cpu";
    trial.runDir = "/elsewhere";
    trial.command = json::array({"python3", "train.py", "--lr=0.003"});
    trial.datasetHash = "fnv1a:00000000";
    trial.seed = -5;
    trial.pid = 0;
    trial.exitCode = 3;
    trial.bestValue.reset();
    trial.epochs = 0;
    trial.error = "loss is NaN";
    trial.logTail = "";
    trial.createdAt = 1.5;
    trial.startedAt = 2.5;
    trial.finishedAt = 3.5;
    store.updateTrial(trial);
    compareTrials(*store.trial(trial.id), trial);
    QVERIFY(!store.trial(trial.id)->bestValue.has_value());
    QVERIFY(!store.trial(trial.id + 1));
}

void tst_ExperimentStore::trialsAreOrderedByNumberAndPlanTrialsByStage()
{
    QTemporaryDir dir;
    ExperimentStore store = ExperimentStore::open(storePath(dir), Mode::ReadWrite);
    const std::int64_t planId = store.addPlan(samplePlan());
    const std::int64_t stage0 = store.addStage(sampleStage(planId, 0));
    const std::int64_t stage1 = store.addStage(sampleStage(planId, 1));
    // Insertion order: stage1#1, stage0#1, stage1#0, stage0#0.
    store.addTrial(sampleTrial(stage1, 1));
    store.addTrial(sampleTrial(stage0, 1));
    store.addTrial(sampleTrial(stage1, 0));
    store.addTrial(sampleTrial(stage0, 0));

    const std::vector<TrialRecord> first = store.trials(stage0);
    QCOMPARE(first.size(), std::size_t(2));
    QCOMPARE(first[0].id, std::int64_t(4));
    QCOMPARE(first[1].id, std::int64_t(2));
    const std::vector<TrialRecord> all = store.planTrials(planId);
    QCOMPARE(all.size(), std::size_t(4));
    const std::int64_t expected[] = {4, 2, 3, 1};
    for (std::size_t i = 0; i < 4; ++i)
        QCOMPARE(all[i].id, expected[i]);

    // A number is unique within its stage: a second trial 0 would corrupt resume's counting.
    const std::string message = messageOf<StoreError>(
        [&] { store.addTrial(sampleTrial(stage0, 0)); });
    QVERIFY2(message.find("UNIQUE") != std::string::npos, message.c_str());
}

void tst_ExperimentStore::metricsRoundTripAndOrderByStepThenId()
{
    QTemporaryDir dir;
    ExperimentStore store = ExperimentStore::open(storePath(dir), Mode::ReadWrite);
    const std::int64_t stageId = seed(store, 2);
    const double inf = std::numeric_limits<double>::infinity();
    const double nan = std::numeric_limits<double>::quiet_NaN();
    store.addMetrics({{0, 1, 2, "val_sisdr", 9.75, 100.5},
                      {0, 1, 1, "val_sisdr", 8.125, 50.25},
                      {0, 1, 1, "train_loss", -inf, 50.5},
                      {0, 2, 1, "val_sisdr", 1.0, 60.0},
                      {0, 1, 2, "val_sisdr", nan, 101.0}});

    const std::vector<MetricRecord> all = store.metrics(1);
    QCOMPARE(all.size(), std::size_t(4));
    // Step 1 first (ids 2 then 3), then step 2 (ids 1 then 5).
    QCOMPARE(all[0].id, std::int64_t(2));
    QCOMPARE(all[0].trialId, std::int64_t(1));
    QCOMPARE(all[0].step, 1);
    QCOMPARE(all[0].name, std::string("val_sisdr"));
    QCOMPARE(all[0].value, 8.125);
    QCOMPARE(all[0].time, 50.25);
    QCOMPARE(all[1].id, std::int64_t(3));
    QCOMPARE(all[1].value, -inf);
    QCOMPARE(all[2].id, std::int64_t(1));
    QCOMPARE(all[2].value, 9.75);
    QCOMPARE(all[3].id, std::int64_t(5));
    QVERIFY(std::isnan(all[3].value));
    QCOMPARE(all[3].time, 101.0);

    const std::vector<MetricRecord> sisdr = store.metrics(1, "val_sisdr");
    QCOMPARE(sisdr.size(), std::size_t(3));
    QCOMPARE(sisdr[0].id, std::int64_t(2));
    QCOMPARE(sisdr[1].id, std::int64_t(1));
    QCOMPARE(sisdr[2].id, std::int64_t(5));
    QCOMPARE(store.metrics(2).size(), std::size_t(1));
    QVERIFY(store.metrics(1, "lr").empty());
    Q_UNUSED(stageId);
}

void tst_ExperimentStore::metricsAfterPagesByIdForPolling()
{
    QTemporaryDir dir;
    ExperimentStore store = ExperimentStore::open(storePath(dir), Mode::ReadWrite);
    seed(store, 1);
    std::vector<MetricRecord> batch;
    for (int step = 1; step <= 7; ++step)
        batch.push_back({0, 1, step, "val_sisdr", double(step) / 4, double(step)});
    store.addMetrics(batch);

    const std::vector<MetricRecord> page1 = store.metricsAfter(0, 3);
    QCOMPARE(page1.size(), std::size_t(3));
    QCOMPARE(page1.back().id, std::int64_t(3));
    const std::vector<MetricRecord> page2 = store.metricsAfter(page1.back().id);
    QCOMPARE(page2.size(), std::size_t(4));
    QCOMPARE(page2.front().id, std::int64_t(4));
    QCOMPARE(page2.front().value, 1.0);
    QCOMPARE(page2.back().step, 7);
    QVERIFY(store.metricsAfter(7).empty());
    // A huge limit (SIZE_MAX) must not wrap into SQLite's "negative = no limit" by accident.
    QCOMPARE(store.metricsAfter(0, std::numeric_limits<std::size_t>::max()).size(), std::size_t(7));
}

void tst_ExperimentStore::eventsRoundTripWithPlanLevelTrialZero()
{
    QTemporaryDir dir;
    ExperimentStore store = ExperimentStore::open(storePath(dir), Mode::ReadWrite);
    seed(store, 1);
    const std::int64_t first = store.addEvent({0, 0, 1, "controller_start", {{"pid", 12}}, 10.5});
    const std::int64_t second = store.addEvent({0, 1, 1, "early_stop", {{"band", 10}}, 11.25});
    const std::int64_t third = store.addEvent({0, 1, 1, "interrupted", json(), 12.0});
    QCOMPARE(first, std::int64_t(1));
    QCOMPARE(third, std::int64_t(3));

    const std::vector<EventRecord> events = store.events(1);
    QCOMPARE(events.size(), std::size_t(3));
    QCOMPARE(events[0].id, first);
    QCOMPARE(events[0].trialId, std::int64_t(0));
    QCOMPARE(events[0].planId, std::int64_t(1));
    QCOMPARE(events[0].kind, std::string("controller_start"));
    QCOMPARE(events[0].payload, json({{"pid", 12}}));
    QCOMPARE(events[0].time, 10.5);
    QCOMPARE(events[1].trialId, std::int64_t(1));
    QCOMPARE(events[1].payload, json({{"band", 10}}));
    QVERIFY(events[2].payload.is_null());

    const std::vector<EventRecord> later = store.events(1, second);
    QCOMPARE(later.size(), std::size_t(1));
    QCOMPARE(later[0].id, third);
    QVERIFY(store.events(2).empty());
}

void tst_ExperimentStore::artifactsKeepOrderAndDropDuplicates()
{
    QTemporaryDir dir;
    ExperimentStore store = ExperimentStore::open(storePath(dir), Mode::ReadWrite);
    seed(store, 2);
    store.addArtifact(1, "checkpoint", "/r/checkpoints/last.pt");
    store.addArtifact(1, "checkpoint", "/r/checkpoints/best.pt");
    store.addArtifact(1, "checkpoint", "/r/checkpoints/last.pt"); // re-registered each epoch
    store.addArtifact(2, "audio", "/r/s1.wav");
    const auto artifacts = store.artifacts(1);
    QCOMPARE(artifacts.size(), std::size_t(2));
    QCOMPARE(artifacts[0],
             std::make_pair(std::string("checkpoint"), std::string("/r/checkpoints/last.pt")));
    QCOMPARE(artifacts[1].second, std::string("/r/checkpoints/best.pt"));
    QCOMPARE(store.artifacts(2).size(), std::size_t(1));
    QVERIFY(store.artifacts(3).empty());
    // Foreign keys are on: an artifact of no trial is refused.
    const std::string message = messageOf<StoreError>([&] { store.addArtifact(99, "audio", "x"); });
    QVERIFY2(message.find("FOREIGN KEY") != std::string::npos, message.c_str());
}

void tst_ExperimentStore::missingStoreReadOnlyIsOneSentence()
{
    QTemporaryDir dir;
    const std::string path = storePath(dir, "absent.db");
    QCOMPARE(messageOf<StoreError>([&] { ExperimentStore::open(path, Mode::ReadOnly); }),
             path + ": no such store.");
    QVERIFY(!QFileInfo::exists(QString::fromStdString(path))); // a reader never creates it
    // ReadWrite creates the file and its missing folders.
    const std::string nested = dir.filePath("a/b/s.db").toStdString();
    QCOMPARE(ExperimentStore::open(nested, Mode::ReadWrite).schemaVersion(),
             ExperimentStore::currentSchemaVersion());
    QVERIFY(QFileInfo::exists(QString::fromStdString(nested)));
}

void tst_ExperimentStore::unknownTrialStateIsReported()
{
    QTemporaryDir dir;
    const std::string path = storePath(dir);
    ExperimentStore store = ExperimentStore::open(path, Mode::ReadWrite);
    const std::int64_t stageId = seed(store, 2);
    {
        Database raw(path, Database::Access::ReadWriteCreate);
        raw.exec("UPDATE trials SET state = 'zombie' WHERE id = 2");
    }
    const std::string expected = path + ": trial 2 has unknown state 'zombie'.";
    QCOMPARE(messageOf<StoreError>([&] { store.trials(stageId); }), expected);
    QCOMPARE(messageOf<StoreError>([&] { store.trial(2); }), expected);
    QVERIFY(store.trial(1)->state == TrialState::Running); // the other row still reads
}

void tst_ExperimentStore::brokenJsonIsReported()
{
    QTemporaryDir dir;
    const std::string path = storePath(dir);
    ExperimentStore store = ExperimentStore::open(path, Mode::ReadWrite);
    seed(store, 1);
    {
        Database raw(path, Database::Access::ReadWriteCreate);
        raw.exec("UPDATE trials SET params = '{\"lr\": ' WHERE id = 1");
        raw.exec("UPDATE plans SET options = 'not json' WHERE id = 1");
    }
    QCOMPARE(messageOf<StoreError>([&] { store.trial(1); }),
             path + ": trials row 1 has invalid JSON in params.");
    QCOMPARE(messageOf<StoreError>([&] { store.plans(); }),
             path + ": plans row 1 has invalid JSON in options.");
}

void tst_ExperimentStore::badRecordsAndMissingIdsAreRefused()
{
    QTemporaryDir dir;
    const std::string path = storePath(dir);
    ExperimentStore store = ExperimentStore::open(path, Mode::ReadWrite);
    seed(store, 1);

    PlanRecord plan = samplePlan("p2");
    plan.state = "paused";
    QCOMPARE(messageOf<std::invalid_argument>([&] { store.addPlan(plan); }),
             std::string("plan state 'paused' is not one of running, finished, stopped, "
                         "failed."));
    StageRecord stage = sampleStage(1, 1);
    stage.kind = "grid";
    QCOMPARE(messageOf<std::invalid_argument>([&] { store.addStage(stage); }),
             std::string("stage kind 'grid' is not one of search, for_each, validate."));
    QVERIFY(store.stages(1).size() == 1);

    // A plan name is unique: `sweep run` relies on it to refuse a second plan of that name.
    QVERIFY_THROWS_EXCEPTION(StoreError, store.addPlan(samplePlan()));

    TrialRecord ghost = sampleTrial(1);
    ghost.id = 42;
    QCOMPARE(messageOf<StoreError>([&] { store.updateTrial(ghost); }),
             path + ": no trial with id 42 to update.");
    PlanRecord ghostPlan = samplePlan();
    ghostPlan.id = 42;
    QCOMPARE(messageOf<StoreError>([&] { store.updatePlan(ghostPlan); }),
             path + ": no plan with id 42 to update.");
    StageRecord ghostStage = sampleStage(1);
    ghostStage.id = 42;
    QCOMPARE(messageOf<StoreError>([&] { store.updateStage(ghostStage); }),
             path + ": no stage with id 42 to update.");
}

QTEST_GUILESS_MAIN(tst_ExperimentStore)
#include "tst_experiment_store.moc"
