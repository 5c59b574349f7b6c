// Plans written back as YAML (the stage planner's "Save"): each shipped template, at full and at
// tiny scale, parses again into the same stages, field by field; a plan read at a scale is
// written resolved and without `scales`, and one read without keeps its scales, so the scale
// still applies; every stage key (review, quantiles, parallel, per_group...) survives.

#include "core/sweep/plan.h"
#include "core/sweep/plan_writer.h"
#include "core/sweep/sweep_writer.h"

#include <QDir>
#include <QtTest>

using namespace seplab::sweep;
using nlohmann::json;

namespace {

const QString kPlans = QStringLiteral(SEPLAB_PLANS_DIR);

json earlyJson(const StagePlan &stage)
{
    return stage.sweep.earlyTerminate ? earlyTerminateJson(*stage.sweep.earlyTerminate) : json();
}

// Field by field, not through stageJson, so that the writer is checked against the parser.
void compareStages(const StagePlan &a, const StagePlan &b)
{
    QCOMPARE(b.name, a.name);
    QCOMPARE(int(b.kind), int(a.kind));
    QCOMPARE(b.sweep.method, a.sweep.method);
    QCOMPARE(b.trainSamples, a.trainSamples);
    QCOMPARE(b.epochs, a.epochs);
    QCOMPARE(b.trials, a.trials);
    QCOMPARE(b.parallel, a.parallel);
    QCOMPARE(b.review, a.review);
    QCOMPARE(b.parametersGiven, a.parametersGiven);
    QCOMPARE(b.sweep.parameters.toJson(), a.sweep.parameters.toJson());
    QCOMPARE(earlyJson(b), earlyJson(a));
    QCOMPARE(b.set, a.set);
    QCOMPARE(b.seeds, a.seeds);
    QCOMPARE(bool(b.narrowFrom), bool(a.narrowFrom));
    if (a.narrowFrom) {
        QCOMPARE(b.narrowFrom->stage, a.narrowFrom->stage);
        QCOMPARE(b.narrowFrom->topFraction, a.narrowFrom->topFraction);
        QCOMPARE(b.narrowFrom->margin, a.narrowFrom->margin);
        QCOMPARE(b.narrowFrom->lowQuantile, a.narrowFrom->lowQuantile);
        QCOMPARE(b.narrowFrom->highQuantile, a.narrowFrom->highQuantile);
    }
    QCOMPARE(bool(b.promote), bool(a.promote));
    if (a.promote) {
        QCOMPARE(b.promote->from, a.promote->from);
        QCOMPARE(b.promote->topK, a.promote->topK);
        QCOMPARE(b.promote->diverse, a.promote->diverse);
        QCOMPARE(b.promote->minDistance, a.promote->minDistance);
        QCOMPARE(b.promote->perGroup, a.promote->perGroup);
    }
}

void comparePlans(const Plan &a, const Plan &b)
{
    QCOMPARE(b.name, a.name);
    QCOMPARE(b.metric.name, a.metric.name);
    QCOMPARE(b.metric.goal, a.metric.goal);
    QCOMPARE(b.baseConfig, a.baseConfig);
    QCOMPARE(b.seed, a.seed);
    QCOMPARE(b.set, a.set);
    QCOMPARE(b.executor.gpus, a.executor.gpus);
    QCOMPARE(b.executor.slotsPerGpu, a.executor.slotsPerGpu);
    QCOMPARE(b.executor.cpuSlots, a.executor.cpuSlots);
    QCOMPARE(b.executor.threads, a.executor.threads);
    QCOMPARE(b.executor.mps, a.executor.mps);
    QCOMPARE(b.stages.size(), a.stages.size());
    for (std::size_t i = 0; i < a.stages.size(); ++i)
        compareStages(a.stages[i], b.stages[i]);
}

} // namespace

class tst_PlanWriter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void templatesRoundTrip_data();
    void templatesRoundTrip();
    void scaledPlanIsWrittenResolved();
    void everyStageKeySurvives();
    void headerIsAComment();
};

void tst_PlanWriter::templatesRoundTrip_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("scale");
    const QStringList files = QDir(kPlans).entryList({"*.yaml"}, QDir::Files, QDir::Name);
    QCOMPARE(files.size(), 3);
    for (const QString &file : files) {
        QTest::newRow(qPrintable(file)) << QDir(kPlans).filePath(file) << QString();
        QTest::newRow(qPrintable(file + " tiny")) << QDir(kPlans).filePath(file) << "tiny";
    }
}

void tst_PlanWriter::templatesRoundTrip()
{
    QFETCH(QString, path);
    QFETCH(QString, scale);
    const Plan original = loadPlan(path.toStdString(), scale.toStdString());
    // Written beside the template, so that relative paths mean the same.
    const std::string written = planYaml(original);
    const Plan again = parsePlan(written, path.toStdString());
    comparePlans(original, again);
    QCOMPARE(planJson(again), planJson(original));
}

void tst_PlanWriter::scaledPlanIsWrittenResolved()
{
    const std::string path = (kPlans + "/dprnn_3stage_progressive.yaml").toStdString();
    const Plan full = loadPlan(path);
    QCOMPARE(full.scales, std::vector<std::string>{"tiny"});
    // Without a scale the scales stay, and still apply.
    const Plan fullAgain = parsePlan(planYaml(full), path);
    QCOMPARE(fullAgain.scales, std::vector<std::string>{"tiny"});
    comparePlans(loadPlan(path, "tiny"), parsePlan(planYaml(full), path, "tiny"));

    // At tiny scale: the tiny values, no scales left.
    const Plan tiny = loadPlan(path, "tiny");
    const Plan tinyAgain = parsePlan(planYaml(tiny), path);
    QVERIFY(tinyAgain.scales.empty());
    QCOMPARE(*tinyAgain.stages[0].trainSamples, std::int64_t(24));
    QCOMPARE(*tinyAgain.stages[0].trials, std::int64_t(8));
    QCOMPARE(tinyAgain.stages[1].narrowFrom->topFraction, 0.5);
    QCOMPARE(tinyAgain.baseConfig, std::string("../configs/dprnn_tiny.yaml"));
    QCOMPARE(tinyAgain.executor.cpuSlots, 2);
    QVERIFY(tinyAgain.executor.gpus.empty());
}

void tst_PlanWriter::everyStageKeySurvives()
{
    const std::string text
        = "name: keys\n"
          "description: every key\n"
          "metric: {name: score, goal: minimize}\n"
          "seed: 7\n"
          "set: {early_stopping_patience: 3}\n"
          "executor: {type: local, cpu_slots: 3, threads: 2, kill_delay: 4}\n"
          "stages:\n"
          "  - name: a\n"
          "    method: tpe\n"
          "    trials: 9\n"
          "    parallel: 2\n"
          "    epochs: 5\n"
          "    early_terminate: {type: asha, min_iter: 1, eta: 2}\n"
          "    program: train.py\n"
          "    command: [\"${env}\", \"python3\", \"${program}\", \"${args}\"]\n"
          "    parameters:\n"
          "      lr: {distribution: log_uniform_values, min: 1.0e-5, max: 0.1}\n"
          "      beta: {values: [0.9, 0.99]}\n"
          "  - name: b\n"
          "    review: true\n"
          "    narrow_from: {stage: a, top_fraction: 0.3, margin: 0.05, "
          "quantiles: [0.1, 0.9]}\n"
          "    set: {lr_patience: 2}\n"
          "    parameters:\n"
          "      x: {min: 0, max: 4}\n"
          "  - name: c\n"
          "    promote: {from: b, top_k: 2, diverse: false, per_group: true}\n"
          "    for_each: promoted\n"
          "    method: grid\n"
          "    early_terminate: {type: median_stopping, min_step: 2, "
          "patience: 1}\n"
          "    parameters:\n"
          "      y: {values: [1, 2, 3]}\n"
          "  - name: d\n"
          "    validate: {from: c, top_k: 2, min_distance: 0.3, seeds: [1, 5]}\n";
    const Plan original = parsePlan(text, "/tmp/keys.yaml");
    QVERIFY(original.stages[1].review);
    QVERIFY(!original.stages[0].review);
    const Plan again = parsePlan(planYaml(original), "/tmp/keys.yaml");
    comparePlans(original, again);
    QCOMPARE(again.description, std::string("every key"));
    QCOMPARE(again.stages[0].sweep.program, std::string("train.py"));
    QCOMPARE(again.stages[0].sweep.command.size(), std::size_t(4));
    QCOMPARE(again.executor.killDelay, 4.0);
    // The inherited method and trial count are written out.
    QCOMPARE(again.stages[1].sweep.method, std::string("tpe"));
    QCOMPARE(*again.stages[1].trials, std::int64_t(9));
    QCOMPARE(planJson(again), planJson(original));
}

void tst_PlanWriter::headerIsAComment()
{
    const Plan plan = loadPlan((kPlans + "/dprnn_onestage_8k.yaml").toStdString());
    const std::string text = planYaml(plan, "edited in SepLab\nsecond line");
    QVERIFY(text.rfind("# edited in SepLab\n# second line\nname: dprnn-onestage-8k\n", 0) == 0);
}

QTEST_APPLESS_MAIN(tst_PlanWriter)
#include "tst_plan_writer.moc"
