// Trial stdout lines (DESIGN.md "Trial protocol"): protocol events, W&B-agent-style name=value
// metrics with exact values (non-finite included), and everything else as text.

#include "core/exec/trial_line.h"

#include <QtTest>

#include <cmath>

using namespace seplab::exec;
using nlohmann::json;
using Kind = TrialLine::Kind;

class tst_TrialLine : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void protocolEventsAreEvents();
    void jsonWithoutEventIsText();
    void nameValueLinesAreMetrics();
    void nonFiniteValuesAreMetrics();
    void junkIsText();
};

void tst_TrialLine::protocolEventsAreEvents()
{
    const std::string text = R"({"event": "epoch", "epoch": 2, "val_sisdr": 7.5, "lr": 0.001})";
    const TrialLine line = parseTrialLine(text);
    QCOMPARE(line.kind, Kind::Event);
    QCOMPARE(line.payload, json::parse(text));
    QCOMPARE(line.text, text);

    const TrialLine end = parseTrialLine("  {\"event\":\"end\",\"status\":\"finished\"}\r");
    QCOMPARE(end.kind, Kind::Event);
    QCOMPARE(end.payload.at("status"), json("finished"));
    QCOMPARE(end.text, std::string("  {\"event\":\"end\",\"status\":\"finished\"}\r"));
}

void tst_TrialLine::jsonWithoutEventIsText()
{
    for (const char *text : {R"({"epoch": 3, "val_sisdr": 1.0})",
                             R"({"event": 3})",
                             "[1, 2]",
                             R"({"event": "start")",
                             "{a=1}"}) {
        const TrialLine line = parseTrialLine(text);
        QCOMPARE(line.kind, Kind::Text);
        QVERIFY(line.payload.is_null());
        QCOMPARE(line.text, std::string(text));
    }
}

void tst_TrialLine::nameValueLinesAreMetrics()
{
    const TrialLine line = parseTrialLine("epoch=3 val_sisdr=-1.25");
    QCOMPARE(line.kind, Kind::Metrics);
    QCOMPARE(line.payload, json({{"epoch", 3.0}, {"val_sisdr", -1.25}}));
    QCOMPARE(line.text, std::string("epoch=3 val_sisdr=-1.25"));

    // Commas and tabs separate too; names may hold . / - ; exponents and a '+' sign parse.
    const TrialLine mixed = parseTrialLine("train/loss=2.5e-3,\tval.si-sdr=+12 step=7, ");
    QCOMPARE(mixed.kind, Kind::Metrics);
    QCOMPARE(mixed.payload, json({{"train/loss", 0.0025}, {"val.si-sdr", 12.0}, {"step", 7.0}}));

    // A name given twice keeps its last value.
    QCOMPARE(parseTrialLine("loss=1 loss=0.5").payload, json({{"loss", 0.5}}));
}

void tst_TrialLine::nonFiniteValuesAreMetrics()
{
    const TrialLine line = parseTrialLine("loss=nan best=inf worst=-Infinity other=NaN");
    QCOMPARE(line.kind, Kind::Metrics);
    QCOMPARE(line.payload.size(), std::size_t(4));
    QVERIFY(std::isnan(line.payload.at("loss").get<double>()));
    QVERIFY(std::isnan(line.payload.at("other").get<double>()));
    QCOMPARE(line.payload.at("best").get<double>(), HUGE_VAL);
    QCOMPARE(line.payload.at("worst").get<double>(), -HUGE_VAL);
}

void tst_TrialLine::junkIsText()
{
    for (const char *text : {"",
                             "   ",
                             "Epoch 3 done",
                             "loss=",
                             "=3",
                             "loss=abc",
                             "3loss=1",
                             "loss=1 warming up",
                             "loss=0x10",
                             "loss=1,5",
                             "loss==1",
                             "lr=--1",
                             "sisdr=1.0dB",
                             "a b=1"}) {
        const TrialLine line = parseTrialLine(text);
        QVERIFY2(line.kind == Kind::Text, text);
        QVERIFY(line.payload.is_null());
        QCOMPARE(line.text, std::string(text));
    }
}

QTEST_GUILESS_MAIN(tst_TrialLine)
#include "tst_trial_line.moc"
