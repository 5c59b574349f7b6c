// The planner's background benchmark: samples_per_s read from `bench train`'s JSON line, a run
// that reports it, one that fails (its last stderr line is the problem), and a program that
// cannot start. Stand-in programs print the lines; nothing is timed.

#include "ui/planner/bench_runner.h"

#include <QSignalSpy>
#include <QtTest>

using seplab::ui::BenchRunner;

class tst_BenchRunner : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parsesSamplesPerSecond();
    void reportsTheRate();
    void reportsAFailure();
    void reportsAProgramThatCannotStart();
};

void tst_BenchRunner::parsesSamplesPerSecond()
{
    QCOMPARE(BenchRunner::samplesPerSecond("{\"benchmark\":\"train\",\"samples_per_s\":12.5}\n"),
             std::optional<double>(12.5));
    // The last train line wins; other benchmarks and other text are skipped.
    QCOMPARE(BenchRunner::samplesPerSecond("note\n{\"benchmark\":\"train\",\"samples_per_s\":3}\n"
                                           "{\"benchmark\":\"separate\",\"samples_per_s\":9}\n"
                                           "{\"benchmark\":\"train\",\"samples_per_s\":4}\n"),
             std::optional<double>(4.0));
    QVERIFY(!BenchRunner::samplesPerSecond("{\"benchmark\":\"train\",\"samples_per_s\":0}\n"));
    QVERIFY(!BenchRunner::samplesPerSecond(""));
}

void tst_BenchRunner::reportsTheRate()
{
    BenchRunner runner;
    QSignalSpy finished(&runner, &BenchRunner::finished);
    runner.start("/bin/sh", {"-c", "echo '{\"benchmark\": \"train\", \"samples_per_s\": 64.0}'"});
    QVERIFY(finished.wait(60000));
    QCOMPARE(finished.first().first().toDouble(), 64.0);
    QVERIFY(!runner.isRunning());
}

void tst_BenchRunner::reportsAFailure()
{
    BenchRunner runner;
    QSignalSpy failed(&runner, &BenchRunner::failed);
    runner.start("/bin/sh", {"-c", "echo first >&2; echo 'bench train: no such model' >&2; exit 1"});
    QVERIFY(failed.wait(60000));
    QCOMPARE(failed.first().first().toString(), QString("bench train: no such model"));
}

void tst_BenchRunner::reportsAProgramThatCannotStart()
{
    BenchRunner runner;
    QSignalSpy failed(&runner, &BenchRunner::failed);
    runner.start("/nonexistent/seplab-cli", {"bench", "train"});
    QVERIFY(failed.wait(60000) || failed.count() == 1);
    QVERIFY(
        failed.first().first().toString().startsWith("could not start /nonexistent/seplab-cli"));
}

QTEST_MAIN(tst_BenchRunner)
#include "tst_bench_runner.moc"
