// W&B sweep files written back: every one of the users' sweeps survives
// parse -> wandbYamlFromSweep -> parse with the same parameters, method, metric, early
// termination, program and cap, and the written text is what W&B's schema accepts (no `count`).

#include "core/sweep/search_space.h"
#include "core/sweep/sweep_writer.h"

#include <QDir>
#include <QtTest>

#include <fstream>
#include <sstream>

using namespace seplab::sweep;
using nlohmann::json;

class tst_SweepWriter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void usersSweepsRoundTrip_data();
    void usersSweepsRoundTrip();
    void countBecomesRunCap();
    void headerIsAComment();
};

namespace {

std::string readFile(const QString &path)
{
    std::ifstream in(path.toStdString());
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

json earlyJson(const SweepConfig &sweep)
{
    return sweep.earlyTerminate ? earlyTerminateJson(*sweep.earlyTerminate) : json();
}

} // namespace

void tst_SweepWriter::usersSweepsRoundTrip_data()
{
    QTest::addColumn<QString>("path");
    const QDir dir(QStringLiteral(SEPLAB_EXAMPLES_DIR "/wandb-sweeps"));
    const QStringList files = dir.entryList({"*.yaml"}, QDir::Files, QDir::Name);
    QCOMPARE(files.size(), 7);
    for (const QString &file : files)
        QTest::newRow(qPrintable(file)) << dir.filePath(file);
}

void tst_SweepWriter::usersSweepsRoundTrip()
{
    QFETCH(QString, path);
    const SweepConfig original = parseSweepConfig(readFile(path), path.toStdString());
    const std::string written = wandbYamlFromSweep(original);
    const SweepConfig again = parseSweepConfig(written, "written");
    QCOMPARE(again.parameters.toJson(), original.parameters.toJson());
    QCOMPARE(again.method, original.method);
    QCOMPARE(again.program, original.program);
    QCOMPARE(again.command, original.command);
    QCOMPARE(again.name, original.name);
    QCOMPARE(bool(again.metric), bool(original.metric));
    if (original.metric)
        QCOMPARE(metricJson(*again.metric), metricJson(*original.metric));
    QCOMPARE(earlyJson(again), earlyJson(original));
    QCOMPARE(again.other, original.other);
    QVERIFY(written.find("\ncount:") == std::string::npos);
}

void tst_SweepWriter::countBecomesRunCap()
{
    const SweepConfig sweep = parseSweepConfig("method: random\n"
                                               "count: 12\n"
                                               "parameters:\n"
                                               "  lr: {min: 0.001, max: 0.1}\n",
                                               "s.yaml");
    const SweepConfig again = parseSweepConfig(wandbYamlFromSweep(sweep), "written");
    QCOMPARE(again.runCap.value_or(-1), std::int64_t(12));
    QVERIFY(!again.count);
}

void tst_SweepWriter::headerIsAComment()
{
    const SweepConfig sweep = parseSweepConfig("method: grid\n"
                                               "parameters:\n"
                                               "  batch_size: {values: [2, 4]}\n",
                                               "s.yaml");
    const std::string text = wandbYamlFromSweep(sweep, "edited in SepLab");
    QCOMPARE(text.substr(0, 19), std::string("# edited in SepLab\n"));
    QCOMPARE(parseSweepConfig(text, "t").parameters.toJson(),
             json({{"batch_size", {{"distribution", "categorical"}, {"values", {2, 4}}}}}));
}

QTEST_APPLESS_MAIN(tst_SweepWriter)
#include "tst_sweep_writer.moc"
