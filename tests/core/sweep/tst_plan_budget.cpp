// The compute budget's inputs from real plans and a fixture store: each template stage's
// trials, epochs, samples, bands and concurrency; the epoch times a store measured (metric rows
// named `seconds`, else a finished trial's run time), from the same plan or one with the same
// training config; and the `bench train` command line for a plan's model.

#include "core/store/experiment_store.h"
#include "core/sweep/plan.h"
#include "core/sweep/plan_budget.h"

#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

using namespace seplab;
using namespace seplab::sweep;
using nlohmann::json;

namespace {

const std::string kPlans = SEPLAB_PLANS_DIR;

const std::string kMeasuredPlan = "name: m\n"
                                  "metric: {name: score, goal: maximize}\n"
                                  "base_config: model.yaml\n"
                                  "stages:\n"
                                  "  - name: s1\n"
                                  "    method: random\n"
                                  "    trials: 3\n"
                                  "    train_samples: 100\n"
                                  "    epochs: 3\n"
                                  "    parameters: {lr: {min: 0.1, max: 0.2}}\n";

struct Fixture
{
    store::ExperimentStore store;
    std::string planPath;
};

// Plan "m" as a controller stored it: stage s1 (train_samples 100) with t0 reporting 2, 3 and
// 4 seconds per epoch, t1 stopped after 2 epochs and 10 s without `seconds` rows, t2 running;
// stage s2's spec has no train_samples, so its trial does not count.
Fixture makeFixture(const QTemporaryDir &dir)
{
    Fixture fixture{store::ExperimentStore::open(dir.filePath("s.db").toStdString(),
                                                 store::ExperimentStore::Mode::ReadWrite),
                    dir.filePath("plan.yaml").toStdString()};
    store::ExperimentStore &writer = fixture.store;
    store::PlanRecord plan;
    plan.name = "m";
    plan.yaml = kMeasuredPlan;
    plan.sourcePath = fixture.planPath;
    plan.state = "finished";
    plan.options = {{"scale", ""}, {"gpus", {0}}, {"slots_per_gpu", 2}};
    const std::int64_t planId = writer.addPlan(plan);
    store::StageRecord stage;
    stage.planId = planId;
    stage.name = "s1";
    stage.kind = "search";
    stage.state = "finished";
    stage.spec = {{"train_samples", 100}, {"epochs", 3}};
    const std::int64_t s1 = writer.addStage(stage);
    stage.index = 1;
    stage.name = "s2";
    stage.spec = {{"epochs", 3}};
    const std::int64_t s2 = writer.addStage(stage);

    auto trial = [&](std::int64_t stageId, int number, store::TrialState state, int epochs) {
        store::TrialRecord record;
        record.stageId = stageId;
        record.number = number;
        record.name = "t" + std::to_string(number);
        record.state = state;
        record.epochs = epochs;
        record.startedAt = 1000.0;
        record.finishedAt = store::isTerminal(state) ? 1010.0 : 0.0;
        return writer.addTrial(record);
    };
    const std::int64_t t0 = trial(s1, 0, store::TrialState::Finished, 3);
    trial(s1, 1, store::TrialState::Stopped, 2);
    trial(s1, 2, store::TrialState::Running, 1);
    const std::int64_t t3 = trial(s2, 3, store::TrialState::Finished, 3);
    std::vector<store::MetricRecord> rows;
    for (int epoch = 1; epoch <= 3; ++epoch) {
        rows.push_back({0, t0, epoch, "seconds", 1.0 + epoch, 0.0});
        rows.push_back({0, t0, epoch, "val_sisdr", 1.0, 0.0});
        rows.push_back({0, t3, epoch, "seconds", 50.0, 0.0});
    }
    writer.addMetrics(rows);
    return fixture;
}

} // namespace

class tst_PlanBudget : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void threeStageTemplateInputs();
    void forEachAndValidateTrials();
    void tinyScaleConcurrency();
    void measuredEpochsFromTheSamePlan();
    void measuredEpochsFromThePlanWithTheSameConfig();
    void benchArgumentsForTheTinyModel();
};

void tst_PlanBudget::threeStageTemplateInputs()
{
    const Plan plan = loadPlan(kPlans + "/dprnn_3stage_progressive.yaml");
    const std::vector<StageBudgetInput> inputs = budgetInputs(plan);
    QCOMPARE(inputs.size(), std::size_t(4));
    // Hyperband min_iter 10, eta 3: bands 10, 30 below 50, 60 and 80 epochs (90 is past).
    const std::vector<std::int64_t> samples = {2000, 4000, 8000, 16000};
    const std::vector<int> epochs = {50, 60, 80, 80};
    for (std::size_t i = 0; i < 3; ++i) {
        QCOMPARE(*inputs[i].trials, std::int64_t(40));
        QCOMPARE(*inputs[i].epochs, epochs[i]);
        QCOMPARE(*inputs[i].trainSamples, samples[i]);
        QCOMPARE(inputs[i].bands, (std::vector<int>{10, 30}));
        QCOMPARE(inputs[i].survival, 1.0 / 3.0);
        // One GPU with 4 slots.
        QCOMPARE(inputs[i].concurrency, 4);
    }
    // Validation: top 5 × 3 seeds, no early termination.
    QCOMPARE(*inputs[3].trials, std::int64_t(15));
    QCOMPARE(*inputs[3].trainSamples, std::int64_t(16000));
    QVERIFY(inputs[3].bands.empty());
    QCOMPARE(inputs[3].survival, 1.0);
}

void tst_PlanBudget::forEachAndValidateTrials()
{
    const Plan plan = loadPlan(kPlans + "/dprnn_expB_proxy_grid.yaml");
    const std::vector<StageBudgetInput> inputs = budgetInputs(plan);
    QCOMPARE(*inputs[0].trials, std::int64_t(70));
    QCOMPARE(inputs[0].bands, (std::vector<int>{6, 18}));
    // for_each: top 3 × the 4 × 4 grid; hyperband min_iter 35: one band below 80.
    QCOMPARE(*inputs[1].trials, std::int64_t(48));
    QCOMPARE(inputs[1].bands, (std::vector<int>{35}));
    QCOMPARE(*inputs[2].trials, std::int64_t(9));
}

void tst_PlanBudget::tinyScaleConcurrency()
{
    const Plan plan = loadPlan(kPlans + "/dprnn_onestage_8k.yaml", "tiny");
    const std::vector<StageBudgetInput> inputs = budgetInputs(plan);
    // The tiny executor: 2 CPU slots; min_iter 1, eta 3 on 3 epochs: band 1 (3 is not below).
    QCOMPARE(inputs[0].concurrency, 2);
    QCOMPARE(*inputs[0].trials, std::int64_t(6));
    QCOMPARE(inputs[0].bands, (std::vector<int>{1}));
    QCOMPARE(*inputs[1].trials, std::int64_t(4));
    QCOMPARE(trialsPerDevice(plan.executor), 2);
}

void tst_PlanBudget::measuredEpochsFromTheSamePlan()
{
    QTemporaryDir dir;
    Fixture fixture = makeFixture(dir);
    const Plan plan = parsePlan(kMeasuredPlan, fixture.planPath);
    const MeasuredEpochs measured = measuredEpochs(fixture.store, plan);
    QCOMPARE(measured.timings.size(), std::size_t(2));
    // t0: its rows, 2 + 3 + 4 = 9 s over 3 epochs; t1: 1010 - 1000 = 10 s over its 2 epochs.
    QCOMPARE(measured.timings[0].trainSamples, std::int64_t(100));
    QCOMPARE(measured.timings[0].epochs, 3);
    QCOMPARE(measured.timings[0].seconds, 9.0);
    QCOMPARE(measured.timings[1].epochs, 2);
    QCOMPARE(measured.timings[1].seconds, 10.0);
    QCOMPARE(measured.share, 2);
    QCOMPARE(measured.source,
             "5 measured epochs of plan 'm' in " + dir.filePath("s.db").toStdString());
    // 19 s / (100 × 5) sample-epochs.
    QCOMPARE(*secondsPerSampleEpoch(measured.timings), 19.0 / 500.0);

    // The same plan at another scale was not measured.
    Plan scaled = plan;
    scaled.scale = "tiny";
    scaled.baseConfig = "other.yaml";
    QVERIFY(measuredEpochs(fixture.store, scaled).timings.empty());
}

void tst_PlanBudget::measuredEpochsFromThePlanWithTheSameConfig()
{
    QTemporaryDir dir;
    Fixture fixture = makeFixture(dir);
    std::string text = kMeasuredPlan;
    text.replace(text.find("name: m\n"), 8, "name: n\n");
    const MeasuredEpochs same = measuredEpochs(fixture.store, parsePlan(text, fixture.planPath));
    QCOMPARE(same.timings.size(), std::size_t(2));
    QVERIFY(same.source.find("plan 'm'") != std::string::npos);
    text.replace(text.find("model.yaml"), 10, "other.yaml");
    QVERIFY(measuredEpochs(fixture.store, parsePlan(text, fixture.planPath)).timings.empty());
}

void tst_PlanBudget::benchArgumentsForTheTinyModel()
{
    const Plan plan = loadPlan(kPlans + "/dprnn_3stage_progressive.yaml", "tiny");
    const std::vector<std::string> args = benchTrainArguments(plan);
    const std::string config = QDir::cleanPath(QString::fromStdString(kPlans)
                                               + "/../configs/dprnn_tiny.yaml")
                                   .toStdString();
    // dprnn_tiny.yaml: batch_size 4, segment_seconds 1.0; the tiny executor: CPU, 1 thread.
    const std::vector<std::string> expected = {"bench",
                                               "train",
                                               "--model",
                                               "dprnn",
                                               "--config",
                                               config,
                                               "--batch",
                                               "4",
                                               "--seconds",
                                               "1.0",
                                               "--device",
                                               "cpu",
                                               "--steps",
                                               "5",
                                               "--warmup",
                                               "1",
                                               "--threads",
                                               "1"};
    QCOMPARE(args, expected);

    Plan missing = plan;
    missing.baseConfig = "no-such-config.yaml";
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, benchTrainArguments(missing));
}

QTEST_APPLESS_MAIN(tst_PlanBudget)
#include "tst_plan_budget.moc"
