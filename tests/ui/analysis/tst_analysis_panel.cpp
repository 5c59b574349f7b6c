// The analysis panel on a real sweep: `seplab-cli sweep run` runs a 2-stage plan of the cheap
// quadratic objective (9 random trials over lr and x, then the top 2 validated with 2 seeds), and
// the panel must show what the store holds: every search trial in the scatter (lr on a log axis),
// importance and correlation for both parameters, the validation table's mean ± std computed
// here from the trials' stored best values, and exports that match core/report byte for byte.

#include "core/report/report_csv.h"
#include "core/store/experiment_store.h"
#include "support/widget_grab.h"
#include "ui/analysis/analysis_panel.h"
#include "ui/analysis/parallel_coordinates.h"

#include <QAbstractAxis>
#include <QChart>
#include <QChartView>
#include <QDir>
#include <QProcess>
#include <QScatterSeries>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <fstream>
#include <map>

using namespace seplab;

class tst_AnalysisPanel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void grabsAtItsSize();
    void scatterShowsEveryGridTrial();
    void importanceCoversBothParameters();
    void validationTableHasMeanAndStd();
    void exportsMatchTheReport();
    void missingStoreIsRefused();

private:
    QTemporaryDir m_dir;
    QString m_store;
};

void tst_AnalysisPanel::initTestCase()
{
    QVERIFY(m_dir.isValid());
    const std::string objective = SEPLAB_OBJECTIVES_DIR "/quadratic_objective.py";
    const std::string keys = "    program: " + objective
                             + "\n    command: [\"${env}\", \"python3\", \"${program}\", "
                               "\"${args}\"]\n";
    std::ofstream(m_dir.filePath("plan.yaml").toStdString())
        << "name: quad\n"
           "metric: {name: score, goal: maximize}\n"
           "executor: {type: local, cpu_slots: 2}\n"
           "stages:\n"
           "  - name: search\n"
           "    method: random\n"
           "    trials: 9\n"
        << keys
        << "    parameters:\n"
           "      lr: {distribution: log_uniform_values, min: 0.0001, max: 0.01}\n"
           "      x: {min: 0.0, max: 0.6}\n"
           "      epochs: {value: 2}\n"
           "  - name: check\n"
           "    validate: {from: search, top_k: 2, diverse: false, seeds: [1, 2]}\n"
        << keys;
    m_store = m_dir.filePath("quad.db");
    QProcess cli;
    cli.setProcessChannelMode(QProcess::MergedChannels);
    // ctest names the CLI in $SEPLAB_CLI; run by hand, the one beside this test is used.
    QString program = qEnvironmentVariable("SEPLAB_CLI");
    if (program.isEmpty())
        program = QCoreApplication::applicationDirPath() + "/seplab-cli";
    cli.start(program,
              {"sweep",
               "run",
               m_dir.filePath("plan.yaml"),
               "--store",
               m_store,
               "--runs",
               m_dir.filePath("runs")});
    QVERIFY(cli.waitForFinished(300000));
    QVERIFY2(cli.exitCode() == 0, cli.readAll().constData());
}

void tst_AnalysisPanel::scatterShowsEveryGridTrial()
{
    ui::AnalysisPanel panel;
    QString error;
    QVERIFY2(panel.openStore(m_store, &error), qPrintable(error));
    QCOMPARE(QString::fromStdString(panel.input().planName), QString("quad"));
    panel.showScatterOf("lr");
    const QList<QAbstractSeries *> series = panel.scatterChart()->chart()->series();
    QCOMPARE(series.size(), 1); // the search stage; validation repeats configs, so it is left out
    const auto *search = static_cast<QScatterSeries *>(series.first());
    QCOMPARE(search->name(), QString("search"));
    QCOMPARE(search->count(), int(panel.input().stages[0].trials.size()));
    QVERIFY(search->count() > 0);
    // Each point is a trial's (lr, best score) as stored.
    auto store = store::ExperimentStore::open(m_store.toStdString(),
                                              store::ExperimentStore::Mode::ReadOnly);
    const auto trials = store.trials(store.stages(store.plans().back().id)[0].id);
    for (const store::TrialRecord &trial : trials) {
        const QPointF expected(trial.params["lr"].get<double>(), *trial.bestValue);
        QVERIFY2(search->points().contains(expected), trial.name.c_str());
    }
    // The parallel coordinates show the same trials over lr, x and the metric.
    QCOMPARE(int(panel.parallelCoordinates()->selectedRows().size()), search->count());
    QCOMPARE(panel.parallelCoordinates()->axes().size(), std::size_t(3));
    QCOMPARE(panel.parallelCoordinates()->axes().back().name, QString("score"));
    const QList<QAbstractAxis *> x = panel.scatterChart()->chart()->axes(Qt::Horizontal);
    QCOMPARE(x.first()->objectName(), QString("logAxis"));
    panel.showScatterOf("x");
    QCOMPARE(panel.scatterChart()->chart()->axes(Qt::Horizontal).first()->objectName(),
             QString("linearAxis"));
}

void tst_AnalysisPanel::importanceCoversBothParameters()
{
    ui::AnalysisPanel panel;
    QVERIFY(panel.openStore(m_store));
    QStringList names;
    for (const auto &parameter : panel.insights().parameters)
        names << QString::fromStdString(parameter.name);
    names.sort();
    QCOMPARE(names, QStringList({"lr", "x"}));
    QCOMPARE(panel.importanceTable()->rowCount(), 2);
    // The table shows the report's own numbers.
    for (int row = 0; row < 2; ++row) {
        const auto &p = panel.insights().parameters[std::size_t(row)];
        QCOMPARE(panel.importanceTable()->item(row, 2)->text(),
                 p.correlation ? QString::number(*p.correlation, 'f', 3) : QString("n/a"));
    }
}

void tst_AnalysisPanel::validationTableHasMeanAndStd()
{
    ui::AnalysisPanel panel;
    QVERIFY(panel.openStore(m_store));
    QTableWidget *table = panel.validationTable();
    QCOMPARE(table->rowCount(), 2);
    // Recompute mean and sample std of each config's two seeds from the store.
    auto store = store::ExperimentStore::open(m_store.toStdString(),
                                              store::ExperimentStore::Mode::ReadOnly);
    std::map<std::string, std::vector<double>> bestByConfig;
    for (const store::TrialRecord &trial : store.trials(store.stages(store.plans().back().id)[1].id))
        bestByConfig[trial.provenance.value("group", std::string())].push_back(*trial.bestValue);
    QCOMPARE(bestByConfig.size(), std::size_t(2));
    for (int row = 0; row < 2; ++row) {
        const std::string config = table->item(row, 2)->text().toStdString();
        const std::vector<double> &values = bestByConfig.at(config);
        QCOMPARE(values.size(), std::size_t(2));
        const double mean = (values[0] + values[1]) / 2.0;
        const double std = std::abs(values[0] - values[1]) / std::sqrt(2.0);
        QCOMPARE(table->item(row, 3)->text(),
                 QString("%1 ± %2").arg(mean, 0, 'f', 3).arg(std, 0, 'f', 3));
        QCOMPARE(table->item(row, 1)->text(), QString::number(row + 1));
    }
}

void tst_AnalysisPanel::exportsMatchTheReport()
{
    ui::AnalysisPanel panel;
    QVERIFY(panel.openStore(m_store));
    QString error;
    panel.tabs()->setCurrentIndex(2);
    const QString csv = m_dir.filePath("validation.csv");
    QVERIFY2(panel.exportCsv(csv, &error), qPrintable(error));
    QFile file(csv);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll().toStdString(), report::validationCsv(panel.input()).text());

    panel.tabs()->setCurrentIndex(1);
    const QString png = m_dir.filePath("scatter.png");
    QVERIFY2(panel.exportPng(png, &error), qPrintable(error));
    QVERIFY(QImage(png).width() > 0);

    const QStringList files = panel.writeReport(m_dir.filePath("report"), &error);
    QVERIFY2(!files.isEmpty(), qPrintable(error));
    QVERIFY(QFile::exists(m_dir.filePath("report/experiment-log.md")));
    QVERIFY(files.contains(m_dir.filePath("report/experiment-log.md")));
}

void tst_AnalysisPanel::missingStoreIsRefused()
{
    ui::AnalysisPanel panel;
    QString error;
    QVERIFY(!panel.openStore(m_dir.filePath("none.db"), &error));
    QCOMPARE(error, m_dir.filePath("none.db") + ": no such store.");
}

void tst_AnalysisPanel::grabsAtItsSize()
{
    ui::AnalysisPanel panel;
    QString error;
    QVERIFY2(panel.openStore(m_store, &error), qPrintable(error));
    const QImage image = testsupport::grabAt(panel, {900, 700});
    QCOMPARE(image.size(), QSize(900, 700));
    QVERIFY(testsupport::distinctColours(image) > 50);
}

QTEST_MAIN(tst_AnalysisPanel)
#include "tst_analysis_panel.moc"
