// `seplab-cli train` as a process: the trial protocol on stdout, SIGTERM ending a run cleanly
// as `stopped` with exit 0 and a loadable last.pt, --resume continuing it to the configured
// epochs, and the error policy for bad command lines.

#include "core/train/checkpoint.h"
#include "support/cli_runner.h"
#include "support/tiny_corpus.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>
#include <nlohmann/json.hpp>

using namespace seplab;

namespace {

std::vector<nlohmann::json> jsonLines(const QByteArray &text)
{
    std::vector<nlohmann::json> events;
    for (const QByteArray &line : text.split('\n')) {
        if (!line.trimmed().isEmpty())
            events.push_back(nlohmann::json::parse(line.toStdString()));
    }
    return events;
}

} // namespace

class tst_TrainCommand : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void badCommandLines_data();
    void badCommandLines();
    void sigtermStopsCleanlyAndResumeFinishes();

private:
    std::string path(const char *name) const { return m_dir.filePath(name).toStdString(); }

    QTemporaryDir m_dir;
    QString m_cli;
};

void tst_TrainCommand::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_cli = qEnvironmentVariable("SEPLAB_CLI");
    QVERIFY2(QFileInfo::exists(m_cli), "SEPLAB_CLI must name the seplab-cli binary");
    test::makeTinyCorpus(path("corpus"));
    std::ofstream(path("tiny.yaml")) << test::tinyTrainingConfig();
}

void tst_TrainCommand::badCommandLines_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("error");
    const QString config = QString::fromStdString(path("tiny.yaml"));
    QTest::newRow("no config") << QStringList{"train"} << 2
                               << "train: give --config YAML (or --resume RUN_DIR).";
    QTest::newRow("unknown key") << QStringList{"train", "--config", config, "--set", "lrr=1"} << 1
                                 << "seplab-cli train: --set 'lrr=1': unknown key 'lrr' (use a "
                                    "dotted path such as training.lr or "
                                    "a sweep name such as lr, batch_size, dropout).";
    QTest::newRow("not a run") << QStringList{"train",
                                              "--resume",
                                              QString::fromStdString(path("corpus"))}
                               << 1
                               << QString::fromStdString(
                                      "seplab-cli train: " + path("corpus")
                                      + ": not a run folder (no config.yaml in it).");
    QTest::newRow("no corpus") << QStringList{"train",
                                              "--config",
                                              config,
                                              "--data",
                                              QString::fromStdString(path("none"))}
                               << 1;
}

void tst_TrainCommand::badCommandLines()
{
    QFETCH(QStringList, args);
    QFETCH(int, status);
    std::vector<std::string> argv;
    for (const QString &arg : args)
        argv.push_back(arg.toStdString());
    const test::CliResult result = test::runInProcess(argv);
    QCOMPARE(result.status, status);
    QVERIFY(result.out.empty());
    // One sentence on one line.
    QCOMPARE(std::count(result.err.begin(), result.err.end(), '\n'), std::ptrdiff_t(1));
    if (QTest::currentDataTag() != QByteArray("no corpus")) {
        QFETCH(QString, error);
        QCOMPARE(QString::fromStdString(result.err).trimmed(), error);
    } else {
        QVERIFY2(result.err.find(path("none")) != std::string::npos, result.err.c_str());
    }
}

void tst_TrainCommand::sigtermStopsCleanlyAndResumeFinishes()
{
    const QString runDir = QString::fromStdString(path("run"));
    QProcess train;
    train.start(m_cli,
                {"train",
                 "--config",
                 QString::fromStdString(path("tiny.yaml")),
                 "--data",
                 QString::fromStdString(path("corpus")),
                 "--run-dir",
                 runDir,
                 "--set",
                 "num_epochs=500"});
    QVERIFY(train.waitForStarted());
    // Wait until one epoch is done, so that the signal lands in the middle of training.
    QByteArray out;
    while (!out.contains("\"event\":\"epoch\"")) {
        QVERIFY2(train.waitForReadyRead(60000), "no epoch event within a minute");
        out += train.readAllStandardOutput();
    }
    train.terminate(); // SIGTERM
    QVERIFY(train.waitForFinished(60000));
    out += train.readAllStandardOutput();
    QCOMPARE(train.exitStatus(), QProcess::NormalExit);
    QCOMPARE(train.exitCode(), 0);

    const std::vector<nlohmann::json> events = jsonLines(out);
    QCOMPARE(events.front().at("event").get<std::string>(), std::string("start"));
    const nlohmann::json &end = events.back();
    QCOMPARE(end.at("event").get<std::string>(), std::string("end"));
    QCOMPARE(end.at("status").get<std::string>(), std::string("stopped"));
    const int completed = end.at("epochs").get<int>();
    QVERIFY(completed >= 1 && completed < 500);
    // The last `last` checkpoint event is of the final state, and the file loads.
    nlohmann::json lastCheckpoint;
    for (const nlohmann::json &event : events) {
        if (event.at("event") == "checkpoint" && event.at("kind") == "last")
            lastCheckpoint = event;
    }
    QCOMPARE(lastCheckpoint.at("epoch").get<int>(), completed);
    QCOMPARE(lastCheckpoint.at("path").get<std::string>(), path("run/checkpoints/last.pt"));
    const train::ModelCheckpoint loaded = train::loadModelCheckpoint(
        path("run/checkpoints/last.pt"));
    QCOMPARE(loaded.meta.modelType, std::string("dprnn"));
    QCOMPARE(loaded.meta.trainerState.at("epochs_completed").get<int>(), completed);

    // --resume continues to the configured total: one more epoch here.
    QProcess resume;
    resume.start(m_cli,
                 {"train",
                  "--resume",
                  runDir,
                  "--set",
                  "num_epochs=" + QString::number(completed + 1)});
    QVERIFY(resume.waitForFinished(120000));
    QCOMPARE(resume.exitCode(), 0);
    const std::vector<nlohmann::json> resumed = jsonLines(resume.readAllStandardOutput());
    QCOMPARE(resumed.front().at("resumed_from_epoch").get<int>(), completed);
    QCOMPARE(resumed.back().at("status").get<std::string>(), std::string("finished"));
    QCOMPARE(resumed.back().at("epochs").get<int>(), completed + 1);
    int epochEvents = 0;
    for (const nlohmann::json &event : resumed) {
        if (event.at("event") == "epoch") {
            ++epochEvents;
            QCOMPARE(event.at("epoch").get<int>(), completed + 1);
        }
    }
    QCOMPARE(epochEvents, 1);
    // events.jsonl holds both processes' lines: two starts, two ends.
    std::ifstream file(path("run/events.jsonl"));
    int starts = 0, ends = 0;
    for (std::string line; std::getline(file, line);) {
        const nlohmann::json event = nlohmann::json::parse(line);
        starts += event.at("event") == "start";
        ends += event.at("event") == "end";
    }
    QCOMPARE(starts, 2);
    QCOMPARE(ends, 2);
}

QTEST_GUILESS_MAIN(tst_TrainCommand)
#include "tst_train_command.moc"
