// The monitor panel over a store that the test writes as a controller would: which stage it
// follows, what the chart draws (points, best, stopped, failed, bands, smoothing), live
// updates, the log tail, and the stop / resume / kill actions.

#include "support/sample_store.h"
#include "support/widget_grab.h"
#include "ui/monitor/curve_chart.h"
#include "ui/monitor/log_tail.h"
#include "ui/monitor/monitor_panel.h"
#include "ui/monitor/sweep_actions.h"
#include "ui/monitor/trial_filter_proxy.h"
#include "ui/monitor/trial_table_model.h"

#include <QLineSeries>
#include <QProcess>
#include <QPushButton>
#include <QSlider>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

using namespace seplab;

class tst_MonitorPanel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void grabsAtItsSize();
    void missingStoreIsRefused();
    void followsTheRunningStage();
    void stageRolesAndBands();
    void liveRowsMoveTheBest();
    void smoothingSlider();
    void logTailFollowsTheSelection();
    void actionsFollowTheController();
    void stopRunsSweepStop();
    void killOnlyHitsTheTrialProgram();

private:
    static std::vector<std::pair<double, double>> points(QLineSeries *series);
};

std::vector<std::pair<double, double>> tst_MonitorPanel::points(QLineSeries *series)
{
    std::vector<std::pair<double, double>> out;
    for (const QPointF &point : series->points())
        out.emplace_back(point.x(), point.y());
    return out;
}

void tst_MonitorPanel::missingStoreIsRefused()
{
    QTemporaryDir dir;
    ui::MonitorPanel panel;
    QString error;
    QVERIFY(!panel.openStore(dir.filePath("absent.db"), &error));
    QCOMPARE(error, dir.filePath("absent.db") + ": no such store.");
    QVERIFY(panel.storePath().isEmpty());
}

void tst_MonitorPanel::followsTheRunningStage()
{
    QTemporaryDir dir;
    const auto sample = testsupport::makeSampleStore(dir.filePath("s.db").toStdString());
    ui::MonitorPanel panel;
    QVERIFY(panel.openStore(dir.filePath("s.db")));
    QCOMPARE(panel.shownStage(), sample.stage2);
    QCOMPARE(panel.shownMetric(), QString("val_sisdr"));
    QCOMPARE(panel.trialProxy()->rowCount(), 2);
    ui::CurveChart *chart = panel.chart();
    QVERIFY(!chart->seriesFor(sample.trials[0]));
    QCOMPARE(points(chart->seriesFor(sample.trials[3])),
             (std::vector<std::pair<double, double>>{{1, 2}, {2, 5}, {3, 6}}));
    QCOMPARE(points(chart->seriesFor(sample.trials[4])),
             (std::vector<std::pair<double, double>>{{1, 3}, {2, 5.5}}));
    // t3 (best 6.0) is drawn bold and red, t4 (5.5) in the palette.
    QCOMPARE(chart->seriesFor(sample.trials[3])->pen().widthF(), 3.0);
    QCOMPARE(chart->seriesFor(sample.trials[3])->pen().color(), QColor(0xd6, 0x27, 0x28));
    QCOMPARE(chart->seriesFor(sample.trials[4])->pen().widthF(), 1.5);
    // Bands 2, 6, 18: only band 2 lies within the 3 epochs drawn so far.
    QCOMPARE(chart->bandMarkerCount(), 1);
}

void tst_MonitorPanel::stageRolesAndBands()
{
    QTemporaryDir dir;
    auto sample = testsupport::makeSampleStore(dir.filePath("s.db").toStdString());
    ui::MonitorPanel panel;
    QVERIFY(panel.openStore(dir.filePath("s.db")));
    panel.showStage(sample.stage1);
    QCOMPARE(panel.trialProxy()->rowCount(), 3);
    ui::CurveChart *chart = panel.chart();
    QVERIFY(!chart->seriesFor(sample.trials[3]));
    QCOMPARE(chart->seriesFor(sample.trials[0])->pen().widthF(), 3.0); // best, 4.0
    QCOMPARE(chart->seriesFor(sample.trials[1])->pen().color(), QColor(0xa0, 0xa0, 0xa0));
    QCOMPARE(chart->seriesFor(sample.trials[2])->pen().style(), Qt::DotLine); // failed
    QCOMPARE(chart->seriesFor(sample.trials[2])->count(), 0);
    QCOMPARE(chart->bandMarkerCount(), 1);

    // t0 reports epoch 7: the axis reaches band 6, and the chart follows without a reopen.
    testsupport::addCurve(sample.writer, sample.trials[0], {4.5}, 7);
    panel.refreshNow();
    QCOMPARE(chart->seriesFor(sample.trials[0])->count(), 5);
    QCOMPARE(chart->bandMarkerCount(), 2);

    panel.showStage(0); // every stage
    QCOMPARE(panel.trialProxy()->rowCount(), 5);
    QVERIFY(chart->seriesFor(sample.trials[3]) && chart->seriesFor(sample.trials[0]));
    QCOMPARE(chart->bandMarkerCount(), 0);
}

void tst_MonitorPanel::liveRowsMoveTheBest()
{
    QTemporaryDir dir;
    auto sample = testsupport::makeSampleStore(dir.filePath("s.db").toStdString());
    ui::MonitorPanel panel;
    QVERIFY(panel.openStore(dir.filePath("s.db")));
    testsupport::addCurve(sample.writer, sample.trials[4], {6.25}, 3);
    store::TrialRecord running = *sample.writer.trial(sample.trials[4]);
    running.epochs = 3;
    running.bestValue = 6.25;
    sample.writer.updateTrial(running);
    panel.refreshNow();
    ui::CurveChart *chart = panel.chart();
    QCOMPARE(points(chart->seriesFor(sample.trials[4])),
             (std::vector<std::pair<double, double>>{{1, 3}, {2, 5.5}, {3, 6.25}}));
    QCOMPARE(chart->seriesFor(sample.trials[4])->pen().widthF(), 3.0);
    QCOMPARE(chart->seriesFor(sample.trials[3])->pen().widthF(), 1.5);
    // The best is painted last, on top of the others.
    QCOMPARE(chart->chart()->series().last(), chart->seriesFor(sample.trials[4]));
}

void tst_MonitorPanel::smoothingSlider()
{
    QTemporaryDir dir;
    const auto sample = testsupport::makeSampleStore(dir.filePath("s.db").toStdString());
    ui::MonitorPanel panel;
    QVERIFY(panel.openStore(dir.filePath("s.db")));
    panel.findChild<QSlider *>("smoothing")->setValue(50);
    QCOMPARE(panel.chart()->smoothing(), 0.5);
    // t3's 2, 5, 6 at w = 0.5: 1/0.5, 3/0.75, 4.5/0.875.
    const auto smoothed = points(panel.chart()->seriesFor(sample.trials[3]));
    QCOMPARE(smoothed.size(), std::size_t(3));
    QCOMPARE(smoothed[0].second, 2.0);
    QVERIFY(std::abs(smoothed[1].second - 4.0) < 1e-12);
    QVERIFY(std::abs(smoothed[2].second - 4.5 / 0.875) < 1e-12);
}

void tst_MonitorPanel::logTailFollowsTheSelection()
{
    QTemporaryDir dir;
    auto sample = testsupport::makeSampleStore(dir.filePath("s.db").toStdString());
    QDir(dir.path()).mkdir("run_t4");
    const QString log = dir.filePath("run_t4/log.txt");
    std::ofstream(log.toStdString()) << "epoch 1\nepoch 2\n";
    store::TrialRecord running = *sample.writer.trial(sample.trials[4]);
    running.runDir = dir.filePath("run_t4").toStdString();
    sample.writer.updateTrial(running);

    ui::MonitorPanel panel;
    QVERIFY(panel.openStore(dir.filePath("s.db")));
    QTableView *view = panel.trialView();
    auto selectTrial = [&](const QString &name) {
        for (int row = 0; row < panel.trialProxy()->rowCount(); ++row)
            if (panel.trialProxy()->index(row, 0).data().toString() == name)
                view->setCurrentIndex(panel.trialProxy()->index(row, 0));
    };
    selectTrial("t4");
    QCOMPARE(panel.logTail()->toPlainText(), QString("epoch 1\nepoch 2"));
    std::ofstream(log.toStdString(), std::ios::app) << "epoch 3\n";
    panel.refreshNow();
    QCOMPARE(panel.logTail()->toPlainText(), QString("epoch 1\nepoch 2\nepoch 3"));

    // Audition asks for the selected trial, and only for one with a run folder.
    auto *audition = panel.findChild<QPushButton *>("auditionTrial");
    QVERIFY(audition->isEnabled());
    QSignalSpy asked(&panel, &ui::MonitorPanel::auditionRequested);
    audition->click();
    QCOMPARE(asked.size(), 1);
    QCOMPARE(asked.at(0).at(0).toString(), QString("t4"));
    selectTrial("t3"); // finished, but its row names no run folder
    QVERIFY(!audition->isEnabled());
    selectTrial("t4");

    // A failed trial without a run folder shows what the controller kept.
    store::TrialRecord failed = *sample.writer.trial(sample.trials[2]);
    failed.error = "exited with status 1";
    failed.logTail = "Traceback: CUDA out of memory";
    sample.writer.updateTrial(failed);
    panel.showStage(sample.stage1);
    panel.refreshNow();
    selectTrial("t2");
    QCOMPARE(panel.logTail()->toPlainText(),
             QString("exited with status 1\nTraceback: CUDA out of memory"));
}

void tst_MonitorPanel::actionsFollowTheController()
{
    QTemporaryDir dir;
    auto sample = testsupport::makeSampleStore(dir.filePath("s.db").toStdString(),
                                               int(QCoreApplication::applicationPid()));
    ui::MonitorPanel panel;
    QVERIFY(panel.openStore(dir.filePath("s.db")));
    auto *stop = panel.findChild<QPushButton *>("stopSweep");
    auto *resume = panel.findChild<QPushButton *>("resumeSweep");
    auto *kill = panel.findChild<QPushButton *>("killTrial");
    QVERIFY(stop->isEnabled());
    QVERIFY(!resume->isEnabled());
    QVERIFY(!kill->isEnabled()); // nothing selected

    store::PlanRecord plan = *sample.writer.plan(sample.planId);
    plan.state = "stopped";
    sample.writer.updatePlan(plan);
    panel.refreshNow();
    QVERIFY(!stop->isEnabled());
    QVERIFY(resume->isEnabled());

    plan.state = "finished";
    sample.writer.updatePlan(plan);
    panel.refreshNow();
    QVERIFY(!stop->isEnabled());
    QVERIFY(!resume->isEnabled());
}

void tst_MonitorPanel::stopRunsSweepStop()
{
    QTemporaryDir dir;
    testsupport::makeSampleStore(dir.filePath("s.db").toStdString(),
                                 int(QCoreApplication::applicationPid()));
    // A stand-in for seplab-cli that records its argv.
    const QString fake = dir.filePath("fake-cli.sh");
    std::ofstream(fake.toStdString())
        << "#!/bin/sh\necho \"$@\" > \"" << dir.filePath("argv").toStdString()
        << "\"\necho \"stop sent to plan 'demo'\"\n";
    QFile::setPermissions(fake, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    qputenv("SEPLAB_CLI", fake.toLocal8Bit());

    ui::MonitorPanel panel;
    QVERIFY(panel.openStore(dir.filePath("s.db")));
    QSignalSpy messages(&panel, &ui::MonitorPanel::statusMessage);
    panel.findChild<QPushButton *>("stopSweep")->click();
    QVERIFY(messages.wait(10000));
    QCOMPARE(messages[0][0].toString(), QString("stop sent to plan 'demo'"));
    QFile argv(dir.filePath("argv"));
    QVERIFY(argv.open(QIODevice::ReadOnly));
    QCOMPARE(QString::fromUtf8(argv.readAll()).trimmed(),
             "sweep stop --store " + dir.filePath("s.db") + " --plan demo");
}

void tst_MonitorPanel::killOnlyHitsTheTrialProgram()
{
    QCOMPARE(ui::killTrialProcess(0, "seplab-cli"), QString("the trial has no process."));
    QProcess sleeper;
    sleeper.start("sleep", {"30"});
    QVERIFY(sleeper.waitForStarted());
    const int pid = int(sleeper.processId());
    // QProcess reports the start from the forked child; under load the exec of `sleep` may
    // land a moment later, so wait until /proc shows it.
    auto argv0 = [pid] {
        QFile cmdline(QString("/proc/%1/cmdline").arg(pid));
        return cmdline.open(QIODevice::ReadOnly) ? cmdline.readAll().split('\0').value(0)
                                                 : QByteArray();
    };
    QTRY_VERIFY_WITH_TIMEOUT(argv0().endsWith("sleep"), 10000);
    QCOMPARE(ui::killTrialProcess(pid, "/usr/bin/python3"),
             QString("process %1 is not the trial's python3 any more.").arg(pid));
    QCOMPARE(sleeper.state(), QProcess::Running);
    QCOMPARE(ui::killTrialProcess(pid, "/usr/bin/sleep"), QString());
    QVERIFY(sleeper.waitForFinished(10000));
    QCOMPARE(sleeper.exitStatus(), QProcess::CrashExit);
}

void tst_MonitorPanel::grabsAtItsSize()
{
    QTemporaryDir dir;
    testsupport::makeSampleStore(dir.filePath("s.db").toStdString());
    ui::MonitorPanel panel;
    QVERIFY(panel.openStore(dir.filePath("s.db")));
    const QImage image = testsupport::grabAt(panel, {1000, 700});
    QCOMPARE(image.size(), QSize(1000, 700));
    // Curves, axes, the table's text: far more than a blank panel's one or two colours.
    QVERIFY2(testsupport::distinctColours(image) > 50,
             qPrintable(QString::number(testsupport::distinctColours(image))));
}

QTEST_MAIN(tst_MonitorPanel)
#include "tst_monitor_panel.moc"
