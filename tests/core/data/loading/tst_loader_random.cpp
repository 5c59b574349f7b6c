// The loader's random numbers against the published reference outputs of SplitMix64 and
// xoshiro256**, and the epoch permutation against values worked out by a separate Python
// transcription of the same algorithms (so a change to any of them shows up here: runs recorded
// with one version must replay with the next).

#include "core/data/loading/loader_random.h"

#include <QTest>

#include <algorithm>
#include <set>

using namespace seplab::data;

class tst_LoaderRandom : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void splitMix64MatchesReference();
    void xoshiroMatchesReference();
    void uniformBelowStaysInRange();
    void shuffledOrderIsPinned();
    void shuffledOrderIsAPermutation();
    void mixSeedSeparatesFields();
};

void tst_LoaderRandom::splitMix64MatchesReference()
{
    // Vigna's splitmix64.c from state 0.
    std::uint64_t state = 0;
    QCOMPARE(splitMix64(state), std::uint64_t(0xe220a8397b1dcdafULL));
    QCOMPARE(splitMix64(state), std::uint64_t(0x6e789e6aa1b965f4ULL));
    QCOMPARE(splitMix64(state), std::uint64_t(0x06c45d188009454fULL));
}

void tst_LoaderRandom::xoshiroMatchesReference()
{
    // xoshiro256** from the state {1, 2, 3, 4} (the reference sequence in rand_xoshiro's tests).
    Xoshiro256 rng(std::array<std::uint64_t, 4>{1, 2, 3, 4});
    QCOMPARE(rng.next(), std::uint64_t(11520));
    QCOMPARE(rng.next(), std::uint64_t(0));
    QCOMPARE(rng.next(), std::uint64_t(1509978240));
    QCOMPARE(rng.next(), std::uint64_t(1215971899390074240ULL));
    QCOMPARE(rng.next(), std::uint64_t(1216172134540287360ULL));
}

void tst_LoaderRandom::uniformBelowStaysInRange()
{
    Xoshiro256 rng(7);
    QCOMPARE(uniformBelow(rng, 1), std::uint64_t(0));
    std::set<std::uint64_t> seen;
    for (int i = 0; i < 2000; ++i) {
        const std::uint64_t value = uniformBelow(rng, 6);
        QVERIFY(value < 6);
        seen.insert(value);
    }
    QCOMPARE(seen.size(), std::size_t(6)); // every face of the die turns up in 2000 throws
    // A bound just above 2^63 rejects almost half the draws; the result must still be in range.
    const std::uint64_t large = (std::uint64_t(1) << 63) + 3;
    for (int i = 0; i < 100; ++i)
        QVERIFY(uniformBelow(rng, large) < large);
}

void tst_LoaderRandom::shuffledOrderIsPinned()
{
    QCOMPARE(shuffledOrder(10, 42), (std::vector<std::size_t>{7, 3, 8, 9, 5, 6, 4, 1, 0, 2}));
    QCOMPARE(shuffledOrder(10, 43), (std::vector<std::size_t>{2, 1, 3, 9, 5, 6, 4, 7, 0, 8}));
    QCOMPARE(shuffledOrder(0, 42), std::vector<std::size_t>{});
    QCOMPARE(shuffledOrder(1, 42), std::vector<std::size_t>{0});
}

void tst_LoaderRandom::shuffledOrderIsAPermutation()
{
    std::vector<std::size_t> order = shuffledOrder(1000, 5);
    QCOMPARE(order.size(), std::size_t(1000));
    std::size_t fixedPoints = 0;
    for (std::size_t i = 0; i < order.size(); ++i)
        fixedPoints += order[i] == i ? 1 : 0;
    QVERIFY2(fixedPoints < 10, qPrintable(QString::number(fixedPoints))); // expected ~1
    std::sort(order.begin(), order.end());
    for (std::size_t i = 0; i < order.size(); ++i)
        QCOMPARE(order[i], i);
}

void tst_LoaderRandom::mixSeedSeparatesFields()
{
    QVERIFY(mixSeed({1, 2}) != mixSeed({2, 1}));
    QVERIFY(mixSeed({1, 2}) != mixSeed({1, 2, 0}));
    QVERIFY(mixSeed({0}) != mixSeed({}));
    QCOMPARE(mixSeed({42, 1, 3}), mixSeed({42, 1, 3}));
}

QTEST_GUILESS_MAIN(tst_LoaderRandom)
#include "tst_loader_random.moc"
