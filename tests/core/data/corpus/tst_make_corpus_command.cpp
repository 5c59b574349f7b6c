// `seplab-cli make-corpus` in-process: the error policy for bad arguments, a missing espeak-ng,
// and a small successful run (one summary line on stdout, the progress bar on stderr).

#include "cli/command.h"
#include "core/data/corpus/subprocess.h"
#include "support/cli_runner.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QtTest>

#include <iostream>
#include <sstream>

using namespace seplab;

using test::CliResult;
using test::runInProcess;

namespace {

int lineCount(const std::string &text)
{
    return int(std::count(text.begin(), text.end(), '\n'));
}

} // namespace

class tst_MakeCorpusCommand : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void helpDocumentsFlags();
    void badArguments_data();
    void badArguments();
    void refusesNonEmptyFolder();
    void missingEspeakIsOneSentence();
    void smallRunPrintsOneSummaryLine();

private:
    std::string path(const char *name) const { return m_dir.filePath(name).toStdString(); }

    QTemporaryDir m_dir;
};

void tst_MakeCorpusCommand::initTestCase()
{
    QVERIFY(m_dir.isValid());
}

void tst_MakeCorpusCommand::helpDocumentsFlags()
{
    const CliResult result = runInProcess({"make-corpus", "--help"});
    QCOMPARE(result.status, 0);
    for (const char *flag : {"--out",
                             "--train",
                             "--val",
                             "--test",
                             "--seconds",
                             "--rate",
                             "--seed",
                             "--sentences",
                             "--force",
                             "espeak-ng"})
        QVERIFY2(result.out.find(flag) != std::string::npos, flag);
}

void tst_MakeCorpusCommand::badArguments_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("negative train")
        << QStringList{"--train", "-3"} << "make-corpus: --train must be 0 or more, not -3.";
    QTest::newRow("negative test")
        << QStringList{"--test=-1"} << "make-corpus: --test must be 0 or more, not -1.";
    QTest::newRow("zero seconds") << QStringList{"--seconds", "0"}
                                  << "make-corpus: --seconds must be above 0 and at most 600.";
    QTest::newRow("rate too low") << QStringList{
        "--rate", "100"} << "make-corpus: --rate must be between 4000 and 48000 Hz, not 100.";
    QTest::newRow("rate not a number")
        << QStringList{"--rate", "fast"}
        << "make-corpus: option '--rate' expects an integer, got 'fast'.";
    QTest::newRow("negative seed")
        << QStringList{"--seed", "-1"}
        << "make-corpus: --seed expects a non-negative integer, got '-1'.";
    QTest::newRow("negative sentences")
        << QStringList{"--sentences", "-2"}
        << "make-corpus: --sentences must be 0 (all) or more, not -2.";
    QTest::newRow("no out") << QStringList{"--train", "1", "--out"}
                            << "make-corpus: option '--out' needs a value (DIR).";
}

void tst_MakeCorpusCommand::badArguments()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    std::vector<std::string> argv = {"make-corpus"};
    if (!args.contains("--out"))
        argv.insert(argv.end(), {"--out", path("bad")});
    for (const QString &arg : args)
        argv.push_back(arg.toStdString());
    const CliResult result = runInProcess(argv);
    QCOMPARE(result.status, 2);
    QCOMPARE(QString::fromStdString(result.err), message + "\n");
    QVERIFY(result.out.empty());
    QVERIFY(!QFileInfo::exists(m_dir.filePath("bad")));
}

void tst_MakeCorpusCommand::refusesNonEmptyFolder()
{
    QVERIFY(QDir().mkpath(m_dir.filePath("full")));
    QFile file(m_dir.filePath("full/keep.txt"));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("keep");
    file.close();
    const CliResult result = runInProcess({"make-corpus", "--out", path("full")});
    QCOMPARE(result.status, 2);
    QCOMPARE(QString::fromStdString(result.err),
             QString("make-corpus: the output folder %1 is not empty (pass --force to overwrite "
                     "the corpus in it).\n")
                 .arg(m_dir.filePath("full")));
    const QDir full(m_dir.filePath("full"));
    QCOMPARE(full.entryList(QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot),
             QStringList{"keep.txt"});
}

void tst_MakeCorpusCommand::missingEspeakIsOneSentence()
{
    const QByteArray oldPath = qgetenv("PATH");
    qputenv("PATH", m_dir.path().toUtf8()); // a folder without espeak-ng
    const CliResult result = runInProcess({"make-corpus", "--out", path("noespeak")});
    qputenv("PATH", oldPath);
    QCOMPARE(result.status, 1);
    QCOMPARE(QString::fromStdString(result.err),
             QString("seplab-cli make-corpus: espeak-ng is not installed (apt-get install "
                     "espeak-ng).\n"));
    QVERIFY(!QFileInfo::exists(m_dir.filePath("noespeak")));
}

void tst_MakeCorpusCommand::smallRunPrintsOneSummaryLine()
{
    if (data::corpus::findOnPath("espeak-ng").empty())
        QSKIP("espeak-ng is not installed (apt-get install espeak-ng)");
    const CliResult result = runInProcess({"make-corpus",
                                           "--out",
                                           path("small"),
                                           "--train",
                                           "3",
                                           "--val",
                                           "1",
                                           "--test=0",
                                           "--seconds",
                                           "0.5",
                                           "--rate",
                                           "16000",
                                           "--seed",
                                           "18446744073709551615",
                                           "--sentences",
                                           "3"});
    QVERIFY2(result.status == 0, result.err.c_str());
    QCOMPARE(lineCount(result.out), 1);
    QVERIFY2(result.out.rfind("make-corpus: wrote " + path("small")
                                  + " (train 3, val 1, test 0 rows; ",
                              0)
                 == 0,
             result.out.c_str());
    QVERIFY(result.out.find(" indoor, ") != std::string::npos);
    QVERIFY(result.out.find("12 speakers) in ") != std::string::npos);
    // The progress bar redraws in place on stderr and ends with the full bar.
    QVERIFY2(result.err.find("\r[") != std::string::npos, result.err.c_str());
    QVERIFY2(result.err.find("] 4/4 rows") != std::string::npos, result.err.c_str());
    QVERIFY(QFileInfo::exists(m_dir.filePath("small/train/corpus_small_train_final.csv")));
    QVERIFY(QFileInfo::exists(m_dir.filePath("small/test/corpus_small_test_final.csv")));

    // The same command again is refused: the folder is no longer empty.
    QCOMPARE(runInProcess({"make-corpus", "--out", path("small")}).status, 2);
}

QTEST_GUILESS_MAIN(tst_MakeCorpusCommand)
#include "tst_make_corpus_command.moc"
