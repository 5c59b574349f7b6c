// Tests the declarative parser behind every seplab-cli command.

#include "cli/arg_parser.h"

#include <QtTest>

using seplab::cli::ArgParser;
using seplab::cli::UsageError;

namespace {

ArgParser makeParser()
{
    ArgParser parser("demo", "A demo command.");
    parser.addFlag("verbose", "Say more.");
    parser.addOption("rate", "HZ", "Sample rate.", "8000");
    parser.addOption("out", "DIR", "Output folder.", {}, true);
    parser.addListOption("ref", "WAV", "References.");
    parser.addPositional("input", "The input file.", false);
    return parser;
}

QString usageErrorOf(const std::vector<std::string> &args)
{
    ArgParser parser = makeParser();
    try {
        parser.parse(args);
    } catch (const UsageError &error) {
        return QString::fromStdString(error.what());
    }
    return {};
}

} // namespace

class tst_ArgParser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parsesEveryKind();
    void defaultsApply();
    void listOptionRepeatsAndStopsAtNextOption();
    void negativeNumbersAreValues();
    void helpSkipsRequiredChecks();
    void helpListsEveryOption();
    void errors_data();
    void errors();
    void numericConversion();
};

void tst_ArgParser::parsesEveryKind()
{
    ArgParser parser = makeParser();
    QVERIFY(parser.parse(
        {"in.wav", "--verbose", "--rate", "16000", "--out=/tmp/x", "--ref", "a.wav", "b.wav"}));
    QVERIFY(parser.has("verbose"));
    QCOMPARE(parser.value("rate"), std::string("16000"));
    QCOMPARE(parser.intValue("rate"), 16000);
    QCOMPARE(parser.value("out"), std::string("/tmp/x"));
    QCOMPARE(parser.values("ref"), (std::vector<std::string>{"a.wav", "b.wav"}));
    QCOMPARE(parser.value("input"), std::string("in.wav"));
}

void tst_ArgParser::defaultsApply()
{
    ArgParser parser = makeParser();
    QVERIFY(parser.parse({"--out", "o"}));
    QVERIFY(!parser.has("rate"));
    QCOMPARE(parser.value("rate"), std::string("8000"));
    QVERIFY(!parser.has("verbose"));
    QVERIFY(parser.values("ref").empty());
    QVERIFY(!parser.has("input"));
}

void tst_ArgParser::listOptionRepeatsAndStopsAtNextOption()
{
    ArgParser parser = makeParser();
    QVERIFY(parser.parse({"--ref", "a", "b", "--out", "o", "--ref=c", "--ref", "d"}));
    QCOMPARE(parser.values("ref"), (std::vector<std::string>{"a", "b", "c", "d"}));
    QCOMPARE(parser.value("out"), std::string("o"));
}

void tst_ArgParser::negativeNumbersAreValues()
{
    ArgParser parser("demo", "x");
    parser.addOption("gain", "DB", "Gain.");
    QVERIFY(parser.parse({"--gain", "-3.5"}));
    QCOMPARE(parser.doubleValue("gain"), -3.5);
}

void tst_ArgParser::helpSkipsRequiredChecks()
{
    ArgParser parser = makeParser();
    QVERIFY(!parser.parse({"--help"}));
    QVERIFY(!parser.parse({"-h"}));
}

void tst_ArgParser::helpListsEveryOption()
{
    const QString help = QString::fromStdString(makeParser().help());
    QVERIFY(help.startsWith("usage: seplab-cli demo [input] [options]"));
    for (const char *needle : {"--verbose",
                               "--rate HZ",
                               "(default: 8000)",
                               "--out DIR",
                               "(required)",
                               "--ref WAV [WAV ...]",
                               "--help",
                               "A demo command."})
        QVERIFY2(help.contains(needle), needle);
}

void tst_ArgParser::errors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("unknown option") << QStringList{"--out", "o", "--bogus"}
                                    << "demo: unknown option '--bogus' (see 'demo --help').";
    QTest::newRow("missing value")
        << QStringList{"--out"} << "demo: option '--out' needs a value (DIR).";
    QTest::newRow("value before option")
        << QStringList{"--rate", "--out", "o"} << "demo: option '--rate' needs a value (HZ).";
    QTest::newRow("missing required")
        << QStringList{"--rate", "1"}
        << "demo: missing required option '--out' (see 'demo --help').";
    QTest::newRow("flag with value")
        << QStringList{"--out", "o", "--verbose=1"} << "demo: option '--verbose' takes no value.";
    QTest::newRow("empty list") << QStringList{"--out", "o", "--ref"}
                                << "demo: option '--ref' needs at least one WAV.";
    QTest::newRow("extra positional")
        << QStringList{"a", "b", "--out", "o"} << "demo: unexpected argument 'b'.";
}

void tst_ArgParser::errors()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    std::vector<std::string> argv;
    for (const QString &arg : args)
        argv.push_back(arg.toStdString());
    QCOMPARE(usageErrorOf(argv), message);
}

void tst_ArgParser::numericConversion()
{
    ArgParser parser = makeParser();
    QVERIFY(parser.parse({"--out", "o", "--rate", "8k"}));
    try {
        parser.intValue("rate");
        QFAIL("8k was accepted as an integer");
    } catch (const UsageError &error) {
        QCOMPARE(QString(error.what()),
                 QString("demo: option '--rate' expects an integer, got '8k'."));
    }
}

QTEST_GUILESS_MAIN(tst_ArgParser)
#include "tst_arg_parser.moc"
