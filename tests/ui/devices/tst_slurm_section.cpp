// The Devices panel's Slurm section: the nodes and the followed sweep's jobs as the stand-in
// sinfo and squeue (tests/core/exec/fake_slurm) print them, the exact argv it sends, the one
// line where sinfo is missing, failures in the headline, and which of the store's trials it asks
// about.

#include "support/sample_store.h"
#include "support/widget_grab.h"
#include "ui/devices/devices_panel.h"
#include "ui/devices/slurm_jobs.h"
#include "ui/devices/slurm_section.h"

#include <QDir>
#include <QFile>
#include <QLabel>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

using namespace seplab;

namespace {

void writeFile(const QString &path, const std::string &text, bool executable = false)
{
    std::ofstream(path.toStdString()) << text;
    if (executable)
        QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
}

QString readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()).trimmed() : QString();
}

QStringList row(const QTableWidget *table, int r)
{
    QStringList cells;
    for (int c = 0; c < table->columnCount(); ++c)
        cells << (table->item(r, c) ? table->item(r, c)->text() : QString("<none>"));
    return cells;
}

} // namespace

class tst_SlurmSection : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void notAvailableIsOneLine();
    void tablesFromFakeSlurm();
    void defaultPartitionListsEveryNode();
    void failuresAreReported();
    void jobsOfTheStore();
    void panelGrabsWithSlurmTables();
};

void tst_SlurmSection::notAvailableIsOneLine()
{
    QTemporaryDir empty;
    qputenv("SEPLAB_SLURM_BIN", empty.path().toLocal8Bit());
    ui::DevicesPanel panel;
    qunsetenv("SEPLAB_SLURM_BIN");
    ui::SlurmSection *slurm = panel.slurm();
    QVERIFY(!slurm->available());
    QCOMPARE(slurm->headline(), QString("Slurm: not available on this machine (sinfo not found)"));
    QVERIFY(slurm->nodeTable()->isHidden());
    QVERIFY(slurm->jobTable()->isHidden());
    panel.setSlurmJobs({{"t0", "101", "gpu"}});
    QVERIFY(slurm->jobTable()->isHidden());
    QCOMPARE(slurm->headline(), QString("Slurm: not available on this machine (sinfo not found)"));

    // The stand-ins make it available; an empty folder again takes it away.
    slurm->setBinDir(SEPLAB_FAKE_SLURM_DIR);
    QVERIFY(slurm->available());
    QVERIFY(!slurm->nodeTable()->isHidden());
    slurm->setBinDir(empty.path());
    QVERIFY(!slurm->available());
}

void tst_SlurmSection::tablesFromFakeSlurm()
{
    QTemporaryDir dir;
    QVERIFY(QDir(dir.path()).mkpath("jobs") && QDir(dir.path()).mkpath("bin"));
    writeFile(dir.filePath("jobs/101.state"), "RUNNING|None|localhost\n");
    writeFile(dir.filePath("jobs/102.state"), "PENDING|Priority|\n");
    // Wrappers that keep the argv and hand over to the stand-ins.
    for (const char *name : {"sinfo", "squeue"})
        writeFile(dir.filePath(QString("bin/%1").arg(name)),
                  std::string("#!/bin/sh\necho \"$@\" > \"") + dir.path().toStdString() + "/" + name
                      + ".argv\"\nexec \"" + SEPLAB_FAKE_SLURM_DIR + "/" + name + "\" \"$@\"\n",
                  true);
    qputenv("FAKE_SLURM_DIR", dir.path().toLocal8Bit());

    ui::SlurmSection section;
    section.setBinDir(dir.filePath("bin"));
    QCOMPARE(section.headline(),
             QString("Slurm: asking sinfo; 0 job(s) of the followed sweep queued or running."));
    QVERIFY(section.jobTable()->isHidden()); // no Slurm trial
    section.setJobs({{"t0", "101", "debug"}, {"t1", "102", "debug"}, {"t2", "103", "debug"}});
    QVERIFY(!section.jobTable()->isHidden());
    QCOMPARE(row(section.jobTable(), 0), QStringList({"t0", "101", "?", "", ""}));

    section.queryNow();
    QTRY_COMPARE_WITH_TIMEOUT(section.nodeTable()->rowCount(), 1, 10000);
    QCOMPARE(row(section.nodeTable(), 0),
             // 7900 MiB = 7.71 GiB, 7012 MiB free = 6.85 GiB
             QStringList({"localhost", "debug*", "idle", "2", "7.7 GiB (6.8 free)", "none"}));
    QTRY_COMPARE_WITH_TIMEOUT(section.jobTable()->item(0, 2)->text(), QString("RUNNING"), 10000);
    QCOMPARE(section.jobTable()->rowCount(), 3);
    QCOMPARE(row(section.jobTable(), 0), QStringList({"t0", "101", "RUNNING", "None", "localhost"}));
    QCOMPARE(row(section.jobTable(), 1), QStringList({"t1", "102", "PENDING", "Priority", ""}));
    // Finished long ago: squeue no longer lists it.
    QCOMPARE(row(section.jobTable(), 2), QStringList({"t2", "103", "not listed", "", ""}));
    QCOMPARE(section.headline(),
             QString("Slurm: 1 node(s) in debug; 3 job(s) of the followed sweep queued or "
                     "running."));

    QCOMPARE(readFile(dir.filePath("sinfo.argv")),
             QString("--noheader --Node --format=%N|%P|%T|%c|%m|%G|%e --partition=debug"));
    QCOMPARE(readFile(dir.filePath("squeue.argv")),
             QString("--states=all --jobs=101,102,103 --noheader --format=%i|%T|%r|%N"));

    // The job starts: the next query shows it.
    writeFile(dir.filePath("jobs/102.state"), "RUNNING|None|localhost\n");
    section.queryNow();
    QTRY_COMPARE_WITH_TIMEOUT(section.jobTable()->item(1, 2)->text(), QString("RUNNING"), 10000);
    QCOMPARE(row(section.jobTable(), 1), QStringList({"t1", "102", "RUNNING", "None", "localhost"}));
    qunsetenv("FAKE_SLURM_DIR");
}

void tst_SlurmSection::defaultPartitionListsEveryNode()
{
    QTemporaryDir dir;
    QVERIFY(QDir(dir.path()).mkpath("bin"));
    writeFile(dir.filePath("bin/sinfo"),
              "#!/bin/sh\necho \"$@\" > \"" + dir.path().toStdString()
                  + "/sinfo.argv\"\n"
                    "echo 'gpu1|gpu|mixed|64|515000|gpu:a100:4|200000'\n"
                    "echo 'cpu1|cpu*|down|32|257000|(null)|N/A'\n",
              true);
    ui::SlurmSection section;
    section.setBinDir(dir.filePath("bin"));
    section.setJobs({{"t0", "7", "gpu"}, {"t1", "8", ""}}); // t1 runs in the default partition
    section.queryNow();
    QTRY_COMPARE_WITH_TIMEOUT(section.nodeTable()->rowCount(), 2, 10000);
    QCOMPARE(readFile(dir.filePath("sinfo.argv")),
             QString("--noheader --Node --format=%N|%P|%T|%c|%m|%G|%e"));
    // 515000 MiB = 502.9 GiB, 200000 = 195.3; 257000 = 251.0 and no free figure
    QCOMPARE(row(section.nodeTable(), 0),
             QStringList({"gpu1", "gpu", "mixed", "64", "502.9 GiB (195.3 free)", "gpu:a100:4"}));
    QCOMPARE(row(section.nodeTable(), 1),
             QStringList({"cpu1", "cpu*", "down", "32", "251.0 GiB", "none"}));
    QVERIFY2(section.headline().startsWith("Slurm: 2 node(s); 2 job(s)"),
             qPrintable(section.headline()));
}

void tst_SlurmSection::failuresAreReported()
{
    QTemporaryDir dir;
    writeFile(dir.filePath("squeue_fails"), "");
    qputenv("FAKE_SLURM_DIR", dir.path().toLocal8Bit());
    ui::SlurmSection section;
    section.setBinDir(SEPLAB_FAKE_SLURM_DIR);
    section.setJobs({{"t0", "101", ""}});
    section.queryNow();
    QTRY_VERIFY_WITH_TIMEOUT(section.headline().contains("squeue failed"), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(section.nodeTable()->rowCount(), 1, 10000);
    QCOMPARE(section.headline(),
             QString("Slurm: 1 node(s); 1 job(s) of the followed sweep queued or running "
                     "(squeue failed: squeue: error: slurm_load_jobs error: Socket timed out on "
                     "send/recv operation)."));
    qunsetenv("FAKE_SLURM_DIR");

    section.showSinfoOutput("node1|debug|idle\n");
    QVERIFY2(section.headline().startsWith(
                 "Slurm: sinfo line 'node1|debug|idle' does not have the 7 fields "
                 "node|partition|state|cpus|memory|gres|free; 1 job(s)"),
             qPrintable(section.headline()));
    QCOMPARE(section.nodeTable()->rowCount(), 1); // the last good answer stays
}

void tst_SlurmSection::jobsOfTheStore()
{
    QTemporaryDir dir;
    const QString path = dir.filePath("hpo.db");
    {
        testsupport::SampleStore sample = testsupport::makeSampleStore(path.toStdString());
        using S = store::TrialState;
        auto slurmTrial =
            [&](int number, S state, const std::string &device, const std::string &job) {
                store::TrialRecord trial = testsupport::sampleTrialRecord(sample.stage2,
                                                                          number,
                                                                          state,
                                                                          {},
                                                                          0);
                trial.device = device;
                trial.jobId = job;
                sample.writer.addTrial(trial);
            };
        slurmTrial(5, S::Running, "slurm:gpu", "501");
        slurmTrial(6, S::Pending, "slurm", "502");
        slurmTrial(7, S::Finished, "slurm:gpu", "503"); // done: not asked about
        slurmTrial(8, S::Pending, "", "");              // not submitted yet
    }
    // t4 runs locally (no job id) and is left out too.
    const QList<ui::SlurmTrialJob> expected = {{"t5", "501", "gpu"}, {"t6", "502", ""}};
    QCOMPARE(ui::readSlurmJobs(path), expected);
    QCOMPARE(ui::readSlurmJobs(QString()), QList<ui::SlurmTrialJob>());
    QCOMPARE(ui::readSlurmJobs(dir.filePath("absent.db")), QList<ui::SlurmTrialJob>());
}

void tst_SlurmSection::panelGrabsWithSlurmTables()
{
    ui::DevicesPanel panel;
    panel.slurm()->setBinDir(SEPLAB_FAKE_SLURM_DIR);
    panel.showNoGpu("nvidia-smi is not installed");
    panel.setSlurmJobs({{"t0", "101", "debug"}});
    panel.slurm()->showSinfoOutput("localhost|debug*|idle|2|7900|(null)|7012\n");
    panel.slurm()->showSqueueOutput("101|RUNNING|None|localhost\n");
    QCOMPARE(row(panel.slurm()->jobTable(), 0),
             QStringList({"t0", "101", "RUNNING", "None", "localhost"}));
    const QImage image = testsupport::grabAt(panel, {600, 500});
    QCOMPARE(image.size(), QSize(600, 500));
    QVERIFY(testsupport::distinctColours(image) > 20);
}

QTEST_MAIN(tst_SlurmSection)
#include "tst_slurm_section.moc"
