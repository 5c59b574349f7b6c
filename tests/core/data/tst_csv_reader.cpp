// The manifest CSV reader: RFC 4180 quoting, line numbers for errors, and the PolSESS columns
// resolved into paths.

#include "core/data/csv_reader.h"
#include "core/data/polsess_manifest.h"

#include <QTest>

#include <functional>
#include <stdexcept>

using namespace seplab::data;

namespace {

QString fieldsOf(const CsvRecord &record)
{
    QStringList parts;
    for (const std::string &field : record.fields)
        parts << QLatin1Char('<') + QString::fromStdString(field) + QLatin1Char('>');
    return parts.join(QLatin1Char(' '));
}

QString errorOf(const std::function<void()> &action)
{
    try {
        action();
    } catch (const std::exception &error) {
        return QString::fromUtf8(error.what());
    }
    return QStringLiteral("(no error)");
}

constexpr const char *kHeader = "mixFile,speaker1File,speaker2File,sceneFile,eventFile,"
                                "reverbForSpeaker1,reverbForSpeaker2,reverbForEvent\n";

} // namespace

class tst_CsvReader : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void quotingAndLines();
    void crlfAndBom();
    void syntaxErrors();
    void polsessRowsAndPaths();
    void polsessRowErrors_data();
    void polsessRowErrors();
    void collectsRowErrorsWhenAsked();
    void csvPathFromRootName();
};

void tst_CsvReader::quotingAndLines()
{
    const std::string text = "a,b,c\n"
                             "1,\"two, with comma\",3\n"
                             "\n"
                             "\"multi\nline\",\"say \"\"hi\"\"\",\n"
                             "x,,z";
    const std::vector<CsvRecord> records = parseCsv(text, "t.csv");
    QCOMPARE(int(records.size()), 4);
    QCOMPARE(records[0].line, 1);
    QCOMPARE(fieldsOf(records[0]), QStringLiteral("<a> <b> <c>"));
    QCOMPARE(records[1].line, 2);
    QCOMPARE(fieldsOf(records[1]), QStringLiteral("<1> <two, with comma> <3>"));
    QCOMPARE(records[2].line, 4); // line 3 is blank
    QCOMPARE(fieldsOf(records[2]), QStringLiteral("<multi\nline> <say \"hi\"> <>"));
    QCOMPARE(records[3].line, 6); // the quoted line break moved it down one
    QCOMPARE(fieldsOf(records[3]), QStringLiteral("<x> <> <z>"));
}

void tst_CsvReader::crlfAndBom()
{
    const std::vector<CsvRecord> records
        = parseCsv("\xEF\xBB\xBFh1,h2\r\nv1,v2\r\n\r\nw1,\"w2\"\r\n", "t.csv");
    QCOMPARE(int(records.size()), 3);
    QCOMPARE(fieldsOf(records[0]), QStringLiteral("<h1> <h2>"));
    QCOMPARE(fieldsOf(records[1]), QStringLiteral("<v1> <v2>"));
    QCOMPARE(records[2].line, 4);
    QCOMPARE(fieldsOf(records[2]), QStringLiteral("<w1> <w2>"));
}

void tst_CsvReader::syntaxErrors()
{
    QCOMPARE(errorOf([] { parseCsv("a,b\n1,\"open\n2,3\n", "m.csv"); }),
             QStringLiteral("m.csv line 2: a quoted field is never closed (missing '\"')."));
    QCOMPARE(errorOf([] { parseCsv("a,b\n\n1,\"x\"y\n", "m.csv"); }),
             QStringLiteral("m.csv line 3: unexpected text after the closing quote of a field."));
}

void tst_CsvReader::polsessRowsAndPaths()
{
    const std::string text = std::string(kHeader)
                             + "m1.wav,a.wav,b.wav,s.wav,e.wav,r1.wav,r2.wav,re.wav\n"
                               "\"m2.wav\",c.wav,d.wav,mix/../scene/t.wav,f.wav,,,\n"
                               "/abs/m3.wav,x.wav,y.wav,s.wav,e.wav,,,\n";
    const std::vector<PolsessRow> rows = parsePolsessManifest(text, "/c/train", "c.csv");
    QCOMPARE(int(rows.size()), 3);
    QCOMPARE(rows[0].csvLine, 2);
    QVERIFY(rows[0].indoor());
    QCOMPARE(rows[0].mix, std::string("/c/train/mix/m1.wav"));
    QCOMPARE(rows[0].speaker1, std::string("/c/train/clean/a.wav"));
    QCOMPARE(rows[0].speaker2, std::string("/c/train/clean/b.wav"));
    QCOMPARE(rows[0].scene, std::string("/c/train/scene/s.wav"));
    QCOMPARE(rows[0].event, std::string("/c/train/event/e.wav"));
    QCOMPARE(rows[0].reverb1, std::string("/c/train/sp1_reverb/r1.wav"));
    QCOMPARE(rows[0].reverb2, std::string("/c/train/sp2_reverb/r2.wav"));
    QCOMPARE(rows[0].reverbEvent, std::string("/c/train/ev_reverb/re.wav"));
    QCOMPARE(rows[1].csvLine, 3);
    QVERIFY(!rows[1].indoor());
    QCOMPARE(rows[1].mix, std::string("/c/train/mix/m2.wav"));
    // A value with a folder is relative to the split folder.
    QCOMPARE(rows[1].scene, std::string("/c/train/scene/t.wav"));
    QVERIFY(rows[1].reverb2.empty());
    QCOMPARE(rows[2].mix, std::string("/abs/m3.wav"));

    const std::vector<PolsessLayerFile> indoorFiles = polsessLayerFiles(rows[0]);
    QCOMPARE(int(indoorFiles.size()), 8);
    QCOMPARE(std::string(indoorFiles[0].column), std::string("mixFile"));
    QCOMPARE(std::string(indoorFiles[7].column), std::string("reverbForEvent"));
    QCOMPARE(int(polsessLayerFiles(rows[1]).size()), 5);
}

void tst_CsvReader::polsessRowErrors_data()
{
    QTest::addColumn<QString>("rows");
    QTest::addColumn<QString>("expected");
    QTest::newRow("empty scene")
        << "m1.wav,a.wav,b.wav,s.wav,e.wav,,,\nm2.wav,a.wav,b.wav,,e.wav,,,\n"
        << "c.csv line 3: column 'sceneFile' is empty.";
    QTest::newRow("indoor without event reverb")
        << "m1.wav,a.wav,b.wav,s.wav,e.wav,r1.wav,r2.wav,\n"
        << "c.csv line 2: column 'reverbForEvent' is empty in an indoor row.";
    QTest::newRow("outdoor with a reverb")
        << "m1.wav,a.wav,b.wav,s.wav,e.wav,,r2.wav,\n"
        << "c.csv line 2: column 'reverbForSpeaker2' holds 'r2.wav' but reverbForSpeaker1 is "
           "empty (an outdoor row, which has no reverb layers).";
    QTest::newRow("short row") << "m1.wav,a.wav,b.wav\n"
                               << "c.csv line 2: the row has 3 fields but the header has 8.";
}

void tst_CsvReader::polsessRowErrors()
{
    QFETCH(QString, rows);
    QFETCH(QString, expected);
    const std::string text = kHeader + rows.toStdString();
    QCOMPARE(errorOf([&] { parsePolsessManifest(text, "/c/train", "c.csv"); }), expected);
}

void tst_CsvReader::collectsRowErrorsWhenAsked()
{
    const std::string text = std::string(kHeader)
                             + "m1.wav,a.wav,b.wav,,e.wav,,,\n"
                               "m2.wav,a.wav,b.wav,s.wav,e.wav,,,\n"
                               "m3.wav,,b.wav,s.wav,e.wav,,,\n";
    std::vector<std::string> errors;
    const std::vector<PolsessRow> rows = parsePolsessManifest(text, "/c/train", "c.csv", &errors);
    QCOMPARE(int(rows.size()), 1);
    QCOMPARE(rows[0].csvLine, 3);
    QCOMPARE(int(errors.size()), 2);
    QCOMPARE(QString::fromStdString(errors[0]),
             QStringLiteral("c.csv line 2: column 'sceneFile' is empty."));
    QCOMPARE(QString::fromStdString(errors[1]),
             QStringLiteral("c.csv line 4: column 'speaker1File' is empty."));

    // A missing column is never a row error.
    QCOMPARE(errorOf([] {
                 parsePolsessManifest("mixFile,speaker1File\nm.wav,a.wav\n", "/c", "c.csv");
             }),
             QStringLiteral("c.csv line 1: the header has no column 'speaker2File' (a PolSESS "
                            "manifest needs mixFile, speaker1File, speaker2File, sceneFile, "
                            "eventFile, reverbForSpeaker1, reverbForSpeaker2 and "
                            "reverbForEvent)."));
}

void tst_CsvReader::csvPathFromRootName()
{
    QCOMPARE(polsessCsvPath("/data/PolSESS_C_final_128_v2", "train"),
             std::string("/data/PolSESS_C_final_128_v2/train/"
                         "corpus_PolSESS_C_final_128_v2_train_final.csv"));
    QCOMPARE(polsessCsvPath("/data/PolSESS_C_final_128_v2/", "val"),
             std::string("/data/PolSESS_C_final_128_v2/val/"
                         "corpus_PolSESS_C_final_128_v2_val_final.csv"));
    QCOMPARE(polsessCorpusName("rel/Corpus"), std::string("Corpus"));
}

QTEST_GUILESS_MAIN(tst_CsvReader)
#include "tst_csv_reader.moc"
