// Plans: the shipped templates load with the exact stage values of the users' workflow, their
// tiny scale replaces exactly the keys it names, a W&B sweep becomes a one-stage plan, and every
// malformed plan gets one sentence naming the file, the line and the key.

#include "core/sweep/plan.h"

#include <QtTest>

#include <filesystem>
#include <fstream>

using namespace seplab::sweep;

namespace {

const std::string kPlans = std::string(SEPLAB_PLANS_DIR);
const std::string kSweeps = std::string(SEPLAB_EXAMPLES_DIR) + "/wandb-sweeps";

std::string planError(const std::string &yaml)
{
    try {
        parsePlan(yaml, "p.yaml");
    } catch (const std::invalid_argument &error) {
        return error.what();
    }
    return "no error";
}

const char *kTwoStages = "name: two\n"
                         "metric: {name: best_val_sisdr, goal: maximize}\n"
                         "base_config: base.yaml\n"
                         "stages:\n"
                         "  - name: a\n"
                         "    method: random\n"
                         "    trials: 4\n"
                         "    parameters:\n"
                         "      lr: {distribution: log_uniform_values, min: 1e-4, max: 1e-2}\n"
                         "  - name: b\n"
                         "    narrow_from: {stage: a, top_fraction: 0.5}\n";

} // namespace

class tst_Plan : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void progressiveTemplateHasTheUsersStages();
    void tinyScaleReplacesOnlyTheNamedKeys();
    void expBTemplateGridsAroundPromoted();
    void everyTemplateLoadsAtEveryScale();
    void narrowingStageInheritsMethodAndTrials();
    void wandbSweepBecomesOneStagePlan();
    void usersConfigPathResolvesByFileName();
    void slurmExecutorKeysBecomeSbatchOptions();
    void errorsNameFileLineAndKey_data();
    void errorsNameFileLineAndKey();
};

void tst_Plan::progressiveTemplateHasTheUsersStages()
{
    const Plan plan = loadPlan(kPlans + "/dprnn_3stage_progressive.yaml");
    QCOMPARE(plan.name, std::string("dprnn-3stage-progressive"));
    QCOMPARE(plan.metric.name, std::string("best_val_sisdr"));
    QVERIFY(plan.metric.maximize());
    QCOMPARE(plan.stages.size(), std::size_t(4));
    const std::vector<std::int64_t> samples = {2000, 4000, 8000, 16000};
    const std::vector<int> epochs = {50, 60, 80, 80};
    for (std::size_t i = 0; i < 4; ++i) {
        QCOMPARE(*plan.stages[i].trainSamples, samples[i]);
        QCOMPARE(*plan.stages[i].epochs, epochs[i]);
    }
    const StagePlan &first = plan.stages[0];
    QCOMPARE(first.sweep.method, std::string("bayes"));
    QCOMPARE(*first.trials, std::int64_t(40));
    QCOMPARE(*first.sweep.earlyTerminate->minIter, 10);
    QCOMPARE(first.sweep.parameters.size(), std::size_t(5));
    QCOMPARE(first.sweep.parameters.find("lr")->parameter.min(), 1e-5);
    QCOMPARE(first.set["early_stopping_patience"].get<int>(), 12);
    QCOMPARE(plan.stages[1].narrowFrom->stage, std::string("stage1-2k"));
    QCOMPARE(plan.stages[1].narrowFrom->topFraction, 0.25);
    QCOMPARE(plan.stages[1].sweep.method, std::string("bayes")); // inherited
    const StagePlan &validation = plan.stages[3];
    QCOMPARE(validation.kind, StagePlan::Kind::Validate);
    QCOMPARE(validation.promote->from, std::string("stage3-8k"));
    QCOMPARE(validation.promote->topK, 5);
    QCOMPARE(validation.seeds, (std::vector<std::int64_t>{42, 123, 456}));
    QCOMPARE(plan.resolvePath(plan.baseConfig),
             std::filesystem::canonical(kPlans + "/../configs/dprnn_baseline.yaml").string());
    QCOMPARE(plan.scales, std::vector<std::string>{"tiny"});
}

void tst_Plan::tinyScaleReplacesOnlyTheNamedKeys()
{
    const Plan plan = loadPlan(kPlans + "/dprnn_3stage_progressive.yaml", "tiny");
    QCOMPARE(plan.scale, std::string("tiny"));
    QCOMPARE(plan.baseConfig, std::string("../configs/dprnn_tiny.yaml"));
    QCOMPARE(plan.executor.cpuSlots, 2);
    QCOMPARE(plan.executor.threads, 1);
    QVERIFY(plan.executor.gpus.empty());
    QCOMPARE(*plan.stages[0].trainSamples, std::int64_t(24));
    QCOMPARE(*plan.stages[0].trials, std::int64_t(8));
    QCOMPARE(*plan.stages[0].sweep.earlyTerminate->minIter, 2);
    // Untouched keys keep the full plan's values.
    QCOMPARE(plan.stages[0].sweep.method, std::string("bayes"));
    QCOMPARE(plan.stages[0].set["early_stopping_patience"].get<int>(), 12);
    QCOMPARE(plan.stages[0].sweep.parameters.find("weight_decay")->parameter.max(), 1e-3);
    QCOMPARE(plan.stages[3].promote->topK, 2);
    QCOMPARE(plan.stages[3].seeds, (std::vector<std::int64_t>{42, 123}));
}

void tst_Plan::expBTemplateGridsAroundPromoted()
{
    const Plan plan = loadPlan(kPlans + "/dprnn_expB_proxy_grid.yaml");
    QCOMPARE(plan.stages.size(), std::size_t(3));
    QCOMPARE(plan.stages[0].sweep.parameters.size(), std::size_t(3));
    const StagePlan &grid = plan.stages[1];
    QCOMPARE(grid.kind, StagePlan::Kind::ForEach);
    QCOMPARE(grid.promote->from, std::string("proxy-16k"));
    QCOMPARE(grid.promote->topK, 3);
    QCOMPARE(grid.sweep.method, std::string("grid"));
    QCOMPARE(grid.sweep.parameters.find("lr_factor")->parameter.values().size(), std::size_t(4));
    QCOMPARE(*grid.sweep.earlyTerminate->minIter, 35);
    QVERIFY(plan.stages[2].promote->perGroup);
    QVERIFY(!plan.stages[2].promote->diverse);
}

void tst_Plan::everyTemplateLoadsAtEveryScale()
{
    int loaded = 0;
    for (const auto &entry : std::filesystem::directory_iterator(kPlans)) {
        const Plan plan = loadPlan(entry.path().string());
        QVERIFY2(!plan.stages.empty(), entry.path().c_str());
        QCOMPARE(plan.scales, std::vector<std::string>{"tiny"});
        const Plan tiny = loadPlan(entry.path().string(), "tiny");
        QCOMPARE(tiny.stages.size(), plan.stages.size());
        QVERIFY(std::filesystem::is_regular_file(tiny.resolvePath(tiny.baseConfig)));
        ++loaded;
    }
    QCOMPARE(loaded, 3);
}

void tst_Plan::narrowingStageInheritsMethodAndTrials()
{
    const Plan plan = parsePlan(kTwoStages, "p.yaml");
    QCOMPARE(plan.stages[1].sweep.method, std::string("random"));
    QCOMPARE(*plan.stages[1].trials, std::int64_t(4));
    QVERIFY(!plan.stages[1].parametersGiven);
    QCOMPARE(plan.stages[1].narrowFrom->topFraction, 0.5);
    QCOMPARE(plan.stages[1].narrowFrom->margin, 0.1);
}

void tst_Plan::wandbSweepBecomesOneStagePlan()
{
    const Plan plan = loadPlan(kSweeps + "/dprnn-stage1-2k.yaml");
    QCOMPARE(plan.name, std::string("3-dprnn-subset-proxy-sweep"));
    QCOMPARE(plan.stages.size(), std::size_t(1));
    const StagePlan &stage = plan.stages[0];
    QCOMPARE(*stage.trials, std::int64_t(40)); // count: 40
    QCOMPARE(*stage.epochs, 50);               // num_epochs: {value: 50}
    QCOMPARE(stage.sweep.method, std::string("bayes"));
    QCOMPARE(stage.configParameter(), std::string("experiments/dprnn/dprnn_subset.yaml"));
    QCOMPARE(plan.metric.name, std::string("best_val_sisdr"));
    // Without count, ten trials and a warning saying so.
    const Plan expA = loadPlan(kSweeps + "/dprnn-expA-onestage-8k.yaml");
    QCOMPARE(*expA.stages[0].trials, std::int64_t(10));
    QCOMPARE(expA.warnings.size(), std::size_t(1));
    QVERIFY(expA.warnings[0].find("no 'count' or 'run_cap'") != std::string::npos);
}

void tst_Plan::usersConfigPathResolvesByFileName()
{
    // "experiments/dprnn/dprnn_8000.yaml" (the users' project layout) is found by its file name
    // in the folder above the sweep, where the examples keep their configs.
    const Plan plan = loadPlan(kSweeps + "/dprnn-stage3-8k-hyperband.yaml");
    const std::string resolved = plan.resolvePath(plan.stages[0].configParameter());
    QCOMPARE(resolved,
             std::filesystem::canonical(std::string(SEPLAB_EXAMPLES_DIR) + "/dprnn_8000.yaml")
                 .string());
}

void tst_Plan::slurmExecutorKeysBecomeSbatchOptions()
{
    const Plan plan = parsePlan("name: p\n"
                                "metric: {name: m, goal: maximize}\n"
                                "executor:\n"
                                "  type: slurm\n"
                                "  partition: gpu\n"
                                "  gres: \"gpu:1\"\n"
                                "  time: \"04:00:00\"\n"
                                "  mem: 16G\n"
                                "  cpus_per_task: 4\n"
                                "  extra: [\"--constraint=a100\"]\n"
                                "  max_jobs_in_queue: 20\n"
                                "  poll_interval: 2.5\n"
                                "  requeue: false\n"
                                "  kill_delay: 60\n"
                                "stages:\n"
                                "  - name: a\n"
                                "    method: grid\n"
                                "    parameters: {x: {values: [1]}}\n",
                                "p.yaml");
    QCOMPARE(plan.executor.type, std::string("slurm"));
    QCOMPARE(plan.executor.killDelay, 60.0);
    const seplab::exec::SlurmOptions &slurm = plan.executor.slurm;
    QCOMPARE(slurm.maxJobsInQueue, 20);
    QCOMPARE(slurm.pollInterval, 2.5);
    QVERIFY(slurm.usesGpu());
    QCOMPARE(slurm.sbatchOptions(),
             (std::vector<std::string>{"--partition=gpu",
                                       "--gres=gpu:1",
                                       "--time=04:00:00",
                                       "--mem=16G",
                                       "--cpus-per-task=4",
                                       "--no-requeue",
                                       "--constraint=a100"}));
}

void tst_Plan::errorsNameFileLineAndKey_data()
{
    QTest::addColumn<QString>("yaml");
    QTest::addColumn<QString>("message");
    const std::string head = "name: p\nmetric: {name: m, goal: maximize}\nstages:\n";
    QTest::newRow("unknown plan key")
        << QString::fromStdString("name: p\nmetrik: {name: m}\nstages: []\n")
        << "p.yaml line 2: unknown key 'metrik' in a plan.";
    QTest::newRow("no stages") << QString::fromStdString("name: p\nmetric: {name: m}\n")
                               << "p.yaml line 1: 'stages' must be a non-empty list.";
    QTest::newRow("bayes without trials")
        << QString::fromStdString(head
                                  + "  - name: a\n    method: bayes\n    parameters:\n"
                                    "      lr: {min: 0.1, max: 0.2}\n")
        << "p.yaml line 4: 'stages[0].trials' is required for bayes search (W&B's `count` is "
           "accepted too).";
    QTest::newRow("narrow from a later stage")
        << QString::fromStdString(head
                                  + "  - name: a\n    narrow_from: {stage: b}\n"
                                    "  - name: b\n    method: grid\n    parameters:\n"
                                    "      x: {values: [1, 2]}\n")
        << "p.yaml line 4: stage 'a' takes 'narrow_from' from stage 'b', which is not an "
           "earlier stage of the plan.";
    QTest::newRow("validation with parameters")
        << QString::fromStdString(head
                                  + "  - name: a\n    method: grid\n    parameters:\n"
                                    "      x: {values: [1, 2]}\n"
                                    "  - name: v\n    validate: {from: a, seeds: [1]}\n"
                                    "    parameters: {x: {value: 1}}\n")
        << "p.yaml line 10: 'stages[1].parameters' does not apply to a validation stage (it "
           "re-runs promoted configurations with new seeds).";
    QTest::newRow("duplicate seed")
        << QString::fromStdString(head + "  - name: v\n    validate: {from: a, seeds: [1, 1]}\n")
        << "p.yaml line 5: 'stages[0].validate.seeds' lists a seed twice.";
    QTest::newRow("two stages one name")
        << QString::fromStdString(head
                                  + "  - name: a\n    method: grid\n    parameters:\n"
                                    "      x: {values: [1]}\n"
                                    "  - name: a\n    method: grid\n    parameters:\n"
                                    "      x: {values: [2]}\n")
        << "p.yaml line 8: two stages are named 'a'.";
    QTest::newRow("bad top_fraction")
        << QString::fromStdString(head
                                  + "  - name: b\n    narrow_from: {stage: a, "
                                    "top_fraction: 1.5}\n")
        << "p.yaml line 5: 'stages[0].narrow_from.top_fraction' must be in (0, 1].";
    QTest::newRow("for_each without promote")
        << QString::fromStdString(head
                                  + "  - name: g\n    for_each: promoted\n    method: grid\n"
                                    "    parameters: {x: {values: [1]}}\n")
        << "p.yaml line 5: 'stages[0].for_each' needs 'promote: {from, top_k}' to know what to "
           "run around.";
    QTest::newRow("unknown scale")
        << QString::fromStdString(std::string(kTwoStages))
        << "p.yaml: no scale 'tiny' in 'scales' (the plan defines none).";
    const std::string oneStage
        = head.substr(7) + "  - name: a\n    method: grid\n    parameters: {x: {values: [1]}}\n";
    QTest::newRow("slurm key on the local executor")
        << QString::fromStdString("name: p\nexecutor: {type: local, partition: gpu}\n" + oneStage)
        << "p.yaml line 2: unknown key 'executor.partition' in the local executor.";
    QTest::newRow("slurm extra that is not an option")
        << QString::fromStdString("name: p\nexecutor:\n  type: slurm\n  extra: [constraint=a100]\n"
                                  + oneStage)
        << "p.yaml line 4: 'executor.extra' must list sbatch options that start with '--', not "
           "\"constraint=a100\".";
    QTest::newRow("slurm partition with a blank")
        << QString::fromStdString("name: p\nexecutor:\n  type: slurm\n  partition: gpu a100\n"
                                  + oneStage)
        << "p.yaml line 4: 'executor.partition' must be one word, not 'gpu a100'.";
    QTest::newRow("syntax error")
        << QString::fromStdString(head + "  - name: [a\n")
        << "p.yaml line 5, column 1: YAML syntax error: end of sequence flow not found.";
}

void tst_Plan::errorsNameFileLineAndKey()
{
    QFETCH(QString, yaml);
    QFETCH(QString, message);
    std::string actual;
    if (QString(QTest::currentDataTag()) == "unknown scale") {
        try {
            parsePlan(yaml.toStdString(), "p.yaml", "tiny");
        } catch (const std::invalid_argument &error) {
            actual = error.what();
        }
    } else {
        actual = planError(yaml.toStdString());
    }
    QCOMPARE(QString::fromStdString(actual), message);
}

QTEST_APPLESS_MAIN(tst_Plan)
#include "tst_plan.moc"
