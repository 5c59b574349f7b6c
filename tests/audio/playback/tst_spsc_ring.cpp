#include "audio/playback/spsc_ring.h"

#include <QtTest>

#include <cstdint>
#include <thread>

using seplab::audio::SpscRing;

class tst_SpscRing : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void keepsOrderAndRefusesWhenFull();
    void wrapsAroundManyTimes();
    void transfersEveryValueAcrossThreads();
};

void tst_SpscRing::keepsOrderAndRefusesWhenFull()
{
    SpscRing<int, 4> ring;
    int value = -1;
    QVERIFY(!ring.pop(value));
    for (int i = 0; i < 4; ++i)
        QVERIFY(ring.push(10 + i));
    QVERIFY(!ring.push(99)); // full: refused, nothing overwritten
    QCOMPARE(ring.size(), std::size_t(4));
    for (int i = 0; i < 4; ++i) {
        QVERIFY(ring.pop(value));
        QCOMPARE(value, 10 + i);
    }
    QVERIFY(!ring.pop(value));
    QCOMPARE(value, 13); // a failed pop leaves the output alone
}

void tst_SpscRing::wrapsAroundManyTimes()
{
    // 1000 rounds of 3 in, 3 out through 4 slots: the indices pass the capacity 750 times.
    SpscRing<std::int64_t, 4> ring;
    std::int64_t next = 0, expected = 0, value = 0;
    for (int round = 0; round < 1000; ++round) {
        for (int i = 0; i < 3; ++i)
            QVERIFY(ring.push(next++));
        for (int i = 0; i < 3; ++i) {
            QVERIFY(ring.pop(value));
            QCOMPARE(value, expected++);
        }
    }
    QCOMPARE(expected, std::int64_t(3000));
    QCOMPARE(ring.size(), std::size_t(0));
}

void tst_SpscRing::transfersEveryValueAcrossThreads()
{
    // One producer, one consumer, a ring far smaller than the traffic: every value arrives once,
    // in order. 1 + 2 + ... + 200000 = 200000 * 200001 / 2.
    constexpr std::int64_t count = 200000;
    SpscRing<std::int64_t, 64> ring;
    std::thread producer([&ring] {
        for (std::int64_t i = 1; i <= count;)
            if (ring.push(i))
                ++i;
    });
    std::int64_t sum = 0, previous = 0, received = 0, value = 0;
    bool ordered = true;
    while (received < count) {
        if (!ring.pop(value))
            continue;
        ordered = ordered && value == previous + 1;
        previous = value;
        sum += value;
        ++received;
    }
    producer.join();
    QVERIFY(ordered);
    QCOMPARE(sum, count * (count + 1) / 2);
}

QTEST_GUILESS_MAIN(tst_SpscRing)
#include "tst_spsc_ring.moc"
