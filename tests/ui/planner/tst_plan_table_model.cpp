// The planner edits reach the plan model: cells of the 3-stage template edited through the
// table view's editor and through the model, saved, and read back with core's plan parser with
// exactly the edited values (and everything else as the template had it); bad values are
// refused with one sentence and leave the plan as it was; a reviewed space becomes the stage's
// explicit parameters.

#include "core/sweep/plan.h"
#include "core/sweep/plan_writer.h"
#include "ui/planner/plan_table_model.h"
#include "ui/planner/planner_panel.h"

#include <QComboBox>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

using namespace seplab;
using ui::PlanTableModel;

namespace {

const QString kTemplate = QStringLiteral(SEPLAB_PLANS_DIR "/dprnn_3stage_progressive.yaml");

} // namespace

class tst_PlanTableModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void showsTheTemplatesStages();
    void editsReachThePlanAndSaveRoundTrips();
    void badValuesAreRefused_data();
    void badValuesAreRefused();
    void reviewedSpaceBecomesTheStageParameters();
    void tinyScaleShowsTheScaledValues();
};

void tst_PlanTableModel::showsTheTemplatesStages()
{
    PlanTableModel model;
    model.setPlan(sweep::loadPlan(kTemplate.toStdString()));
    QCOMPARE(model.rowCount(), 4);
    auto cell = [&](int row, int column) {
        return model.data(model.index(row, column), Qt::DisplayRole).toString();
    };
    QCOMPARE(cell(0, PlanTableModel::Stage), QString("stage1-2k"));
    QCOMPARE(cell(0, PlanTableModel::Method), QString("bayes"));
    QCOMPARE(cell(0, PlanTableModel::TrainSamples), QString("2000"));
    QCOMPARE(cell(0, PlanTableModel::Epochs), QString("50"));
    QCOMPARE(cell(0, PlanTableModel::Trials), QString("40"));
    QCOMPARE(cell(0, PlanTableModel::Parallel), QString("all slots"));
    QVERIFY(cell(0, PlanTableModel::EarlyTermination).startsWith("hyperband min_iter 10, eta 3"));
    QCOMPARE(cell(1, PlanTableModel::NarrowFrom), QString("stage1-2k"));
    QCOMPARE(cell(1, PlanTableModel::TopFraction), QString("0.25"));
    QCOMPARE(cell(1, PlanTableModel::Margin), QString("0.1"));
    QCOMPARE(cell(1, PlanTableModel::Method), QString("bayes")); // inherited
    QCOMPARE(cell(3, PlanTableModel::Kind), QString("validate"));
    QCOMPARE(cell(3, PlanTableModel::PromoteFrom), QString("stage3-8k"));
    QCOMPARE(cell(3, PlanTableModel::TopK), QString("5"));
    QCOMPARE(cell(3, PlanTableModel::Seeds), QString("42, 123, 456"));
    QCOMPARE(cell(3, PlanTableModel::Trials), QString("5 × 3 seeds"));
    // A validation stage has no method and no trial count of its own to edit.
    QVERIFY(!(model.flags(model.index(3, PlanTableModel::Method)) & Qt::ItemIsEditable));
    QVERIFY(!(model.flags(model.index(3, PlanTableModel::Trials)) & Qt::ItemIsEditable));
    QVERIFY(!(model.flags(model.index(0, PlanTableModel::TopFraction)) & Qt::ItemIsEditable));
    QVERIFY(model.flags(model.index(1, PlanTableModel::TopFraction)) & Qt::ItemIsEditable);
    QVERIFY(model.flags(model.index(2, PlanTableModel::Review)) & Qt::ItemIsUserCheckable);
}

void tst_PlanTableModel::editsReachThePlanAndSaveRoundTrips()
{
    ui::PlannerPanel panel;
    panel.setAutoBenchmark(false);
    QVERIFY(panel.openPlanFile(kTemplate));
    PlanTableModel *model = panel.model();
    QSignalSpy edited(model, &PlanTableModel::planEdited);

    // Through the view: type into stage1's trials cell and commit.
    QTableView *view = panel.table();
    panel.resize(1200, 800);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    const QModelIndex trials = model->index(0, PlanTableModel::Trials);
    view->setCurrentIndex(trials);
    view->edit(trials);
    auto *editor = view->viewport()->findChild<QLineEdit *>();
    QVERIFY(editor);
    editor->selectAll();
    QTest::keyClicks(editor, "24");
    QTest::keyClick(editor, Qt::Key_Return);
    // The delegate commits the editor's text through a queued call.
    QCoreApplication::processEvents();
    QCOMPARE(*model->plan().stages[0].trials, std::int64_t(24));

    // Through the model, as any delegate would.
    auto set = [&](int row, int column, const QVariant &value, int role = Qt::EditRole) {
        return model->setData(model->index(row, column), value, role);
    };
    QVERIFY(set(0, PlanTableModel::Method, "tpe"));
    QVERIFY(set(0, PlanTableModel::Parallel, "2"));
    QVERIFY(set(1, PlanTableModel::Epochs, "33"));
    QVERIFY(set(1, PlanTableModel::TopFraction, "0.5"));
    QVERIFY(set(1, PlanTableModel::Review, int(Qt::Checked), Qt::CheckStateRole));
    QVERIFY(set(2, PlanTableModel::TrainSamples, "6000"));
    QVERIFY(set(2, PlanTableModel::Margin, "0.2"));
    QVERIFY(set(3, PlanTableModel::TopK, "3"));
    QCOMPARE(edited.count(), 9);
    QVERIFY(model->isModified());
    QCOMPARE(model->data(model->index(1, PlanTableModel::Review), Qt::CheckStateRole).toInt(),
             int(Qt::Checked));

    const sweep::Plan editedPlan = model->plan();
    QTemporaryDir dir;
    const QString path = dir.filePath("edited.yaml");
    QString error;
    QVERIFY2(panel.savePlan(path, &error), qPrintable(error));
    QVERIFY(!panel.model()->isModified());
    QCOMPARE(panel.planPath(), path);

    const sweep::Plan original = sweep::loadPlan(kTemplate.toStdString());
    const sweep::Plan saved = sweep::loadPlan(path.toStdString());
    QCOMPARE(saved.stages.size(), std::size_t(4));
    QCOMPARE(*saved.stages[0].trials, std::int64_t(24));
    QCOMPARE(saved.stages[0].sweep.method, std::string("tpe"));
    QCOMPARE(saved.stages[0].parallel, 2);
    QCOMPARE(*saved.stages[1].epochs, 33);
    QCOMPARE(saved.stages[1].narrowFrom->topFraction, 0.5);
    QVERIFY(saved.stages[1].review);
    QVERIFY(!saved.stages[0].review);
    QCOMPARE(*saved.stages[2].trainSamples, std::int64_t(6000));
    QCOMPARE(saved.stages[2].narrowFrom->margin, 0.2);
    QCOMPARE(saved.stages[3].promote->topK, 3);
    // Everything else as the template had it.
    QCOMPARE(*saved.stages[0].trainSamples, std::int64_t(2000));
    QCOMPARE(*saved.stages[1].trials, std::int64_t(40));
    QCOMPARE(saved.stages[1].narrowFrom->margin, 0.1);
    QCOMPARE(saved.stages[3].seeds, (std::vector<std::int64_t>{42, 123, 456}));
    QCOMPARE(saved.stages[0].sweep.parameters.toJson(),
             original.stages[0].sweep.parameters.toJson());
    QCOMPARE(saved.stages[0].set, original.stages[0].set);
    QCOMPARE(saved.scales, std::vector<std::string>{"tiny"});
    // Saved in another folder, the base config is still the template's.
    QCOMPARE(saved.resolvePath(saved.baseConfig), original.resolvePath(original.baseConfig));
    // Every field of every stage as the model held it, compared as the plan file writes them.
    for (std::size_t i = 0; i < 4; ++i)
        QCOMPARE(sweep::stageJson(saved.stages[i]), sweep::stageJson(editedPlan.stages[i]));
}

void tst_PlanTableModel::badValuesAreRefused_data()
{
    QTest::addColumn<int>("row");
    QTest::addColumn<int>("column");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("problem");
    QTest::newRow("trials text") << 0 << int(PlanTableModel::Trials) << "many"
                                 << "stage 'stage1-2k': trials must be a whole number of 1 or "
                                    "more, not 'many'.";
    QTest::newRow("zero epochs") << 1 << int(PlanTableModel::Epochs) << "0"
                                 << "stage 'stage2-4k': epochs must be a whole number of 1 or "
                                    "more, not '0'.";
    QTest::newRow("top fraction") << 1 << int(PlanTableModel::TopFraction) << "1.5"
                                  << "stage 'stage2-4k': narrow_from.top_fraction must be a "
                                     "number in (0, 1], not '1.5'.";
    QTest::newRow("method") << 0 << int(PlanTableModel::Method) << "hyperopt"
                            << "stage 'stage1-2k': method must be grid, random, bayes or tpe, "
                               "not 'hyperopt'.";
    // Accepted field by field, refused by core's parser: bayes needs a trial count.
    QTest::newRow("no trials") << 0 << int(PlanTableModel::Trials) << ""
                               << "stage 'stage1-2k': 'stages[0].trials' is required for bayes "
                                  "search (W&B's `count` is accepted too).";
}

void tst_PlanTableModel::badValuesAreRefused()
{
    QFETCH(int, row);
    QFETCH(int, column);
    QFETCH(QString, text);
    QFETCH(QString, problem);
    PlanTableModel model;
    model.setPlan(sweep::loadPlan(kTemplate.toStdString()));
    const nlohmann::json before = sweep::planJson(model.plan());
    QSignalSpy rejected(&model, &PlanTableModel::editRejected);
    QVERIFY(!model.setData(model.index(row, column), text, Qt::EditRole));
    QCOMPARE(rejected.count(), 1);
    QCOMPARE(rejected.first().first().toString(), problem);
    QCOMPARE(model.lastError(), problem);
    QCOMPARE(sweep::planJson(model.plan()), before);
    QVERIFY(!model.isModified());
}

void tst_PlanTableModel::reviewedSpaceBecomesTheStageParameters()
{
    PlanTableModel model;
    model.setPlan(sweep::loadPlan(kTemplate.toStdString()));
    const sweep::SearchSpace space = sweep::SearchSpace::fromJson(
        {{"lr", {{"distribution", "log_uniform_values"}, {"min", 2.0e-4}, {"max", 8.0e-4}}},
         {"lr_patience", {{"values", {3, 4}}}}});
    QString error;
    QVERIFY2(model.setStageParameters(1, space, &error), qPrintable(error));
    const sweep::Plan saved = sweep::parsePlan(sweep::planYaml(model.plan()),
                                               kTemplate.toStdString());
    QVERIFY(saved.stages[1].parametersGiven);
    QVERIFY(saved.stages[1].narrowFrom); // still narrowed; the given ranges replace those
    QCOMPARE(saved.stages[1].sweep.parameters.toJson(), space.toJson());
    QCOMPARE(saved.stages[1].sweep.parameters.find("lr")->parameter.toJson()["min"].get<double>(),
             2.0e-4);
    // A validation stage has no space.
    QVERIFY(!model.setStageParameters(3, space, &error));
    QCOMPARE(error,
             QString("stage 'validation-16k' is a validate stage and has no search space to "
                     "edit."));
}

void tst_PlanTableModel::tinyScaleShowsTheScaledValues()
{
    ui::PlannerPanel panel;
    panel.setAutoBenchmark(false);
    QVERIFY(panel.openPlanFile(kTemplate, "tiny"));
    const PlanTableModel &model = *panel.model();
    QCOMPARE(model.data(model.index(0, PlanTableModel::TrainSamples), Qt::DisplayRole).toString(),
             QString("24"));
    QCOMPARE(model.data(model.index(0, PlanTableModel::Trials), Qt::DisplayRole).toString(),
             QString("8"));
    QCOMPARE(panel.scaleChoice()->count(), 2); // full, tiny
    QCOMPARE(panel.scaleChoice()->currentData().toString(), QString("tiny"));
    QCOMPARE(panel.scale(), QString("tiny"));
}

QTEST_MAIN(tst_PlanTableModel)
#include "tst_plan_table_model.moc"
