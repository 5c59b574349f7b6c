// The corpus check (checkPolsessCorpus) and `seplab-cli check-data`: each kind of problem is
// found and reported with the CSV, the row's line and the file; a clean corpus passes with the
// right counts.

#include "cli/command.h"
#include "core/data/data_check.h"
#include "polsess_fixture.h"
#include "support/cli_runner.h"

#include <QTemporaryDir>
#include <QTest>

#include <iostream>
#include <sstream>

using namespace seplab;
using namespace seplab::data;
using seplab::test::PolsessFixture;

using test::CliResult;
using test::runInProcess;

namespace {

QString lines(const std::vector<std::string> &messages)
{
    QStringList out;
    for (const std::string &message : messages)
        out << QString::fromStdString(message);
    return out.join(QLatin1Char('\n'));
}

} // namespace

class tst_DataCheck : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanCorpusPasses();
    void eachProblemIsReported();
    void quickModeSkipsSampleScan();
    void missingSplits();
    void missingManifestAndRoot();
    void cliExitStatus();
    void cliHelpAndUsage();

private:
    QTemporaryDir m_dir;
    PolsessFixture m_clean{QString()};
    PolsessFixture m_broken{QString()};
    // Paths of the broken corpus's files, for the expected messages.
    std::string m_brokenCsv;
};

void tst_DataCheck::initTestCase()
{
    QVERIFY(m_dir.isValid());

    // Clean: train 3 indoor + 2 outdoor, val 1 + 1, no test folder.
    m_clean = PolsessFixture(m_dir.filePath("clean"), "PolSESS_Clean");
    m_clean.addRow("train", "t0", true);
    m_clean.addRow("train", "t1", false);
    m_clean.addRow("train", "t2", true);
    m_clean.addRow("train", "t3", true);
    m_clean.addRow("train", "t4", false);
    m_clean.writeCsv("train");
    m_clean.addRow("val", "v0", true);
    m_clean.addRow("val", "v1", false);
    m_clean.writeCsv("val");

    // Broken: one problem per row, lines 2 to 9.
    PolsessFixture &f = m_broken;
    f = PolsessFixture(m_dir.filePath("broken"), "PolSESS_Broken");
    f.addRow("train", "ok", true);       // line 2
    f.addRow("train", "noscene", false); // line 3: scene file missing
    f.addRow("train", "rate", true);     // line 4: event at 16 kHz
    f.addRow("train", "short", true);    // line 5: speaker 1 reverb 40 samples
    f.addRow("train", "stereo", false);  // line 6: speaker 2 in stereo
    f.addRow("train", "nan", false);     // line 7: NaN in speaker 1
    f.addLine("train", "ok.wav,x_s1.wav,x_s2.wav,x.wav,x.wav,,,"); // line 8: mixFile again
    f.addLine("train", "bad.wav,a.wav,b.wav,,e.wav,,,");           // line 9: no sceneFile
    f.writeCsv("train");
    PolsessFixture::writeConstant(f.file("train", "clean", "x_s1.wav"), 0.5f, 64, 8000);
    PolsessFixture::writeConstant(f.file("train", "clean", "x_s2.wav"), 0.2f, 64, 8000);
    PolsessFixture::writeConstant(f.file("train", "scene", "x.wav"), 0.1f, 64, 8000);
    PolsessFixture::writeConstant(f.file("train", "event", "x.wav"), 0.05f, 64, 8000);
    QVERIFY(QFile::remove(QString::fromStdString(f.file("train", "scene", "noscene.wav"))));
    PolsessFixture::writeConstant(f.file("train", "event", "rate.wav"), 0.05f, 64, 16000);
    PolsessFixture::writeConstant(f.file("train", "sp1_reverb", "short.wav"), 0.03f, 40, 8000);
    PolsessFixture::writeConstant(f.file("train", "clean", "stereo_s2.wav"), 0.2f, 64, 8000, 2);
    PolsessFixture::writeWithNan(f.file("train", "clean", "nan_s1.wav"), 64, 10);
    m_brokenCsv = f.csvPath("train");
}

void tst_DataCheck::cleanCorpusPasses()
{
    const DataCheckReport report = checkPolsessCorpus(m_clean.root());
    QVERIFY2(report.ok(), qPrintable(lines(report.errors)));
    QCOMPARE(int(report.splits.size()), 3);
    QCOMPARE(report.splits[0].split, std::string("train"));
    QCOMPARE(int(report.splits[0].rows), 5);
    QCOMPARE(int(report.splits[0].indoor), 3);
    QCOMPARE(int(report.splits[0].outdoor), 2);
    QCOMPARE(int(report.splits[0].badRows), 0);
    QCOMPARE(report.splits[0].sampleRate, 8000);
    QCOMPARE(int(report.splits[1].rows), 2);
    QCOMPARE(int(report.splits[1].indoor), 1);
    QCOMPARE(int(report.splits[1].outdoor), 1);
    QVERIFY(!report.splits[2].present);
    QCOMPARE(lines(report.warnings),
             QString::fromStdString(m_clean.root() + "/test: split folder 'test' does not exist."));
    QCOMPARE(QString::fromStdString(dataCheckSummary(report)),
             QString::fromStdString("PolSESS corpus " + m_clean.root()
                                    + "\n"
                                      "  train: 5 rows (3 indoor, 2 outdoor), 8000 Hz, 64 samples "
                                      "each\n"
                                      "  val: 2 rows (1 indoor, 1 outdoor), 8000 Hz, 64 samples "
                                      "each\n"
                                      "  test: missing\n"
                                      "0 errors, 1 warning: the corpus is ready.\n"));
}

void tst_DataCheck::eachProblemIsReported()
{
    const PolsessFixture &f = m_broken;
    const DataCheckReport report = checkPolsessCorpus(f.root(), {"train"});
    const std::string csv = m_brokenCsv;
    QCOMPARE(int(report.errors.size()), 7);
    // Malformed rows come first (they are found while reading the CSV), then the file checks
    // in row order.
    QCOMPARE(QString::fromStdString(report.errors[0]),
             QString::fromStdString(csv + " line 9: column 'sceneFile' is empty."));
    QCOMPARE(QString::fromStdString(report.errors[1]),
             QString::fromStdString(csv + " line 3: sceneFile: "
                                    + f.file("train", "scene", "noscene.wav")
                                    + ": file does not exist."));
    QCOMPARE(QString::fromStdString(report.errors[2]),
             QString::fromStdString(csv
                                    + " line 4: eventFile: " + f.file("train", "event", "rate.wav")
                                    + " is sampled at 16000 Hz but the mixture "
                                    + f.file("train", "mix", "rate.wav") + " at 8000 Hz."));
    QCOMPARE(QString::fromStdString(report.errors[3]),
             QString::fromStdString(csv + " line 5: reverbForSpeaker1: "
                                    + f.file("train", "sp1_reverb", "short.wav")
                                    + " has 40 samples but the mixture "
                                    + f.file("train", "mix", "short.wav") + " has 64."));
    QCOMPARE(QString::fromStdString(report.errors[4]),
             QString::fromStdString(csv + " line 6: speaker2File: "
                                    + f.file("train", "clean", "stereo_s2.wav")
                                    + " has 2 channels; PolSESS layers must be mono, or the "
                                      "loader's downmix would break the MM-IPC subtraction."));
    QCOMPARE(QString::fromStdString(report.errors[5]),
             QString::fromStdString(csv + " line 7: speaker1File: "
                                    + f.file("train", "clean", "nan_s1.wav")
                                    + ": sample 10 of channel 0 is NaN."));
    QCOMPARE(QString::fromStdString(report.errors[6]),
             QString::fromStdString(csv + " line 8: mixFile " + f.file("train", "mix", "ok.wav")
                                    + " repeats line 2; every mixture must appear once."));

    QCOMPARE(int(report.splits.size()), 1);
    const SplitSummary &train = report.splits[0];
    QCOMPARE(int(train.rows), 7); // line 9 never became a row
    QCOMPARE(int(train.indoor), 3);
    QCOMPARE(int(train.outdoor), 4);
    QCOMPARE(int(train.badRows), 7);
    QVERIFY(report.warnings.empty());
}

void tst_DataCheck::quickModeSkipsSampleScan()
{
    DataCheckOptions options;
    options.scanSamples = false;
    const DataCheckReport report = checkPolsessCorpus(m_broken.root(), {"train"}, options);
    QCOMPARE(int(report.errors.size()), 6);
    QVERIFY(!lines(report.errors).contains("NaN"));
    QVERIFY(lines(report.errors).contains("has 2 channels"));
}

void tst_DataCheck::missingSplits()
{
    // Asked for by name, a missing split is an error.
    const DataCheckReport report = checkPolsessCorpus(m_clean.root(), {"train", "test"});
    QCOMPARE(lines(report.errors),
             QString::fromStdString(m_clean.root() + "/test: split folder 'test' does not exist."));
    QVERIFY(report.warnings.empty());

    // A folder with none of the default splits is not a corpus.
    QTemporaryDir empty;
    const DataCheckReport none = checkPolsessCorpus(empty.path().toStdString());
    QCOMPARE(QString::fromStdString(none.errors.back()),
             empty.path() + ": no train, val or test folder; this is not a PolSESS corpus root.");
    QCOMPARE(int(none.warnings.size()), 3);
}

void tst_DataCheck::missingManifestAndRoot()
{
    PolsessFixture f(m_dir.filePath("nomanifest"), "NoCsv");
    f.addRow("train", "a", true); // files, but writeCsv never called
    const DataCheckReport report = checkPolsessCorpus(f.root(), {"train"});
    QCOMPARE(lines(report.errors),
             QString::fromStdString(f.csvPath("train")
                                    + ": the PolSESS manifest of split 'train' does not exist "
                                      "(expected corpus_<root folder name>_train_final.csv in "
                                    + f.splitDir("train") + ")."));

    PolsessFixture headerOnly(m_dir.filePath("headeronly"), "Empty");
    headerOnly.writeCsv("val");
    QCOMPARE(lines(checkPolsessCorpus(headerOnly.root(), {"val"}).errors),
             QString::fromStdString(headerOnly.csvPath("val")
                                    + ": the manifest has a header but no rows."));

    const std::string nowhere = m_dir.filePath("does-not-exist").toStdString();
    QCOMPARE(lines(checkPolsessCorpus(nowhere).errors),
             QString::fromStdString(nowhere + ": the PolSESS corpus folder does not exist."));
}

void tst_DataCheck::cliExitStatus()
{
    const CliResult clean = runInProcess({"check-data", m_clean.root()});
    QCOMPARE(clean.status, 0);
    QVERIFY2(QString::fromStdString(clean.out).contains(
                 "  train: 5 rows (3 indoor, 2 outdoor), 8000 Hz, 64 samples each\n"),
             clean.out.c_str());
    QCOMPARE(QString::fromStdString(clean.err),
             QString::fromStdString("warning: " + m_clean.root()
                                    + "/test: split folder 'test' does not exist.\n"));

    const CliResult broken = runInProcess({"check-data", m_broken.root(), "--split", "train"});
    QCOMPARE(broken.status, 1);
    QVERIFY(QString::fromStdString(broken.out).contains("7 errors, 0 warnings."));
    const QStringList errLines = QString::fromStdString(broken.err).split('\n', Qt::SkipEmptyParts);
    QCOMPARE(errLines.size(), 7);
    QCOMPARE(errLines[0],
             QString::fromStdString("error: " + m_brokenCsv
                                    + " line 9: column 'sceneFile' is empty."));
    QVERIFY(errLines[5].startsWith(QString::fromStdString("error: " + m_brokenCsv + " line 7: ")));

    const std::string root = m_clean.root();
    const CliResult missing = runInProcess({"check-data", root, "--split", "val", "test"});
    QCOMPARE(missing.status, 1);
    QCOMPARE(QString::fromStdString(missing.err),
             QString::fromStdString("error: " + m_clean.root()
                                    + "/test: split folder 'test' does not exist.\n"));

    const CliResult quick = runInProcess(
        {"check-data", m_broken.root(), "--split", "train", "--quick"});
    QCOMPARE(quick.status, 1);
    QVERIFY(QString::fromStdString(quick.out).contains("6 errors, 0 warnings."));
}

void tst_DataCheck::cliHelpAndUsage()
{
    const CliResult help = runInProcess({"check-data", "--help"});
    QCOMPARE(help.status, 0);
    QVERIFY(QString::fromStdString(help.out).contains("--split"));
    QVERIFY(QString::fromStdString(help.out).contains("--quick"));
    const CliResult usage = runInProcess({"check-data"});
    QCOMPARE(usage.status, 2);
    QVERIFY(!usage.err.empty());
}

QTEST_GUILESS_MAIN(tst_DataCheck)
#include "tst_data_check.moc"
