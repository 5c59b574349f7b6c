// The review of a stage before it starts, on a fixture store: the ranges shown for a narrowed
// stage are core's deriveStage output for the store's finished trials (and, by hand, the
// [min, max] of the two finished trials' lr with margin 0), with its provenance sentences; a
// stage that has started shows what it runs with, read only; the user's edit becomes the
// stage's explicit parameters, and the reviewed plan file reads back with them.

#include "core/store/experiment_store.h"
#include "core/sweep/plan.h"
#include "core/sweep/stage_derivation.h"
#include "core/sweep/stored_stages.h"
#include "support/planner_workspace.h"
#include "ui/planner/plan_table_model.h"
#include "ui/planner/planner_panel.h"
#include "ui/planner/stage_review.h"
#include "ui/searchspace/search_space_editor.h"
#include "ui/searchspace/search_space_model.h"

#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using namespace seplab;

class tst_StageReview : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void narrowedRangesAreCoresDerivation();
    void startedStageIsReadOnly();
    void withoutAStoreTheProblemIsNamed();
    void editedRangesReachTheReviewedPlan();

private:
    QString storePath() const { return m_dir->filePath("ws.db"); }
    QString planPath() const { return m_dir->filePath("demo.yaml"); }

    std::unique_ptr<QTemporaryDir> m_dir;
};

void tst_StageReview::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    testsupport::makePlannerWorkspace(storePath(), planPath());
}

void tst_StageReview::narrowedRangesAreCoresDerivation()
{
    const sweep::Plan plan = sweep::loadPlan(planPath().toStdString());
    ui::StageReview review;
    QString error;
    QVERIFY2(review.showStage(plan, 2, storePath(), &error), qPrintable(error));
    QVERIFY(!review.started());

    const store::ExperimentStore store
        = store::ExperimentStore::open(storePath().toStdString(),
                                       store::ExperimentStore::Mode::ReadOnly);
    const sweep::DerivedStage expected
        = sweep::deriveStage(plan, 2, sweep::earlierStagesFromStore(store, store.plans()[0].id));
    QCOMPARE(review.derived().space.toJson(), expected.space.toJson());

    // The editor's rows are the derived parameters, row by row.
    const ui::SearchSpaceModel &model = *review.editor()->model();
    QCOMPARE(model.rowCount(), int(expected.space.size()));
    for (std::size_t i = 0; i < expected.space.size(); ++i) {
        const ui::SpaceRow row = ui::rowFromParameter(expected.space.parameters()[i]);
        QCOMPARE(model.rows()[i].name, row.name);
        QCOMPARE(model.rows()[i].distribution, row.distribution);
        QCOMPARE(model.rows()[i].low, row.low);
        QCOMPARE(model.rows()[i].high, row.high);
        QCOMPARE(model.rows()[i].values, row.values);
    }
    std::string problem;
    QVERIFY2(model.space(&problem), problem.c_str());
    QCOMPARE(model.space()->toJson(), expected.space.toJson());

    // By hand: t0 (lr 0.00125, batch_size 4) and t5 (lr 0.005, batch_size 8) are s1's finished
    // trials; top_fraction 1, margin 0 keeps [min, max] of their lr (in log space) and both
    // batch sizes.
    const nlohmann::json lr = expected.space.find("lr")->parameter.toJson();
    QVERIFY(std::abs(lr["min"].get<double>() - 0.00125) < 1e-15);
    QVERIFY(std::abs(lr["max"].get<double>() - 0.005) < 1e-15);
    QCOMPARE(expected.space.find("batch_size")->parameter.toJson()["values"],
             nlohmann::json({4, 8}));

    QStringList lines;
    for (const std::string &line : expected.lines)
        lines << QString::fromStdString(line);
    QCOMPARE(lines.size(), 2);
    QCOMPARE(review.provenanceLines(), lines);
    QCOMPARE(lines.filter("lr: top 2 of 2 finished trials of stage 's1'").size(), 1);
    QVERIFY(review.editor()->view()->editTriggers() != QAbstractItemView::NoEditTriggers);
}

void tst_StageReview::startedStageIsReadOnly()
{
    const sweep::Plan plan = sweep::loadPlan(planPath().toStdString());
    ui::StageReview review;
    QString error;
    QVERIFY2(review.showStage(plan, 0, storePath(), &error), qPrintable(error));
    QVERIFY(review.started());
    // s1's stored space, as the controller ran it.
    QCOMPARE(review.derived().space.toJson(), plan.stages[0].sweep.parameters.toJson());
    QCOMPARE(review.editor()->view()->editTriggers(), QAbstractItemView::NoEditTriggers);

    ui::PlannerPanel panel;
    panel.setAutoBenchmark(false);
    QVERIFY(panel.openPlanFile(planPath()));
    panel.setStorePath(storePath());
    QVERIFY(panel.reviewStage(0));
    QVERIFY(!panel.applyReview(&error));
    QCOMPARE(error, QString("Stage 's1' has already started; its ranges can no longer change."));
}

void tst_StageReview::withoutAStoreTheProblemIsNamed()
{
    const sweep::Plan plan = sweep::loadPlan(planPath().toStdString());
    ui::StageReview review;
    QString error;
    QVERIFY(!review.showStage(plan, 2, QString(), &error));
    QCOMPARE(error,
             QString("Stage 's3': open a workspace store to derive it from the earlier stages."));
    // A stage with its own parameters needs no store.
    QVERIFY2(review.showStage(plan, 0, QString(), &error), qPrintable(error));
    QCOMPARE(review.editor()->model()->rowCount(), 2);

    // A plan the store has not run.
    sweep::Plan other = plan;
    other.name = "other";
    QVERIFY(!review.showStage(other, 2, storePath(), &error));
    QCOMPARE(error,
             storePath()
                 + " has no plan named 'other' yet; launch it to run the stages that stage 's3' "
                   "derives from.");
}

void tst_StageReview::editedRangesReachTheReviewedPlan()
{
    ui::PlannerPanel panel;
    panel.setAutoBenchmark(false);
    QVERIFY(panel.openPlanFile(planPath()));
    panel.setStorePath(storePath());
    QVERIFY(panel.reviewStage(2));
    ui::SearchSpaceModel *model = panel.review()->editor()->model();
    int lr = -1;
    for (int row = 0; row < model->rowCount(); ++row)
        if (model->rows()[std::size_t(row)].name == "lr")
            lr = row;
    QVERIFY(lr >= 0);
    QVERIFY(model->setData(model->index(lr, ui::SearchSpaceModel::High), "0.004", Qt::EditRole));
    QString error;
    QVERIFY2(panel.applyReview(&error), qPrintable(error));
    QVERIFY(panel.model()->isModified());

    QVERIFY2(panel.writeReviewedPlan(&error), qPrintable(error));
    QCOMPARE(panel.reviewedPlanPath(), m_dir->filePath("demo.reviewed.yaml"));
    const sweep::Plan reviewed = sweep::loadPlan(panel.reviewedPlanPath().toStdString());
    const sweep::StagePlan &s3 = reviewed.stages[2];
    QVERIFY(s3.parametersGiven);
    QVERIFY(s3.narrowFrom);
    QVERIFY(s3.review);
    QCOMPARE(s3.sweep.parameters.find("lr")->parameter.toJson()["max"].get<double>(), 0.004);
    QCOMPARE(s3.sweep.parameters.find("batch_size")->parameter.toJson()["values"],
             nlohmann::json({4, 8}));
    // Stages that have started are written as they were.
    const sweep::Plan original = sweep::loadPlan(planPath().toStdString());
    QCOMPARE(reviewed.stages[0].sweep.parameters.toJson(),
             original.stages[0].sweep.parameters.toJson());
    QVERIFY(!reviewed.stages[1].parametersGiven);

    // Derived again, the stage's own ranges replace the narrowed ones.
    QVERIFY(panel.reviewStage(2));
    const QStringList lines = panel.review()->provenanceLines();
    QCOMPARE(lines.size(), 2);
    for (const QString &line : lines)
        QVERIFY2(line.endsWith("(replaced by the stage's own range)"), qPrintable(line));
}

QTEST_MAIN(tst_StageReview)
#include "tst_stage_review.moc"
