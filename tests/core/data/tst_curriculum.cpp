// Curriculum learning (spec models.md §2): which variants and whether the LR scheduler apply at
// each epoch, and the validation of training.curriculum_learning with YAML positions.

#include "core/data/curriculum.h"

#include <QTest>

#include <stdexcept>
#include <yaml-cpp/yaml.h>

using namespace seplab::data;

namespace {

// The curriculum of dprnn_baseline.yaml (shared/examples), with its indentation.
constexpr const char *kBaseline = R"(training:
  curriculum_learning:
    - epoch: 1
      variants: ["C", "R"]
    - epoch: 4
      variants: ["C", "R", "SR", "S"]
    - epoch: 8
      variants: ["R", "SR", "S", "SE", "ER", "E", "SER"]
      lr_scheduler: start
)";

Curriculum fromText(const std::string &text)
{
    const YAML::Node root = YAML::Load(text);
    return Curriculum::fromYaml(root["curriculum_learning"], "dprnn.yaml");
}

QString names(const std::vector<Variant> &variants)
{
    return QString::fromStdString(variantNames(variants));
}

} // namespace

class tst_Curriculum : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void baselineStages();
    void firstEntryAppliesBeforeItsEpoch();
    void noCurriculum();
    void withoutSchedulerKeyNeverStartsIt();
    void constructorValidates_data();
    void constructorValidates();
    void yamlErrors_data();
    void yamlErrors();
};

void tst_Curriculum::baselineStages()
{
    const YAML::Node root = YAML::Load(kBaseline);
    const Curriculum curriculum = Curriculum::fromYaml(root["training"]["curriculum_learning"],
                                                       "dprnn_baseline.yaml");
    QCOMPARE(int(curriculum.entries().size()), 3);
    QVERIFY(!curriculum.empty());
    const QString stage1 = QStringLiteral("C, R");
    const QString stage2 = QStringLiteral("C, R, SR, S");
    const QString stage3 = QStringLiteral("R, SR, S, SE, ER, E, SER");
    for (int epoch = 1; epoch <= 3; ++epoch) {
        QCOMPARE(names(curriculum.variantsAt(epoch)), stage1);
        QCOMPARE(curriculum.stageAt(epoch), 0);
        QVERIFY(!curriculum.schedulerActiveAt(epoch));
    }
    for (int epoch = 4; epoch <= 7; ++epoch) {
        QCOMPARE(names(curriculum.variantsAt(epoch)), stage2);
        QCOMPARE(curriculum.stageAt(epoch), 1);
        QVERIFY(!curriculum.schedulerActiveAt(epoch));
    }
    for (int epoch : {8, 9, 50, 100}) {
        QCOMPARE(names(curriculum.variantsAt(epoch)), stage3);
        QCOMPARE(curriculum.stageAt(epoch), 2);
        QVERIFY(curriculum.schedulerActiveAt(epoch));
    }
    QVERIFY(!curriculum.entries()[0].startsScheduler);
    QVERIFY(curriculum.entries()[2].startsScheduler);
    QCOMPARE(curriculum.entries()[1].epoch, 4);
}

void tst_Curriculum::firstEntryAppliesBeforeItsEpoch()
{
    const Curriculum curriculum({{3, {Variant::C}, true}, {6, {Variant::SER, Variant::SE}, false}});
    QCOMPARE(curriculum.stageAt(1), 0);
    QCOMPARE(names(curriculum.variantsAt(1)), QStringLiteral("C"));
    QCOMPARE(names(curriculum.variantsAt(2)), QStringLiteral("C"));
    QCOMPARE(names(curriculum.variantsAt(6)), QStringLiteral("SER, SE"));
    // The scheduler waits for the entry that starts it, even though its variants apply earlier.
    QVERIFY(!curriculum.schedulerActiveAt(1));
    QVERIFY(!curriculum.schedulerActiveAt(2));
    QVERIFY(curriculum.schedulerActiveAt(3));
    QVERIFY(curriculum.schedulerActiveAt(7));
}

void tst_Curriculum::noCurriculum()
{
    const Curriculum none;
    QVERIFY(none.empty());
    QCOMPARE(none.stageAt(1), -1);
    QVERIFY(none.variantsAt(1).empty());
    QVERIFY(none.schedulerActiveAt(1));
    QVERIFY(none.schedulerActiveAt(40));

    // A missing or null key is no curriculum too.
    QVERIFY(fromText("other: 1\n").empty());
    QVERIFY(fromText("curriculum_learning: null\n").empty());
    QVERIFY(fromText("curriculum_learning:\n").schedulerActiveAt(1));
}

void tst_Curriculum::withoutSchedulerKeyNeverStartsIt()
{
    const Curriculum curriculum = fromText("curriculum_learning:\n"
                                           "  - epoch: 1\n"
                                           "    variants: [C, R]\n"
                                           "  - epoch: 3\n"
                                           "    variants: [SER, SE]\n");
    for (int epoch = 1; epoch <= 200; ++epoch)
        QVERIFY2(!curriculum.schedulerActiveAt(epoch), qPrintable(QString::number(epoch)));
    QCOMPARE(names(curriculum.variantsAt(200)), QStringLiteral("SER, SE"));
}

void tst_Curriculum::constructorValidates_data()
{
    QTest::addColumn<int>("firstEpoch");
    QTest::addColumn<int>("secondEpoch");
    QTest::addColumn<bool>("secondEmpty");
    QTest::addColumn<QString>("expected");
    QTest::newRow("epoch 0") << 0 << 2 << false
                             << "cfg.yaml: curriculum_learning entry 1 has epoch 0; epochs count "
                                "from 1.";
    QTest::newRow("unsorted") << 5 << 2 << false
                              << "cfg.yaml: curriculum_learning entry 2 has epoch 2, not after "
                                 "entry 1's epoch 5; list the entries by increasing epoch, each "
                                 "epoch once.";
    QTest::newRow("duplicate") << 3 << 3 << false
                               << "cfg.yaml: curriculum_learning entry 2 has epoch 3, not after "
                                  "entry 1's epoch 3; list the entries by increasing epoch, each "
                                  "epoch once.";
    QTest::newRow("empty variants") << 1 << 2 << true
                                    << "cfg.yaml: curriculum_learning entry 2 (epoch 2) has no "
                                       "variants; list at least one of SER, SR, ER, R, SE, S, E, "
                                       "C.";
}

void tst_Curriculum::constructorValidates()
{
    QFETCH(int, firstEpoch);
    QFETCH(int, secondEpoch);
    QFETCH(bool, secondEmpty);
    QFETCH(QString, expected);
    std::vector<CurriculumEntry> entries = {{firstEpoch, {Variant::C}, false},
                                            {secondEpoch, {Variant::R}, false}};
    if (secondEmpty)
        entries[1].variants.clear();
    try {
        Curriculum curriculum(entries, "cfg.yaml");
        QFAIL("an invalid curriculum was accepted");
    } catch (const std::invalid_argument &error) {
        QCOMPARE(QString(error.what()), expected);
    }
}

void tst_Curriculum::yamlErrors_data()
{
    QTest::addColumn<QString>("yaml");
    QTest::addColumn<QString>("expected");

    // Positions are 1-based; "  - " is 4 columns, so an entry's first key starts in column 5
    // and "  - epoch: " puts the epoch value in column 12.
    QTest::newRow("unsorted") << "curriculum_learning:\n"
                                 "  - epoch: 4\n"
                                 "    variants: [C]\n"
                                 "  - epoch: 2\n"
                                 "    variants: [R]\n"
                              << "dprnn.yaml line 4, column 12: curriculum_learning entry 2 has "
                                 "epoch 2, not after entry 1's epoch 4; list the entries by "
                                 "increasing epoch, each epoch once.";
    QTest::newRow("duplicate") << "curriculum_learning:\n"
                                  "  - epoch: 1\n"
                                  "    variants: [C]\n"
                                  "  - epoch: 5\n"
                                  "    variants: [R]\n"
                                  "  - epoch: 5\n"
                                  "    variants: [SR]\n"
                               << "dprnn.yaml line 6, column 12: curriculum_learning entry 3 has "
                                  "epoch 5, not after entry 2's epoch 5; list the entries by "
                                  "increasing epoch, each epoch once.";
    QTest::newRow("epoch 0") << "curriculum_learning:\n"
                                "  - epoch: 0\n"
                                "    variants: [C]\n"
                             << "dprnn.yaml line 2, column 12: curriculum_learning entry 1 has "
                                "epoch 0; epochs count from 1.";
    QTest::newRow("epoch not a number") << "curriculum_learning:\n"
                                           "  - epoch: four\n"
                                           "    variants: [C]\n"
                                        << "dprnn.yaml line 2, column 12: curriculum_learning "
                                           "entry 1 has epoch 'four', which is not a whole "
                                           "number.";
    // "    variants: [C, " is 18 columns, so XX starts in column 19.
    QTest::newRow("unknown variant") << "curriculum_learning:\n"
                                        "  - epoch: 1\n"
                                        "    variants: [C, XX]\n"
                                     << "dprnn.yaml line 3, column 19: curriculum_learning entry "
                                        "1 (epoch 1) has an unknown variant 'XX' (known: SER, SR, "
                                        "ER, R, SE, S, E, C).";
    QTest::newRow("empty variant list") << "curriculum_learning:\n"
                                           "  - epoch: 1\n"
                                           "    variants: [C]\n"
                                           "  - epoch: 3\n"
                                           "    variants: []\n"
                                        << "dprnn.yaml line 5, column 15: curriculum_learning "
                                           "entry 2 (epoch 3) has no variants; list at least one "
                                           "of SER, SR, ER, R, SE, S, E, C.";
    QTest::newRow("missing variants") << "curriculum_learning:\n"
                                         "  - epoch: 2\n"
                                      << "dprnn.yaml line 2, column 5: curriculum_learning entry "
                                         "1 (epoch 2) has no variants.";
    // "    lr_scheduler: " is 18 columns.
    QTest::newRow("unknown lr_scheduler") << "curriculum_learning:\n"
                                             "  - epoch: 1\n"
                                             "    variants: [C]\n"
                                             "    lr_scheduler: stop\n"
                                          << "dprnn.yaml line 4, column 19: curriculum_learning "
                                             "entry 1 (epoch 1) has lr_scheduler 'stop'; the only "
                                             "value is 'start'.";
    QTest::newRow("unknown key") << "curriculum_learning:\n"
                                    "  - epoch: 1\n"
                                    "    variants: [C]\n"
                                    "    lr: 0.1\n"
                                 << "dprnn.yaml line 4, column 5: curriculum_learning entry 1 has "
                                    "an unknown key 'lr' (allowed: epoch, variants, "
                                    "lr_scheduler).";
    QTest::newRow("not a list") << "curriculum_learning: 5\n"
                                << "dprnn.yaml line 1, column 22: curriculum_learning must be a "
                                   "list of entries with the keys epoch, variants and optionally "
                                   "lr_scheduler.";
}

void tst_Curriculum::yamlErrors()
{
    QFETCH(QString, yaml);
    QFETCH(QString, expected);
    try {
        fromText(yaml.toStdString());
        QFAIL("an invalid curriculum was accepted");
    } catch (const std::invalid_argument &error) {
        QCOMPARE(QString(error.what()), expected);
    }
}

QTEST_GUILESS_MAIN(tst_Curriculum)
#include "tst_curriculum.moc"
