// The machine-independent random choices: CPython's random.Random(i).choice, checked against
// values printed by python3 itself, and the seeded subset, frozen as literals.

#include "core/data/deterministic_random.h"
#include "core/data/variant_choice.h"

#include <QStringList>
#include <QTest>

#include <set>

using namespace seplab::data;

namespace {

std::vector<Variant> parseList(const QString &names)
{
    std::vector<Variant> out;
    for (const QString &name : names.split(QLatin1Char(' '), Qt::SkipEmptyParts))
        out.push_back(*parseVariant(name.toStdString()));
    return out;
}

QString joined(const std::vector<std::size_t> &indices)
{
    QStringList parts;
    for (std::size_t index : indices)
        parts << QString::number(index);
    return parts.join(QLatin1Char(' '));
}

} // namespace

class tst_DeterministicRandom : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void pythonGenrandMatchesCPython();
    void pythonChoice_data();
    void pythonChoice();
    void splitMixReference();
    void belowStaysInRange();
    void seededSubsetIsFrozen();
    void seededSubsetProperties();
    void perEpochChoice();
};

void tst_DeterministicRandom::pythonGenrandMatchesCPython()
{
    // python3 -c "import random; r=random.Random(42); print([r.getrandbits(32) for _ in range(3)])"
    PythonRandom r42(42);
    QCOMPARE(r42.nextUint32(), 2746317213U);
    QCOMPARE(r42.nextUint32(), 478163327U);
    QCOMPARE(r42.nextUint32(), 107420369U);
    // python3 -c "import random; print(random.Random(0).getrandbits(32),
    //             random.Random(2**40 + 7).getrandbits(64))"
    QCOMPARE(PythonRandom(0).getrandbits(32), std::uint64_t(3626764237U));
    QCOMPARE(PythonRandom((std::uint64_t(1) << 40) + 7).getrandbits(64),
             std::uint64_t(13785699202830676186ULL));
}

void tst_DeterministicRandom::pythonChoice_data()
{
    QTest::addColumn<QString>("candidates");
    QTest::addColumn<QString>("chosen"); // for the indices in pythonChoice()

    // python3 -c "import random; print([random.Random(i).choice(L) for i in
    //   [0,1,2,3,4,5,7,42,1000,65535,123456789,4294967295,4294967296,12345678901234]])"
    QTest::newRow("indoor list") << "SER SR ER R C"
                                 << "R SR SER SR SR C ER SER R SER R C SER SER";
    QTest::newRow("outdoor list") << "SE S E C"
                                  << "C S SE S S E E SE C SE C S SE SE";
    QTest::newRow("C R") << "C R"
                         << "R C C C C R R C R C R C C C";
    QTest::newRow("SR S") << "SR S"
                          << "S SR SR SR SR S S SR S SR S SR SR SR";
    QTest::newRow("seven") << "R SR S SE ER E SER"
                           << "SER SR SER SR SR ER S E SER R E E R R";
    QTest::newRow("C R SR") << "C R SR"
                            << "R C C C C SR R SR R C SR SR C C";
    QTest::newRow("one") << "SER"
                         << "SER SER SER SER SER SER SER SER SER SER SER SER SER SER";
}

void tst_DeterministicRandom::pythonChoice()
{
    QFETCH(QString, candidates);
    QFETCH(QString, chosen);
    const std::uint64_t indices[] = {0ULL,
                                     1ULL,
                                     2ULL,
                                     3ULL,
                                     4ULL,
                                     5ULL,
                                     7ULL,
                                     42ULL,
                                     1000ULL,
                                     65535ULL,
                                     123456789ULL,
                                     4294967295ULL,
                                     4294967296ULL,
                                     12345678901234ULL};
    const std::vector<Variant> list = parseList(candidates);
    QStringList got;
    for (std::uint64_t index : indices)
        got << QString::fromStdString(variantName(chooseVariantPerIndex(list, index)));
    QCOMPARE(got.join(QLatin1Char(' ')), chosen);
}

void tst_DeterministicRandom::splitMixReference()
{
    // Vigna's reference splitmix64.c (compiled separately) seeded with 1234567 starts
    // 6457827717110365317, 3203168211198807973, 9817491932198370423.
    SplitMix64 rng(1234567);
    QCOMPARE(rng.next(), 6457827717110365317ULL);
    QCOMPARE(rng.next(), 3203168211198807973ULL);
    QCOMPARE(rng.next(), 9817491932198370423ULL);
}

void tst_DeterministicRandom::belowStaysInRange()
{
    SplitMix64 rng(7);
    std::vector<int> counts(3, 0);
    for (int i = 0; i < 3000; ++i) {
        const std::uint64_t value = rng.below(3);
        QVERIFY(value < 3);
        ++counts[value];
    }
    // Each residue about 1000; a biased or stuck generator would miss this by far.
    for (int count : counts)
        QVERIFY2(count > 850 && count < 1150, qPrintable(QString::number(count)));
    QCOMPARE(rng.below(1), std::uint64_t(0));
}

void tst_DeterministicRandom::seededSubsetIsFrozen()
{
    // Computed once with this generator and frozen: a change here changes every run's subset.
    QCOMPARE(joined(seededSubset(20, 5, 42)), QStringLiteral("2 6 8 13 16"));
    QCOMPARE(joined(seededSubset(10, 3, 1)), QStringLiteral("1 5 8"));
    QCOMPARE(joined(seededSubset(1000, 4, 123456789)), QStringLiteral("61 469 678 897"));
}

void tst_DeterministicRandom::seededSubsetProperties()
{
    const std::vector<std::size_t> a = seededSubset(500, 50, 99);
    QCOMPARE(a, seededSubset(500, 50, 99));
    QVERIFY(a != seededSubset(500, 50, 100));
    QCOMPARE(a.size(), std::size_t(50));
    QVERIFY(std::is_sorted(a.begin(), a.end()));
    QCOMPARE(std::set<std::size_t>(a.begin(), a.end()).size(), std::size_t(50));
    QVERIFY(a.back() < 500);
    QCOMPARE(joined(seededSubset(4, 9, 1)), QStringLiteral("0 1 2 3"));
    QCOMPARE(joined(seededSubset(4, 0, 1)), QString());
}

void tst_DeterministicRandom::perEpochChoice()
{
    const std::vector<Variant> list = parseList(QStringLiteral("SER SR ER R C"));
    int changed = 0;
    std::vector<int> counts(5, 0);
    for (std::size_t index = 0; index < 1000; ++index) {
        const Variant first = chooseVariantPerEpoch(list, 42, 1, index);
        QCOMPARE(chooseVariantPerEpoch(list, 42, 1, index), first);
        changed += chooseVariantPerEpoch(list, 42, 2, index) != first ? 1 : 0;
        ++counts[std::size_t(std::find(list.begin(), list.end(), first) - list.begin())];
    }
    // With 5 candidates an independent draw differs 4 times in 5: about 800 of 1000.
    QVERIFY2(changed > 700 && changed < 900, qPrintable(QString::number(changed)));
    for (int count : counts)
        QVERIFY2(count > 140 && count < 260, qPrintable(QString::number(count)));
}

QTEST_GUILESS_MAIN(tst_DeterministicRandom)
#include "tst_deterministic_random.moc"
