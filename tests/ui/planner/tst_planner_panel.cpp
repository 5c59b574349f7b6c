// The stage planner panel: the compute budget with exact numbers from the epochs a fixture store
// measured, and from a benchmark's samples/s when it has none; the shipped templates; launch
// only of a saved plan; and a QWidget::grab smoke test.

#include "core/sweep/plan.h"
#include "support/planner_workspace.h"
#include "ui/planner/plan_table_model.h"
#include "ui/planner/planner_panel.h"

#include <QComboBox>
#include <QFile>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using namespace seplab;

namespace {

bool near(double a, double b)
{
    return std::abs(a - b) <= 1e-12 * std::max(1.0, std::abs(b));
}

const QString kPlans = QStringLiteral(SEPLAB_PLANS_DIR);

} // namespace

class tst_PlannerPanel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void budgetFromMeasuredEpochs();
    void budgetFromABenchmark();
    void benchmarkRunsInTheBackground();
    void templatesOpen();
    void launchOnlyASavedPlan();
    void brokenPlanIsNamed();
    void continueNeedsTheStoredPlan();
    void grabSmoke();
};

void tst_PlannerPanel::budgetFromMeasuredEpochs()
{
    QTemporaryDir dir;
    const QString store = dir.filePath("ws.db");
    const QString plan = dir.filePath("demo.yaml");
    testsupport::makePlannerWorkspace(store, plan);
    ui::PlannerPanel panel;
    panel.setAutoBenchmark(false);
    QVERIFY(panel.openPlanFile(plan));
    panel.setStorePath(store);

    // Measured: t0 4 × 2.5 s, t1 250 s over 2 epochs, t5 750 s over 4, all on 100 samples:
    // 1010 s / (100 × 10) sample-epochs = 1.01 s; one trial per CPU slot when measured (the
    // stored plan names no executor).
    QCOMPARE(panel.budgetSource(), QString("10 measured epochs of plan 'demo' in %1").arg(store));
    const sweep::ComputeBudget &budget = panel.budget();
    QCOMPARE(budget.stages.size(), std::size_t(3));
    QCOMPARE(budget.unknownStages, 0);
    // s1: 3 × 4 × 100 × 1.01 = 1212 s; 2 slots at once: 606 s.
    QVERIFY(near(budget.stages[0].upperDeviceHours, 1212.0 / 3600.0));
    QVERIFY(near(budget.stages[0].expectedDeviceHours, 1212.0 / 3600.0));
    QVERIFY(near(budget.stages[0].expectedWallHours, 606.0 / 3600.0));
    // s2: hyperband min_iter 1, eta 2 on 4 epochs decides at 1 and 2: 1 + 1/2 + 2/4 = 2
    // expected epochs. All: 2 × 4 × 200 × 1.01 = 1616 s; expected 2 × 2 × 200 × 1.01 = 808 s.
    QVERIFY(near(budget.stages[1].expectedEpochs, 2.0));
    QVERIFY(near(budget.stages[1].upperDeviceHours, 1616.0 / 3600.0));
    QVERIFY(near(budget.stages[1].expectedDeviceHours, 808.0 / 3600.0));
    QVERIFY(near(budget.stages[1].expectedWallHours, 404.0 / 3600.0));
    // s3: 2 × 2 × 50 × 1.01 = 202 s.
    QVERIFY(near(budget.stages[2].upperDeviceHours, 202.0 / 3600.0));
    QVERIFY(near(budget.upperDeviceHours, 3030.0 / 3600.0));
    QVERIFY(near(budget.expectedDeviceHours, 2222.0 / 3600.0));
    QVERIFY(near(budget.expectedWallHours, 1111.0 / 3600.0));

    const QTableWidget *table = panel.budgetTable();
    QCOMPARE(table->rowCount(), 4);
    QCOMPARE(table->item(1, 0)->text(), QString("s2"));
    QCOMPARE(table->item(1, 3)->text(), QString("2.0"));
    QCOMPARE(table->item(1, 4)->text(), QString("26.9 min")); // 1616 s
    QCOMPARE(table->item(3, 0)->text(), QString("Total"));
    QCOMPARE(table->item(3, 5)->text(), QString("37.0 min")); // 2222 s

    // An edit re-estimates: s1 with 6 trials doubles its share (2424 s).
    ui::PlanTableModel *model = panel.model();
    QVERIFY(model->setData(model->index(0, ui::PlanTableModel::Trials), "6", Qt::EditRole));
    QVERIFY(near(panel.budget().stages[0].upperDeviceHours, 2424.0 / 3600.0));
}

void tst_PlannerPanel::budgetFromABenchmark()
{
    ui::PlannerPanel panel;
    panel.setAutoBenchmark(false);
    QVERIFY(panel.openPlanFile(kPlans + "/dprnn_onestage_8k.yaml", "tiny"));
    QCOMPARE(panel.budgetSource(),
             QString("No measured epochs in the store; press Benchmark to time the model."));
    QVERIFY(panel.budget().stages.empty());

    // 64 samples/s: 1/64 s per sample-epoch, one trial on the device.
    panel.setBenchmarkRate(64.0);
    QVERIFY(panel.budgetSource().startsWith("bench train: 64 samples/s of dprnn on cpu"));
    const sweep::ComputeBudget &budget = panel.budget();
    // search-8k: 6 trials × 3 epochs × 32 samples / 64 = 9 s; hyperband min_iter 1, eta 3 decides
    // at 1: 1 + 2/3 = 5/3 expected epochs, 5 s; 2 CPU slots: 2.5 s of wall time.
    QVERIFY(near(budget.stages[0].upperDeviceHours, 9.0 / 3600.0));
    QVERIFY(near(budget.stages[0].expectedDeviceHours, 5.0 / 3600.0));
    QVERIFY(near(budget.stages[0].expectedWallHours, 2.5 / 3600.0));
    // validation-16k: top 2 × 2 seeds × 3 epochs × 32 / 64 = 6 s, 3 s of wall time.
    QVERIFY(near(budget.stages[1].trials, 4.0));
    QVERIFY(near(budget.stages[1].upperDeviceHours, 6.0 / 3600.0));
    QVERIFY(near(budget.upperDeviceHours, 15.0 / 3600.0));
    QVERIFY(near(budget.expectedDeviceHours, 11.0 / 3600.0));
    QVERIFY(near(budget.expectedWallHours, 5.5 / 3600.0));

    // Another model needs its own benchmark.
    QVERIFY(panel.openPlanFile(kPlans + "/dprnn_onestage_8k.yaml"));
    QVERIFY(panel.budget().stages.empty());
}

void tst_PlannerPanel::benchmarkRunsInTheBackground()
{
    // The real `seplab-cli bench train` ($SEPLAB_CLI, set by ctest) on the tiny model: the budget
    // appears once it reports, without the test driving it.
    ui::PlannerPanel panel;
    QVERIFY(panel.openPlanFile(kPlans + "/dprnn_onestage_8k.yaml", "tiny"));
    QTRY_VERIFY_WITH_TIMEOUT(!panel.budget().stages.empty()
                                 || panel.budgetSource().startsWith("The benchmark failed"),
                             300000);
    QVERIFY2(panel.budgetSource().startsWith("bench train: "), qPrintable(panel.budgetSource()));
    const sweep::ComputeBudget &budget = panel.budget();
    // Whatever the machine's speed: the search stage's expected epochs are 5/3 of 3, and the
    // validation stage runs 4 × 3 epochs where the search runs 6 × 3, on the same 32 samples.
    QVERIFY(budget.stages[0].upperDeviceHours > 0.0);
    QVERIFY(
        near(budget.stages[0].expectedDeviceHours / budget.stages[0].upperDeviceHours, 5.0 / 9.0));
    QVERIFY(
        near(budget.stages[1].upperDeviceHours / budget.stages[0].upperDeviceHours, 12.0 / 18.0));
}

void tst_PlannerPanel::templatesOpen()
{
    ui::PlannerPanel panel;
    panel.setAutoBenchmark(false);
    panel.setTemplateFolder(kPlans);
    QCOMPARE(panel.templateFiles().size(), 3);
    QComboBox *templates = panel.templateChoice();
    QCOMPARE(templates->count(), 4);
    QCOMPARE(templates->itemText(1), QString("dprnn_3stage_progressive"));
    QCOMPARE(templates->itemText(2), QString("dprnn_expB_proxy_grid"));
    QCOMPARE(templates->itemText(3), QString("dprnn_onestage_8k"));
    for (int index = 1; index <= 3; ++index) {
        Q_EMIT templates->activated(index);
        QCOMPARE(panel.planPath(), templates->itemData(index).toString());
        QCOMPARE(panel.model()->plan().name,
                 sweep::loadPlan(templates->itemData(index).toString().toStdString()).name);
        QCOMPARE(templates->currentIndex(), 0);
    }
    QCOMPARE(panel.model()->rowCount(), 2); // the one-stage template and its validation
    QCOMPARE(panel.scaleChoice()->count(), 2);
}

void tst_PlannerPanel::launchOnlyASavedPlan()
{
    ui::PlannerPanel panel;
    panel.setAutoBenchmark(false);
    const QString path = kPlans + "/dprnn_expB_proxy_grid.yaml";
    QVERIFY(panel.openPlanFile(path, "tiny"));
    QSignalSpy launches(&panel, &ui::PlannerPanel::launchRequested);
    QSignalSpy messages(&panel, &ui::PlannerPanel::statusMessage);
    auto *launch = panel.findChild<QPushButton *>("launchPlan");
    QVERIFY(launch);
    launch->click();
    QCOMPARE(launches.count(), 1);
    QCOMPARE(launches.first().at(0).toString(), path);
    QCOMPARE(launches.first().at(1).toString(), QString("tiny"));

    ui::PlanTableModel *model = panel.model();
    QVERIFY(model->setData(model->index(0, ui::PlanTableModel::Epochs), "5", Qt::EditRole));
    launch->click();
    QCOMPARE(launches.count(), 1);
    QCOMPARE(messages.last().first().toString(),
             QString("Save the edited plan before launching it (Save As…)."));
}

void tst_PlannerPanel::brokenPlanIsNamed()
{
    QTemporaryDir dir;
    const QString path = dir.filePath("broken.yaml");
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("name: broken\nmetric: {name: m, goal: maximize}\nstages:\n  - name: a\n"
               "    method: bayes\n    parameters: {x: {min: 0, max: 1}}\n");
    file.close();
    ui::PlannerPanel panel;
    QSignalSpy messages(&panel, &ui::PlannerPanel::statusMessage);
    QVERIFY(!panel.openPlanFile(path));
    QCOMPARE(messages.last().first().toString(),
             path
                 + " line 4: 'stages[0].trials' is required for bayes search (W&B's `count` "
                   "is accepted too).");
    QVERIFY(!panel.model()->hasPlan());
}

void tst_PlannerPanel::continueNeedsTheStoredPlan()
{
    QTemporaryDir dir;
    const QString store = dir.filePath("ws.db");
    testsupport::makePlannerWorkspace(store, dir.filePath("demo.yaml"));
    ui::PlannerPanel panel;
    panel.setAutoBenchmark(false);
    QString error;
    QVERIFY(!panel.continueSweep(&error));
    QCOMPARE(error, QString("Open the plan of the sweep to continue first."));
    QVERIFY(panel.openPlanFile(kPlans + "/dprnn_onestage_8k.yaml"));
    QVERIFY(!panel.continueSweep(&error));
    QCOMPARE(error, QString("Open the workspace store of the sweep to continue first."));
    panel.setStorePath(store);
    QVERIFY(!panel.continueSweep(&error));
    QCOMPARE(error,
             store + " has no plan named 'dprnn-onestage-8k' to continue; launch it instead.");
}

void tst_PlannerPanel::grabSmoke()
{
    QTemporaryDir dir;
    const QString store = dir.filePath("ws.db");
    const QString plan = dir.filePath("demo.yaml");
    testsupport::makePlannerWorkspace(store, plan);
    ui::PlannerPanel panel;
    panel.setAutoBenchmark(false);
    panel.resize(1000, 760);
    const QPixmap empty = panel.grab();
    QVERIFY(!empty.isNull());
    QVERIFY(panel.openPlanFile(plan));
    panel.setStorePath(store);
    QVERIFY(panel.reviewStage(2));
    // Let the posted layout requests run, as the window's event loop would.
    QCoreApplication::processEvents();
    const QPixmap full = panel.grab();
    QVERIFY(!full.isNull());
    QCOMPARE(full.size(), QSize(1000, 760));
    // Something was drawn: the image is not one flat colour.
    const QImage image = full.toImage();
    const QRgb first = image.pixel(0, 0);
    bool varied = false;
    for (int y = 0; y < image.height() && !varied; y += 7)
        for (int x = 0; x < image.width() && !varied; x += 7)
            varied = image.pixel(x, y) != first;
    QVERIFY(varied);
}

QTEST_MAIN(tst_PlannerPanel)
#include "tst_planner_panel.moc"
