// `seplab-cli metrics` end to end: WAV files in, JSON out, compared with an independent
// double-precision computation; plus the error policy of the real executable.

#include "audio/io/audio_file.h"
#include "cli/command.h"
#include "seplab_version.h"
#include "support/cli_runner.h"
#include "support/reference_si_sdr.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <iostream>
#include <random>
#include <sstream>

using namespace seplab;

using test::CliResult;
using test::runInProcess;

namespace {

constexpr int kRate = 8000;
constexpr int kLength = 4000;

std::vector<float> randomSignal(std::mt19937 &rng, float scale)
{
    std::normal_distribution<float> normal(0.0f, scale);
    std::vector<float> signal(kLength);
    for (float &sample : signal)
        sample = normal(rng);
    return signal;
}

std::vector<double> toDouble(const std::vector<float> &signal)
{
    return std::vector<double>(signal.begin(), signal.end());
}

} // namespace

class tst_MetricsCommand : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void twoSourcesAgreeWithIndependentComputation();
    void oneSourceUsesPlainConvention();
    void helpDocumentsFlags();
    void badInput_data();
    void badInput();
    void executableReportsErrorsOnStderr();

private:
    QString path(const char *name) const { return m_dir.filePath(name); }

    QTemporaryDir m_dir;
    std::vector<float> m_s1, m_s2, m_e1, m_e2, m_mix;
};

void tst_MetricsCommand::initTestCase()
{
    QVERIFY(m_dir.isValid());
    std::mt19937 rng(1234);
    m_s1 = randomSignal(rng, 0.2f);
    m_s2 = randomSignal(rng, 0.1f);
    const std::vector<float> n1 = randomSignal(rng, 0.05f);
    const std::vector<float> n2 = randomSignal(rng, 0.02f);
    m_e1.resize(kLength);
    m_e2.resize(kLength);
    m_mix.resize(kLength);
    for (int i = 0; i < kLength; ++i) {
        // The estimates come out swapped: e1 is a noisy s2, e2 a noisy, offset s1.
        m_e1[i] = m_s2[i] + n1[i];
        m_e2[i] = 0.7f * m_s1[i] + n2[i] + 0.01f;
        m_mix[i] = m_s1[i] + m_s2[i];
    }
    // Float WAVs store the samples exactly, so the reference below sees the same numbers.
    audio::writeWav(path("s1.wav").toStdString(), m_s1, 1, kRate);
    audio::writeWav(path("s2.wav").toStdString(), m_s2, 1, kRate);
    audio::writeWav(path("e1.wav").toStdString(), m_e1, 1, kRate);
    audio::writeWav(path("e2.wav").toStdString(), m_e2, 1, kRate);
    audio::writeWav(path("mix.wav").toStdString(), m_mix, 1, kRate);
}

void tst_MetricsCommand::twoSourcesAgreeWithIndependentComputation()
{
    const CliResult result = runInProcess({"metrics",
                                           "--ref",
                                           path("s1.wav").toStdString(),
                                           path("s2.wav").toStdString(),
                                           "--est",
                                           path("e1.wav").toStdString(),
                                           path("e2.wav").toStdString(),
                                           "--mix",
                                           path("mix.wav").toStdString()});
    QCOMPARE(result.status, 0);
    QVERIFY2(result.err.empty(), result.err.c_str());
    const QJsonObject json = QJsonDocument::fromJson(QByteArray::fromStdString(result.out)).object();

    using test::referenceSiSdrPlain;
    using test::referenceSiSdrZeroMean;
    const double sdr1 = referenceSiSdrZeroMean(toDouble(m_e2), toDouble(m_s1));
    const double sdr2 = referenceSiSdrZeroMean(toDouble(m_e1), toDouble(m_s2));
    const double eps = std::numeric_limits<double>::epsilon();
    const double mixBaseline = 0.5
                               * (referenceSiSdrPlain(toDouble(m_mix), toDouble(m_s1), eps)
                                  + referenceSiSdrPlain(toDouble(m_mix), toDouble(m_s2), eps));

    QCOMPARE(json["permutation"].toArray(), (QJsonArray{1, 0}));
    const QJsonArray perSource = json["si_sdr_per_source"].toArray();
    QCOMPARE(perSource.size(), 2);
    QVERIFY(std::abs(perSource[0].toDouble() - sdr1) < 1e-4);
    QVERIFY(std::abs(perSource[1].toDouble() - sdr2) < 1e-4);
    QVERIFY(std::abs(json["si_sdr"].toDouble() - 0.5 * (sdr1 + sdr2)) < 1e-4);
    QVERIFY(std::abs(json["si_sdri"].toDouble() - (0.5 * (sdr1 + sdr2) - mixBaseline)) < 1e-4);
    QCOMPARE(json["sources"].toInt(), 2);
    QCOMPARE(json["samples"].toInt(), kLength);
    QCOMPARE(json["sample_rate"].toInt(), kRate);
    QCOMPARE(json["convention"].toString(), QString("pit_zero_mean"));
}

void tst_MetricsCommand::oneSourceUsesPlainConvention()
{
    const CliResult result = runInProcess({"metrics",
                                           "--ref",
                                           path("s1.wav").toStdString(),
                                           "--est",
                                           path("e2.wav").toStdString(),
                                           "--mix",
                                           path("mix.wav").toStdString()});
    QCOMPARE(result.status, 0);
    const QJsonObject json = QJsonDocument::fromJson(QByteArray::fromStdString(result.out)).object();
    const double eps = std::numeric_limits<double>::epsilon();
    const double expected = test::referenceSiSdrPlain(toDouble(m_e2), toDouble(m_s1), eps);
    const double mix = test::referenceSiSdrPlain(toDouble(m_mix), toDouble(m_s1), eps);
    QVERIFY(std::abs(json["si_sdr"].toDouble() - expected) < 1e-4);
    QVERIFY(std::abs(json["si_sdri"].toDouble() - (expected - mix)) < 1e-4);
    QCOMPARE(json["permutation"].toArray(), (QJsonArray{0}));
    QCOMPARE(json["convention"].toString(), QString("plain"));
}

void tst_MetricsCommand::helpDocumentsFlags()
{
    const CliResult result = runInProcess({"metrics", "--help"});
    QCOMPARE(result.status, 0);
    for (const char *flag : {"--ref WAV", "--est WAV", "--mix WAV", "--help"})
        QVERIFY2(result.out.find(flag) != std::string::npos, flag);
}

void tst_MetricsCommand::badInput_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("message");
    const QString s1 = path("s1.wav");
    const QString missing = path("nope.wav");
    QTest::newRow("count mismatch") << QStringList{"metrics", "--ref", s1, s1, "--est", s1} << 2
                                    << "metrics: got 2 reference(s) but 1 estimate(s); give one "
                                       "estimate per reference.\n";
    QTest::newRow("missing ref") << QStringList{
        "metrics",
        "--est",
        s1} << 2 << "metrics: missing required option '--ref' (see 'metrics --help').\n";
    QTest::newRow("missing file") << QStringList{"metrics", "--ref", s1, "--est", missing} << 1
                                  << "seplab-cli metrics: " + missing + ": file does not exist\n";
    QTest::newRow("unknown command") << QStringList{"metricz"} << 2
                                     << "seplab-cli: unknown command 'metricz' (run 'seplab-cli "
                                        "help' for the list).\n";
}

void tst_MetricsCommand::badInput()
{
    QFETCH(QStringList, args);
    QFETCH(int, status);
    QFETCH(QString, message);
    std::vector<std::string> argv;
    for (const QString &arg : args)
        argv.push_back(arg.toStdString());
    const CliResult result = runInProcess(argv);
    QCOMPARE(result.status, status);
    QCOMPARE(QString::fromStdString(result.err), message);
    QVERIFY(result.out.empty());
}

void tst_MetricsCommand::executableReportsErrorsOnStderr()
{
    const QString cli = qEnvironmentVariable("SEPLAB_CLI");
    if (cli.isEmpty())
        QSKIP("SEPLAB_CLI is not set (run through ctest)");
    QProcess process;
    process.start(cli, {"metrics", "--ref", path("absent.wav"), "--est", path("s1.wav")});
    QVERIFY(process.waitForFinished(60000));
    QCOMPARE(process.exitCode(), 1);
    QVERIFY(process.readAllStandardOutput().isEmpty());
    const QString err = QString::fromUtf8(process.readAllStandardError());
    QVERIFY2(err.contains(path("absent.wav")) && err.count('\n') == 1, qPrintable(err));

    QProcess version;
    version.start(cli, {"--version"});
    QVERIFY(version.waitForFinished(60000));
    QCOMPARE(version.exitCode(), 0);
    QVERIFY(version.readAllStandardOutput().startsWith("seplab-cli " SEPLAB_VERSION " (LibTorch "));
}

QTEST_GUILESS_MAIN(tst_MetricsCommand)
#include "tst_metrics_command.moc"
