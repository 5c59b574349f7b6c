// The search-space editor on the users' own W&B sweep: import, inline problems while typing,
// the log toggle, duplicate names, the preview of the selected parameter, export that W&B
// (and SepLab) read back, and the refusal of plans and broken YAML.

#include "core/sweep/search_space.h"
#include "support/widget_grab.h"
#include "ui/searchspace/search_space_editor.h"
#include "ui/searchspace/search_space_model.h"

#include <QBrush>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>
#include <numeric>
#include <sstream>

using namespace seplab;
using ui::SearchSpaceModel;

class tst_SearchSpaceEditor : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void grabsAtItsSize();
    void importsTheUsersSweep();
    void typedProblemIsShownInline();
    void logToggleSwitchesTheDistribution();
    void duplicateNamesAreAProblem();
    void previewFollowsTheSelection();
    void exportReadsBack();
    void plansAndBrokenYamlAreRefused();

private:
    static QString stage1()
    {
        return QStringLiteral(SEPLAB_EXAMPLES_DIR "/wandb-sweeps/dprnn-stage1-2k.yaml");
    }
    static int rowOf(const SearchSpaceModel &model, const std::string &name);
};

int tst_SearchSpaceEditor::rowOf(const SearchSpaceModel &model, const std::string &name)
{
    for (int row = 0; row < model.rowCount(); ++row)
        if (model.rows()[std::size_t(row)].name == name)
            return row;
    return -1;
}

void tst_SearchSpaceEditor::importsTheUsersSweep()
{
    ui::SearchSpaceEditor editor;
    QString error;
    QVERIFY2(editor.importFile(stage1(), &error), qPrintable(error));
    const SearchSpaceModel &model = *editor.model();
    QCOMPARE(model.rowCount(), 9); // the sweep's nine parameters, config included
    QCOMPARE(model.problemCount(), 0);
    QCOMPARE(editor.summary(), QString("9 parameter(s), method bayes"));
    const int lr = rowOf(model, "lr");
    QVERIFY(lr >= 0);
    QCOMPARE(model.index(lr, SearchSpaceModel::Distribution).data().toString(),
             QString("log_uniform_values"));
    QCOMPARE(model.index(lr, SearchSpaceModel::Low).data().toString(), QString("1e-05"));
    QCOMPARE(model.index(lr, SearchSpaceModel::Log).data(Qt::CheckStateRole).toInt(),
             int(Qt::Checked));
    // Cells the distribution does not read are empty and read-only.
    QCOMPARE(model.index(lr, SearchSpaceModel::Values).data().toString(), QString());
    QVERIFY(!(model.flags(model.index(lr, SearchSpaceModel::Values)) & Qt::ItemIsEditable));
    const int patience = rowOf(model, "lr_patience");
    QCOMPARE(model.index(patience, SearchSpaceModel::Values).data().toString(),
             QString("2, 3, 4, 5, 6"));
}

void tst_SearchSpaceEditor::typedProblemIsShownInline()
{
    ui::SearchSpaceEditor editor;
    QString error;
    QVERIFY(editor.importFile(stage1(), &error));
    SearchSpaceModel &model = *editor.model();
    const int lr = rowOf(model, "lr");
    QVERIFY(model.setData(model.index(lr, SearchSpaceModel::High), "1e-6", Qt::EditRole));
    QCOMPARE(model.problemCount(), 1);
    const QString problem = model.index(lr, SearchSpaceModel::Problem).data().toString();
    QVERIFY2(problem.startsWith("parameter 'lr'"), qPrintable(problem));
    QCOMPARE(model.index(lr, SearchSpaceModel::Name).data(Qt::ToolTipRole).toString(), problem);
    const QString cell = QString::fromStdString(model.check(lr).cell);
    const int column = cell == "low" ? SearchSpaceModel::Low : SearchSpaceModel::High;
    QCOMPARE(model.index(lr, column).data(Qt::BackgroundRole).value<QBrush>().color(),
             QColor(0xff, 0xd6, 0xd6));
    QCOMPARE(editor.summary(), QString("9 parameter(s), method bayes · 1 problem(s)"));
    QVERIFY(editor.sweepYaml(&error).empty());
    QCOMPARE(error, QString("row %1: %2").arg(lr + 1).arg(problem));

    QVERIFY(model.setData(model.index(lr, SearchSpaceModel::High), "0.02", Qt::EditRole));
    QCOMPARE(model.problemCount(), 0);
    QCOMPARE(model.check(lr).parameter->max(), 0.02);
}

void tst_SearchSpaceEditor::logToggleSwitchesTheDistribution()
{
    ui::SearchSpaceEditor editor;
    QString error;
    QVERIFY(editor.importFile(stage1(), &error));
    SearchSpaceModel &model = *editor.model();
    const int lr = rowOf(model, "lr");
    QVERIFY(model.flags(model.index(lr, SearchSpaceModel::Log)) & Qt::ItemIsUserCheckable);
    QVERIFY(
        model.setData(model.index(lr, SearchSpaceModel::Log), Qt::Unchecked, Qt::CheckStateRole));
    QCOMPARE(model.rows()[std::size_t(lr)].distribution, std::string("uniform"));
    QVERIFY(!model.check(lr).parameter->isLog());
    // int_uniform has no log twin: its Log cell cannot be toggled.
    const int patience = rowOf(model, "lr_patience");
    QVERIFY(!(model.flags(model.index(patience, SearchSpaceModel::Log)) & Qt::ItemIsUserCheckable));
}

void tst_SearchSpaceEditor::duplicateNamesAreAProblem()
{
    ui::SearchSpaceEditor editor;
    QString error;
    QVERIFY(editor.importFile(stage1(), &error));
    SearchSpaceModel &model = *editor.model();
    const int factor = rowOf(model, "lr_factor");
    QVERIFY(model.setData(model.index(factor, SearchSpaceModel::Name), "lr", Qt::EditRole));
    QCOMPARE(model.problemCount(), 1);
    QCOMPARE(model.index(factor, SearchSpaceModel::Problem).data().toString(),
             QString("parameter 'lr' appears twice."));
}

void tst_SearchSpaceEditor::previewFollowsTheSelection()
{
    ui::SearchSpaceEditor editor;
    QString error;
    QVERIFY(editor.importFile(stage1(), &error));
    const int patience = rowOf(*editor.model(), "lr_patience");
    editor.view()->setCurrentIndex(editor.model()->index(patience, 0));
    QCOMPARE(editor.previewLabels(), QStringList({"2", "3", "4", "5", "6"}));
    const std::vector<int> counts = editor.previewCounts();
    QCOMPARE(counts.size(), std::size_t(5));
    QCOMPARE(std::accumulate(counts.begin(), counts.end(), 0), 200);

    const int lr = rowOf(*editor.model(), "lr");
    editor.view()->setCurrentIndex(editor.model()->index(lr, 0));
    QCOMPARE(editor.previewCounts().size(), std::size_t(12));
    // A broken row has nothing to preview.
    editor.model()->setData(editor.model()->index(lr, SearchSpaceModel::Low), "-1", Qt::EditRole);
    QVERIFY(editor.previewCounts().empty());
}

void tst_SearchSpaceEditor::exportReadsBack()
{
    QTemporaryDir dir;
    ui::SearchSpaceEditor editor;
    QString error;
    QVERIFY(editor.importFile(stage1(), &error));
    SearchSpaceModel &model = *editor.model();
    model.setData(model.index(rowOf(model, "lr_factor"), SearchSpaceModel::High),
                  "0.9",
                  Qt::EditRole);
    const QString out = dir.filePath("edited.yaml");
    QVERIFY2(editor.exportFile(out, &error), qPrintable(error));

    std::ifstream in(out.toStdString());
    std::stringstream text;
    text << in.rdbuf();
    const sweep::SweepConfig written = sweep::parseSweepConfig(text.str(), "edited.yaml");
    std::ifstream originalIn(stage1().toStdString());
    std::stringstream originalText;
    originalText << originalIn.rdbuf();
    const sweep::SweepConfig original = sweep::parseSweepConfig(originalText.str(), "stage1");
    QCOMPARE(written.method, std::string("bayes"));
    QCOMPARE(written.metric->name, original.metric->name);
    QCOMPARE(written.runCap.value_or(0), std::int64_t(40)); // the sweep's count
    QCOMPARE(written.parameters.find("lr_factor")->parameter.max(), 0.9);
    QCOMPARE(written.parameters.find("lr")->parameter.toJson(),
             original.parameters.find("lr")->parameter.toJson());
    QCOMPARE(written.parameters.size(), original.parameters.size());

    // A row with a problem exports nothing and leaves the file as it was.
    model.setData(model.index(rowOf(model, "lr"), SearchSpaceModel::Low), "0", Qt::EditRole);
    QVERIFY(!editor.exportFile(out, &error));
    QVERIFY(error.startsWith("row "));
    std::ifstream after(out.toStdString());
    std::stringstream afterText;
    afterText << after.rdbuf();
    QCOMPARE(afterText.str(), text.str());
}

void tst_SearchSpaceEditor::plansAndBrokenYamlAreRefused()
{
    ui::SearchSpaceEditor editor;
    QString error;
    const QString plan = QStringLiteral(SEPLAB_PLANS_DIR "/dprnn_3stage_progressive.yaml");
    QVERIFY(!editor.importFile(plan, &error));
    QCOMPARE(error,
             plan + " is a SepLab plan, not a W&B sweep; run it with `seplab-cli sweep run`.");
    QVERIFY(!editor.loadSweepText("method: random\nparameters: [\n", "bad.yaml", &error));
    QVERIFY2(error.startsWith("bad.yaml line"), qPrintable(error));
    QVERIFY(!editor.importFile("/nonexistent/sweep.yaml", &error));
    QVERIFY2(error.startsWith("/nonexistent/sweep.yaml: cannot be read"), qPrintable(error));
}

void tst_SearchSpaceEditor::grabsAtItsSize()
{
    ui::SearchSpaceEditor editor;
    QString error;
    QVERIFY2(editor.importFile(stage1(), &error), qPrintable(error));
    const QImage image = testsupport::grabAt(editor, {900, 700});
    QCOMPARE(image.size(), QSize(900, 700));
    QVERIFY(testsupport::distinctColours(image) > 50);
}

QTEST_MAIN(tst_SearchSpaceEditor)
#include "tst_search_space_editor.moc"
