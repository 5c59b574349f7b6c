// MM-IPC (spec models.md §3.1): every variant x task x environment against numbers worked out
// by hand from constant layers, plus parsing, the row filter and the variant candidates.

#include "core/data/mmipc.h"
#include "core/data/variant_choice.h"

#include <QTest>

#include <cmath>
#include <stdexcept>

using namespace seplab::data;

Q_DECLARE_METATYPE(seplab::data::Variant)
Q_DECLARE_METATYPE(seplab::data::Task)
Q_DECLARE_METATYPE(seplab::data::RowFilter)
Q_DECLARE_METATYPE(std::vector<seplab::data::Variant>)

namespace {

constexpr std::size_t kLength = 16;

// mix 1.0, s1 0.5, s2 0.2, scene 0.1, event 0.05, r1 0.03, r2 0.02, re 0.01; outdoor rows have
// no reverb layers.
PolsessLayers fixtureLayers(bool indoor)
{
    const auto constant = [](float value) { return std::vector<float>(kLength, value); };
    PolsessLayers layers;
    layers.indoor = indoor;
    layers.mix = constant(1.0f);
    layers.speaker1 = constant(0.5f);
    layers.speaker2 = constant(0.2f);
    layers.scene = constant(0.1f);
    layers.event = constant(0.05f);
    if (indoor) {
        layers.reverb1 = constant(0.03f);
        layers.reverb2 = constant(0.02f);
        layers.reverbEvent = constant(0.01f);
    }
    return layers;
}

// Every sample equals `expected` to float precision (a few subtractions of values near 1).
bool allNear(const std::vector<float> &signal, double expected, QString *problem)
{
    if (signal.size() != kLength) {
        *problem = QStringLiteral("length %1, expected %2").arg(signal.size()).arg(kLength);
        return false;
    }
    for (std::size_t i = 0; i < signal.size(); ++i) {
        if (std::abs(double(signal[i]) - expected) > 1e-6) {
            *problem = QStringLiteral("sample %1 is %2, expected %3")
                           .arg(i)
                           .arg(double(signal[i]), 0, 'g', 9)
                           .arg(expected, 0, 'g', 9);
            return false;
        }
    }
    return true;
}

} // namespace

class tst_Mmipc : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void composeTable_data();
    void composeTable();
    void inapplicableVariantThrows_data();
    void inapplicableVariantThrows();
    void layerOfWrongLengthThrows();
    void parseAndName();
    void variantLists();
    void rowFilter_data();
    void rowFilter();
    void candidates_data();
    void candidates();
};

void tst_Mmipc::composeTable_data()
{
    QTest::addColumn<Variant>("variant");
    QTest::addColumn<Task>("task");
    QTest::addColumn<bool>("indoor");
    QTest::addColumn<double>("mix");
    QTest::addColumn<double>("target1");
    QTest::addColumn<double>("target2"); // SB only; -1 otherwise

    // Indoor: SER = y = 1.0; SR = y-e-re = 1-0.05-0.01 = 0.94; ER = y-b = 0.9;
    // R = y-b-e-re = 0.84; C = y-b-e-re-r1-r2 = 0.84-0.03-0.02 = 0.79.
    // ES also removes s2 (0.2) and r2 (0.02), except r2 for C, where it is already gone:
    // SER 0.78, SR 0.72, ER 0.68, R 0.62, C 0.79-0.2 = 0.59.
    // Targets: ES s1 = 0.5; EB s1+s2 = 0.7; SB [0.5, 0.2].
    struct Row
    {
        const char *name;
        Variant variant;
        bool indoor;
        double keep;   // EB/SB mixture
        double single; // ES mixture
    };
    const Row rows[] = {
        {"SER", Variant::SER, true, 1.0, 0.78},
        {"SR", Variant::SR, true, 0.94, 0.72},
        {"ER", Variant::ER, true, 0.9, 0.68},
        {"R", Variant::R, true, 0.84, 0.62},
        {"C", Variant::C, true, 0.79, 0.59},
        // Outdoor: SE = y = 1.0; S = y-e = 0.95; E = y-b = 0.9; C = y-b-e = 0.85;
        // ES removes s2 only: 0.8, 0.75, 0.7, 0.65.
        {"SE", Variant::SE, false, 1.0, 0.8},
        {"S", Variant::S, false, 0.95, 0.75},
        {"E", Variant::E, false, 0.9, 0.7},
        {"C", Variant::C, false, 0.85, 0.65},
    };
    for (const Row &row : rows) {
        const QByteArray where = QByteArray(row.name) + (row.indoor ? " indoor" : " outdoor");
        QTest::newRow((where + " ES").constData())
            << row.variant << Task::ES << row.indoor << row.single << 0.5 << -1.0;
        QTest::newRow((where + " EB").constData())
            << row.variant << Task::EB << row.indoor << row.keep << 0.7 << -1.0;
        QTest::newRow((where + " SB").constData())
            << row.variant << Task::SB << row.indoor << row.keep << 0.5 << 0.2;
    }
}

void tst_Mmipc::composeTable()
{
    QFETCH(Variant, variant);
    QFETCH(Task, task);
    QFETCH(bool, indoor);
    QFETCH(double, mix);
    QFETCH(double, target1);
    QFETCH(double, target2);

    const MixtureAndTargets out = composeExample(fixtureLayers(indoor), variant, task);
    QString problem;
    QVERIFY2(allNear(out.mix, mix, &problem), qPrintable("mixture: " + problem));
    QCOMPARE(int(out.targets.size()), task == Task::SB ? 2 : 1);
    QCOMPARE(int(out.targets.size()), sourceCount(task));
    QVERIFY2(allNear(out.targets[0], target1, &problem), qPrintable("target 1: " + problem));
    if (task == Task::SB)
        QVERIFY2(allNear(out.targets[1], target2, &problem), qPrintable("target 2: " + problem));
}

void tst_Mmipc::inapplicableVariantThrows_data()
{
    QTest::addColumn<Variant>("variant");
    QTest::addColumn<Task>("task");
    QTest::addColumn<bool>("indoor");
    QTest::addColumn<QString>("expected");

    for (Task task : {Task::ES, Task::EB, Task::SB}) {
        const QByteArray t = QByteArray::fromStdString(taskName(task));
        for (Variant v : {Variant::SE, Variant::S, Variant::E}) {
            QTest::newRow((QByteArray::fromStdString(variantName(v)) + " indoor " + t).constData())
                << v << task << true
                << QString::fromStdString("variant " + variantName(v)
                                          + " does not apply to an indoor row");
        }
        for (Variant v : {Variant::SER, Variant::SR, Variant::ER, Variant::R}) {
            QTest::newRow((QByteArray::fromStdString(variantName(v)) + " outdoor " + t).constData())
                << v << task << false
                << QString::fromStdString("variant " + variantName(v)
                                          + " does not apply to an outdoor row");
        }
    }
}

void tst_Mmipc::inapplicableVariantThrows()
{
    QFETCH(Variant, variant);
    QFETCH(Task, task);
    QFETCH(bool, indoor);
    QFETCH(QString, expected);
    try {
        composeExample(fixtureLayers(indoor), variant, task);
        QFAIL("composeExample accepted a variant of the other environment");
    } catch (const std::invalid_argument &error) {
        QVERIFY2(QString(error.what()).contains(expected), error.what());
    }
}

void tst_Mmipc::layerOfWrongLengthThrows()
{
    PolsessLayers layers = fixtureLayers(true);
    layers.scene.pop_back();
    try {
        composeExample(layers, Variant::R, Task::SB);
        QFAIL("a short scene layer was accepted");
    } catch (const std::invalid_argument &error) {
        QCOMPARE(QString(error.what()),
                 QStringLiteral("the scene layer has 15 samples but the mixture has 16."));
    }
    // SER keeps the scene, so its length does not matter there.
    QCOMPARE(composeExample(layers, Variant::SER, Task::SB).mix.size(), kLength);
}

void tst_Mmipc::parseAndName()
{
    for (Variant v : allVariants())
        QCOMPARE(parseVariant(variantName(v)), std::optional<Variant>(v));
    QCOMPARE(variantName(Variant::SER), std::string("SER"));
    QCOMPARE(variantName(Variant::C), std::string("C"));
    QVERIFY(!parseVariant("ser"));
    QVERIFY(!parseVariant("X"));
    QVERIFY(!parseVariant(""));
    QCOMPARE(parseTask("ES"), std::optional<Task>(Task::ES));
    QCOMPARE(parseTask("EB"), std::optional<Task>(Task::EB));
    QCOMPARE(parseTask("SB"), std::optional<Task>(Task::SB));
    QVERIFY(!parseTask("XX"));
    QCOMPARE(taskName(Task::EB), std::string("EB"));
    QCOMPARE(sourceCount(Task::ES), 1);
    QCOMPARE(sourceCount(Task::EB), 1);
    QCOMPARE(sourceCount(Task::SB), 2);
    QCOMPARE(variantNames({Variant::SER, Variant::SE}), std::string("SER, SE"));
    QCOMPARE(variantNames({}), std::string(""));
}

void tst_Mmipc::variantLists()
{
    QCOMPARE(variantNames(indoorVariants()), std::string("SER, SR, ER, R, C"));
    QCOMPARE(variantNames(outdoorVariants()), std::string("SE, S, E, C"));
    QCOMPARE(variantNames(allVariants()), std::string("SER, SR, ER, R, SE, S, E, C"));
    QVERIFY(variantApplies(Variant::C, true));
    QVERIFY(variantApplies(Variant::C, false));
    QVERIFY(variantApplies(Variant::SR, true));
    QVERIFY(!variantApplies(Variant::SR, false));
    QVERIFY(variantApplies(Variant::S, false));
    QVERIFY(!variantApplies(Variant::S, true));
}

void tst_Mmipc::rowFilter_data()
{
    QTest::addColumn<std::vector<Variant>>("allowed");
    QTest::addColumn<RowFilter>("expected");
    QTest::newRow("none") << std::vector<Variant>{} << RowFilter::All;
    QTest::newRow("SER") << std::vector<Variant>{Variant::SER} << RowFilter::IndoorOnly;
    QTest::newRow("SR R ER") << std::vector<Variant>{Variant::SR, Variant::R, Variant::ER}
                             << RowFilter::IndoorOnly;
    QTest::newRow("SE") << std::vector<Variant>{Variant::SE} << RowFilter::OutdoorOnly;
    QTest::newRow("S E") << std::vector<Variant>{Variant::S, Variant::E} << RowFilter::OutdoorOnly;
    QTest::newRow("C") << std::vector<Variant>{Variant::C} << RowFilter::All;
    QTest::newRow("C R") << std::vector<Variant>{Variant::C, Variant::R} << RowFilter::All;
    QTest::newRow("C S") << std::vector<Variant>{Variant::C, Variant::S} << RowFilter::All;
    QTest::newRow("SER SE") << std::vector<Variant>{Variant::SER, Variant::SE} << RowFilter::All;
}

void tst_Mmipc::rowFilter()
{
    QFETCH(std::vector<Variant>, allowed);
    QFETCH(RowFilter, expected);
    QCOMPARE(rowFilterFor(allowed), expected);
}

void tst_Mmipc::candidates_data()
{
    QTest::addColumn<std::vector<Variant>>("allowed");
    QTest::addColumn<QString>("indoor");
    QTest::addColumn<QString>("outdoor");
    QTest::newRow("none: whole lists") << std::vector<Variant>{} << "SER, SR, ER, R, C"
                                       << "SE, S, E, C";
    QTest::newRow("SER SE") << std::vector<Variant>{Variant::SER, Variant::SE} << "SER"
                            << "SE";
    // The order is the allowed list's, not the environment list's.
    QTest::newRow("curriculum stage 3") << std::vector<Variant>{Variant::R,
                                                                Variant::SR,
                                                                Variant::S,
                                                                Variant::SE,
                                                                Variant::ER,
                                                                Variant::E,
                                                                Variant::SER}
                                        << "R, SR, ER, SER"
                                        << "S, SE, E";
    QTest::newRow("C R") << std::vector<Variant>{Variant::C, Variant::R} << "C, R"
                         << "C";
    QTest::newRow("indoor only") << std::vector<Variant>{Variant::SR} << "SR"
                                 << "";
}

void tst_Mmipc::candidates()
{
    QFETCH(std::vector<Variant>, allowed);
    QFETCH(QString, indoor);
    QFETCH(QString, outdoor);
    QCOMPARE(QString::fromStdString(variantNames(variantCandidates(allowed, true))), indoor);
    QCOMPARE(QString::fromStdString(variantNames(variantCandidates(allowed, false))), outdoor);
}

QTEST_GUILESS_MAIN(tst_Mmipc)
#include "tst_mmipc.moc"
