// Launching from the workbench: the exact `seplab-cli sweep run` arguments, the problems the
// dialog shows before Launch is enabled, and a detached launch through a stand-in seplab-cli.

#include "ui/monitor/launch_dialog.h"
#include "ui/monitor/sweep_launch.h"

#include <QCheckBox>
#include <QPushButton>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

using namespace seplab;

class tst_SweepLaunch : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void argumentsOnGpus();
    void argumentsOnTheCpu();
    void problemsNameTheField();
    void dialogOffersGpusAndEnablesLaunch();
    void launchRunsDetached();
};

void tst_SweepLaunch::argumentsOnGpus()
{
    ui::LaunchOptions options;
    options.plan = "/p/plan.yaml";
    options.store = "/s/hpo.db";
    options.scale = "tiny";
    options.data = "/d/corpus";
    options.trials = 6;
    options.gpus = {0, 2};
    options.slotsPerGpu = 3;
    QCOMPARE(ui::sweepRunArguments(options),
             QStringList({"sweep",
                          "run",
                          "/p/plan.yaml",
                          "--store",
                          "/s/hpo.db",
                          "--scale",
                          "tiny",
                          "--data",
                          "/d/corpus",
                          "--trials",
                          "6",
                          "--gpus",
                          "0,2",
                          "--slots-per-gpu",
                          "3"}));
}

void tst_SweepLaunch::argumentsOnTheCpu()
{
    ui::LaunchOptions options;
    options.plan = "plan.yaml";
    options.store = "hpo.db";
    options.baseConfig = "dprnn.yaml";
    options.runs = "runs";
    options.cpuSlots = 2;
    QCOMPARE(ui::sweepRunArguments(options),
             QStringList({"sweep",
                          "run",
                          "plan.yaml",
                          "--store",
                          "hpo.db",
                          "--base-config",
                          "dprnn.yaml",
                          "--runs",
                          "runs",
                          "--cpu-slots",
                          "2"}));
}

void tst_SweepLaunch::problemsNameTheField()
{
    QTemporaryDir dir;
    ui::LaunchOptions options;
    QCOMPARE(ui::launchProblem(options), QString("choose a plan or W&B sweep file."));
    options.plan = dir.filePath("absent.yaml");
    QCOMPARE(ui::launchProblem(options), dir.filePath("absent.yaml") + ": no such plan file.");
    options.plan = dir.filePath("plan.yaml");
    std::ofstream(options.plan.toStdString()) << "name: p\n";
    QCOMPARE(ui::launchProblem(options), QString("choose the experiment store to write."));
    options.store = dir.filePath("hpo.db");
    options.data = dir.filePath("corpus");
    QCOMPARE(ui::launchProblem(options), dir.filePath("corpus") + ": no such corpus folder.");
    options.data = dir.path();
    QCOMPARE(ui::launchProblem(options), QString());
}

void tst_SweepLaunch::dialogOffersGpusAndEnablesLaunch()
{
    QTemporaryDir dir;
    const QString plan = dir.filePath("plan.yaml");
    std::ofstream(plan.toStdString()) << "name: p\n";
    ui::LaunchDialog dialog(2, dir.filePath("hpo.db"));
    auto *launch = dialog.findChild<QPushButton *>("launch");
    QVERIFY(!launch->isEnabled());
    QCOMPARE(dialog.problem(), QString("choose a plan or W&B sweep file."));
    ui::LaunchOptions options = dialog.options();
    options.plan = plan;
    dialog.setOptions(options);
    QVERIFY(launch->isEnabled());
    QCOMPARE(dialog.options().gpus, QList<int>({0, 1}));
    QVERIFY(dialog.findChild<QSpinBox *>("slotsPerGpu")->isEnabled());
    QVERIFY(!dialog.findChild<QSpinBox *>("cpuSlots")->isEnabled());
    dialog.findChild<QCheckBox *>("gpu0")->setChecked(false);
    dialog.findChild<QCheckBox *>("gpu1")->setChecked(false);
    QVERIFY(dialog.options().gpus.isEmpty());
    QVERIFY(dialog.findChild<QSpinBox *>("cpuSlots")->isEnabled());

    ui::LaunchDialog cpuOnly(0, dir.filePath("hpo.db"));
    QVERIFY(!cpuOnly.findChild<QCheckBox *>("gpu0"));
}

void tst_SweepLaunch::launchRunsDetached()
{
    QTemporaryDir dir;
    const QString fake = dir.filePath("fake-cli.sh");
    std::ofstream(fake.toStdString())
        << "#!/bin/sh\necho \"$@\" > \"" << dir.filePath("argv").toStdString()
        << "\"\necho progress\necho warning >&2\n";
    QFile::setPermissions(fake, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    qputenv("SEPLAB_CLI", fake.toLocal8Bit());
    ui::LaunchOptions options;
    options.plan = dir.filePath("plan.yaml");
    std::ofstream(options.plan.toStdString()) << "name: p\n";
    options.store = dir.filePath("sub/hpo.db");
    QCOMPARE(ui::launchSweep(options), QString());
    // The stand-in writes its argv with one echo; wait until the line is complete.
    QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(dir.filePath("argv")).size() > 0, 10000);
    QFile argv(dir.filePath("argv"));
    QVERIFY(argv.open(QIODevice::ReadOnly));
    QCOMPARE(QString::fromUtf8(argv.readAll()).trimmed(),
             "sweep run " + options.plan + " --store " + options.store + " --cpu-slots 1");
    QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(ui::controllerLogPath(options.store)).size() >= 17, 10000);
    QFile log(ui::controllerLogPath(options.store));
    QVERIFY(log.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(log.readAll());
    QVERIFY2(text.contains("progress\n") && text.contains("warning\n"), qPrintable(text));

    options.plan = dir.filePath("none.yaml");
    QCOMPARE(ui::launchSweep(options), dir.filePath("none.yaml") + ": no such plan file.");
}

QTEST_MAIN(tst_SweepLaunch)
#include "tst_sweep_launch.moc"
