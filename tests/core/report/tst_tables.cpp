// CSV quoting as RFC 4180 has it, markdown tables and the log's number formats.

#include "core/report/csv_writer.h"
#include "core/report/markdown_tables.h"

#include <QtTest>

using namespace seplab::report;

class tst_Tables : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void csvQuotesOnlyWhereNeeded();
    void csvTableWritesCrlfRecords();
    void csvTableRefusesRaggedRows();
    void markdownTableEscapesPipes();
    void numberFormatsMatchTheUsersLog();
};

void tst_Tables::csvQuotesOnlyWhereNeeded()
{
    QCOMPARE(csvField("plain"), std::string("plain"));
    QCOMPARE(csvField(""), std::string(""));
    QCOMPARE(csvField(" spaced "), std::string(" spaced "));
    QCOMPARE(csvField("a,b"), std::string("\"a,b\""));
    QCOMPARE(csvField("say \"hi\""), std::string("\"say \"\"hi\"\"\""));
    QCOMPARE(csvField("line\nbreak"), std::string("\"line\nbreak\""));
    QCOMPARE(csvField("cr\rhere"), std::string("\"cr\rhere\""));
    QCOMPARE(csvField("\""), std::string("\"\"\"\""));
}

void tst_Tables::csvTableWritesCrlfRecords()
{
    CsvTable table({"name", "note"});
    table.addRow({"stage1-001", "lr=1e-3, wd=0"});
    table.addRow({"stage1-002", ""});
    QCOMPARE(table.rowCount(), std::size_t(2));
    QCOMPARE(table.text(),
             std::string("name,note\r\nstage1-001,\"lr=1e-3, wd=0\"\r\nstage1-002,\r\n"));
}

void tst_Tables::csvTableRefusesRaggedRows()
{
    CsvTable table({"a", "b"});
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, table.addRow({"1"}));
}

void tst_Tables::markdownTableEscapesPipes()
{
    QCOMPARE(markdownTable({"Metric", "Value"}, {{"Runs", "91 (42 finished)"}, {"a|b", "x\ny"}}),
             std::string("| Metric | Value |\n|--------|-------|\n| Runs | 91 (42 finished) |\n"
                         "| a\\|b | x y |\n"));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, markdownTable({"a", "b"}, {{"1"}}));
}

void tst_Tables::numberFormatsMatchTheUsersLog()
{
    QCOMPARE(metricUnit("val_si_sdr"), std::string(" dB"));
    QCOMPARE(metricUnit("SI-SNRi"), std::string(" dB"));
    QCOMPARE(metricUnit("val_loss"), std::string(""));
    QCOMPARE(metricText(4.673333, " dB"), std::string("4.67 dB"));
    QCOMPARE(signedMetricText(0.59, " dB"), std::string("+0.59 dB"));
    QCOMPARE(signedMetricText(-0.2, " dB"), std::string("-0.20 dB"));
    QCOMPARE(signedMetricText(-0.001, ""), std::string("+0.00"));
    QCOMPARE(fixed(0.0680686, 2), std::string("0.07"));
    QCOMPARE(hoursText(19.8 * 3600), std::string("19.8h"));
    QCOMPARE(hoursText(6360), std::string("1.8h")); // 1.7667 h
    QCOMPARE(hoursText(360), std::string("0.1h"));
    QCOMPARE(hoursText(102), std::string("1.7 min"));
    QCOMPARE(dataSizeText(2000), std::string("2K"));
    QCOMPARE(dataSizeText(16000), std::string("16K"));
    QCOMPARE(dataSizeText(2500), std::string("2.5K"));
    QCOMPARE(dataSizeText(640), std::string("640"));
    QCOMPARE(correlationText(0.12), std::string("+0.12"));
    QCOMPARE(correlationText(-0.27), std::string("-0.27"));
    QCOMPARE(correlationText(std::nullopt), std::string("n/a"));
    QCOMPARE(paramText(nlohmann::json(0.00125)), std::string("0.00125"));
    QCOMPARE(paramText(nlohmann::json(2.1e-5)), std::string("2.1e-05"));
    QCOMPARE(paramText(nlohmann::json(0.8631234)), std::string("0.8631"));
    QCOMPARE(paramText(nlohmann::json(3)), std::string("3"));
    QCOMPARE(paramText(nlohmann::json("adamw")), std::string("adamw"));
    QCOMPARE(exactNumber(0.1), std::string("0.1"));
}

QTEST_APPLESS_MAIN(tst_Tables)
#include "tst_tables.moc"
