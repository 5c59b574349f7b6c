// Launching from the workbench: the exact `seplab-cli sweep run` arguments (on this machine or on
// Slurm), the problems the dialog shows before Launch is enabled, the Slurm fields a plan fills,
// and a detached launch through a stand-in seplab-cli.

#include "ui/monitor/launch_dialog.h"
#include "ui/monitor/sweep_launch.h"

#include <QCheckBox>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
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
    void argumentsOnSlurm();
    void slurmLeavesEmptyFieldsOut();
    void problemsNameTheField();
    void slurmNeedsSinfo();
    void dialogOffersGpusAndEnablesLaunch();
    void slurmPlanFillsTheDialog();
    void dialogFitsTheScreen();
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

void tst_SweepLaunch::argumentsOnSlurm()
{
    ui::LaunchOptions options;
    options.plan = "plan.yaml";
    options.store = "hpo.db";
    options.gpus = {0}; // this machine's choices are not passed to a Slurm launch
    options.executor = "slurm";
    options.partition = "gpu";
    options.gres = "gpu:1";
    options.time = "04:00:00";
    options.mem = "16G";
    options.cpusPerTask = 4;
    options.account = "lab";
    options.qos = "normal";
    options.maxJobsInQueue = 12;
    QCOMPARE(ui::sweepRunArguments(options), QStringList({"sweep",     "run",
                                                          "plan.yaml", "--store",
                                                          "hpo.db",    "--executor",
                                                          "slurm",     "--partition",
                                                          "gpu",       "--gres",
                                                          "gpu:1",     "--time",
                                                          "04:00:00",  "--mem",
                                                          "16G",       "--cpus-per-task",
                                                          "4",         "--account",
                                                          "lab",       "--qos",
                                                          "normal",    "--max-jobs-in-queue",
                                                          "12"}));
}

void tst_SweepLaunch::slurmLeavesEmptyFieldsOut()
{
    ui::LaunchOptions options;
    options.plan = "plan.yaml";
    options.store = "hpo.db";
    options.executor = "slurm";
    options.time = "1:00:00";
    options.maxJobsInQueue = 8;
    QCOMPARE(ui::sweepRunArguments(options),
             QStringList({"sweep",
                          "run",
                          "plan.yaml",
                          "--store",
                          "hpo.db",
                          "--executor",
                          "slurm",
                          "--time",
                          "1:00:00",
                          "--max-jobs-in-queue",
                          "8"}));
    options.maxJobsInQueue = 0; // the plan's
    QCOMPARE(ui::sweepRunArguments(options).size(), 9);

    // "local" overrides a plan whose executor is Slurm; the Slurm fields are not passed then.
    options.executor = "local";
    options.partition = "gpu";
    QCOMPARE(ui::sweepRunArguments(options),
             QStringList({"sweep",
                          "run",
                          "plan.yaml",
                          "--store",
                          "hpo.db",
                          "--cpu-slots",
                          "1",
                          "--executor",
                          "local"}));
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

void tst_SweepLaunch::slurmNeedsSinfo()
{
    QTemporaryDir dir;
    ui::LaunchOptions options;
    options.plan = dir.filePath("plan.yaml");
    std::ofstream(options.plan.toStdString()) << "name: p\n";
    options.store = dir.filePath("hpo.db");
    options.executor = "slurm";
    const QByteArray path = qgetenv("PATH");
    qputenv("PATH", dir.path().toLocal8Bit()); // a folder without sinfo
    QCOMPARE(ui::launchProblem(options),
             QString("Slurm's sinfo is not on this machine's PATH; launch Slurm sweeps from a "
                     "login node of the cluster."));
    options.executor = "local";
    QCOMPARE(ui::launchProblem(options), QString());

    options.executor = "slurm";
    qputenv("PATH", QByteArray(SEPLAB_FAKE_SLURM_DIR));
    QCOMPARE(ui::launchProblem(options), QString());
    options.partition = "gpu a100";
    QCOMPARE(ui::launchProblem(options),
             QString("the Slurm partition must be one word, not 'gpu a100'."));
    qputenv("PATH", path);
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

void tst_SweepLaunch::slurmPlanFillsTheDialog()
{
    QTemporaryDir dir;
    const QString slurmPlan = dir.filePath("slurm.yaml");
    std::ofstream(slurmPlan.toStdString()) << "name: p\n"
                                              "metric: {name: m, goal: maximize}\n"
                                              "executor:\n"
                                              "  type: slurm\n"
                                              "  partition: gpu\n"
                                              "  gres: \"gpu:1\"\n"
                                              "  time: \"04:00:00\"\n"
                                              "  mem: 16G\n"
                                              "  cpus_per_task: 4\n"
                                              "  account: lab\n"
                                              "  max_jobs_in_queue: 20\n"
                                              "stages:\n"
                                              "  - name: a\n"
                                              "    method: grid\n"
                                              "    parameters: {x: {values: [1]}}\n";
    const QString localPlan = dir.filePath("local.yaml");
    std::ofstream(localPlan.toStdString()) << "name: p\n"
                                              "metric: {name: m, goal: maximize}\n"
                                              "stages:\n"
                                              "  - name: a\n"
                                              "    method: grid\n"
                                              "    parameters: {x: {values: [1]}}\n";
    const QByteArray path = qgetenv("PATH");
    qputenv("PATH", QByteArray(SEPLAB_FAKE_SLURM_DIR));
    ui::LaunchDialog dialog(1, dir.filePath("hpo.db"));
    QVERIFY(dialog.findChild<QRadioButton *>("runLocal")->isChecked());
    QCOMPARE(dialog.options().executor, QString("local"));
    dialog.findChild<QLineEdit *>("plan")->setText(slurmPlan);
    QVERIFY(dialog.findChild<QRadioButton *>("runSlurm")->isChecked());
    const ui::LaunchOptions chosen = dialog.options();
    QCOMPARE(chosen.executor, QString("slurm"));
    QCOMPARE(chosen.partition, QString("gpu"));
    QCOMPARE(chosen.gres, QString("gpu:1"));
    QCOMPARE(chosen.time, QString("04:00:00"));
    QCOMPARE(chosen.mem, QString("16G"));
    QCOMPARE(chosen.cpusPerTask, 4);
    QCOMPARE(chosen.account, QString("lab"));
    QCOMPARE(chosen.qos, QString());
    QCOMPARE(chosen.maxJobsInQueue, 20);
    QCOMPARE(dialog.problem(), QString());
    QCOMPARE(ui::sweepRunArguments(chosen).mid(5),
             QStringList({"--executor",
                          "slurm",
                          "--partition",
                          "gpu",
                          "--gres",
                          "gpu:1",
                          "--time",
                          "04:00:00",
                          "--mem",
                          "16G",
                          "--cpus-per-task",
                          "4",
                          "--account",
                          "lab",
                          "--max-jobs-in-queue",
                          "20"}));

    // Without sinfo, Launch stays disabled with the sentence that says where to launch from.
    qputenv("PATH", dir.path().toLocal8Bit());
    dialog.findChild<QLineEdit *>("gres")->setText("gpu:2");
    QVERIFY(dialog.problem().startsWith("Slurm's sinfo is not on this machine's PATH"));
    QVERIFY(!dialog.findChild<QPushButton *>("launch")->isEnabled());
    qputenv("PATH", path);

    // A local plan chooses this machine again; an explicit executor wins over the plan's.
    dialog.findChild<QLineEdit *>("plan")->setText(localPlan);
    QCOMPARE(dialog.options().executor, QString("local"));
    ui::LaunchOptions options = dialog.options();
    options.executor = "slurm";
    options.partition = "debug";
    options.maxJobsInQueue = 0;
    dialog.setOptions(options);
    QCOMPARE(dialog.options().partition, QString("debug"));
    QCOMPARE(dialog.options().gres, QString());
    QCOMPARE(dialog.options().maxJobsInQueue, 8);

    // A plan that does not load changes nothing.
    const QString broken = dir.filePath("broken.yaml");
    std::ofstream(broken.toStdString()) << "stages: [\n";
    dialog.findChild<QLineEdit *>("plan")->setText(broken);
    QCOMPARE(dialog.options().executor, QString("slurm"));
}

void tst_SweepLaunch::dialogFitsTheScreen()
{
    ui::LaunchDialog dialog(8, "hpo.db");
    dialog.findChild<QRadioButton *>("runSlurm")->setChecked(true);
    const QSize slurm = dialog.sizeHint();
    dialog.findChild<QRadioButton *>("runLocal")->setChecked(true);
    const QSize local = dialog.sizeHint();
    for (const QSize &size : {slurm, local})
        QVERIFY2(size.width() <= 1280 && size.height() <= 800,
                 qPrintable(QString("%1x%2").arg(size.width()).arg(size.height())));
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
