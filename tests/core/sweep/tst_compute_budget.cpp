// The compute-budget arithmetic with numbers worked out by hand: successive halving's expected
// epochs, device- and wall-hours per stage and in total, a stage that cannot be estimated, and
// the seconds per sample and epoch from measured epochs.

#include "core/sweep/compute_budget.h"

#include <QtTest>

#include <cmath>

using namespace seplab::sweep;

namespace {

bool near(double a, double b)
{
    return std::abs(a - b) <= 1e-12 * std::max(1.0, std::abs(b));
}

} // namespace

class tst_ComputeBudget : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void expectedEpochs_data();
    void expectedEpochs();
    void badArgumentsThrow();
    void budgetPerStageAndTotal();
    void secondsPerSampleEpochFromTimings();
};

void tst_ComputeBudget::expectedEpochs_data()
{
    QTest::addColumn<int>("epochs");
    QTest::addColumn<std::vector<int>>("bands");
    QTest::addColumn<double>("survival");
    QTest::addColumn<double>("expected");
    // No bands: every trial runs every epoch.
    QTest::newRow("none") << 50 << std::vector<int>{} << 1.0 / 3.0 << 50.0;
    // Hyperband min_iter 10, eta 3 on 50 epochs: bands 10, 30.
    // 10 + (30 - 10)/3 + (50 - 30)/9 = (90 + 60 + 20)/9 = 170/9.
    QTest::newRow("hyperband 50") << 50 << std::vector<int>{10, 30} << 1.0 / 3.0 << 170.0 / 9.0;
    // On 80 epochs the same bands: 10 + 20/3 + 50/9 = (90 + 60 + 50)/9 = 200/9.
    QTest::newRow("hyperband 80") << 80 << std::vector<int>{30, 10} << 1.0 / 3.0 << 200.0 / 9.0;
    // Bands at or above the epochs decide nothing: 35 + (80 - 35)/3 = 50.
    QTest::newRow("band above") << 80 << std::vector<int>{35, 105, 80} << 1.0 / 3.0 << 50.0;
    // eta 2, bands 1, 2: 1 + (2 - 1)/2 + (4 - 2)/4 = 2.
    QTest::newRow("eta 2") << 4 << std::vector<int>{1, 2, 2} << 0.5 << 2.0;
}

void tst_ComputeBudget::expectedEpochs()
{
    QFETCH(int, epochs);
    QFETCH(std::vector<int>, bands);
    QFETCH(double, survival);
    QFETCH(double, expected);
    QVERIFY2(near(seplab::sweep::expectedEpochs(epochs, bands, survival), expected),
             qPrintable(
                 QString::number(seplab::sweep::expectedEpochs(epochs, bands, survival), 'g', 17)));
}

void tst_ComputeBudget::badArgumentsThrow()
{
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, seplab::sweep::expectedEpochs(0, {}, 1.0));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, seplab::sweep::expectedEpochs(5, {}, 0.0));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, estimateBudget({}, EpochRate{0.0, 1, {}}));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, estimateBudget({}, EpochRate{0.5, 0, {}}));
}

void tst_ComputeBudget::budgetPerStageAndTotal()
{
    StageBudgetInput search{"search", 40, 50, 2000, {10, 30}, 1.0 / 3.0, 8};
    StageBudgetInput validate{"validate", 15, 80, 16000, {}, 1.0, 8};
    StageBudgetInput unknown{"grid", std::nullopt, 10, 100, {}, 1.0, 8};
    StageBudgetInput noEpochs{"short", 4, std::nullopt, 100, {}, 1.0, 8};
    const ComputeBudget budget = estimateBudget({search, validate, unknown, noEpochs},
                                                EpochRate{0.01, 4, "test"});
    QCOMPARE(budget.stages.size(), std::size_t(4));

    // search: 2000 samples × 0.01 s = 20 s per epoch. All epochs: 40 × 50 × 20 = 40000 s,
    // / 4 trials per device / 3600 = 25/9 h. Expected: 40 × 170/9 × 20 = 136000/9 s, over 4 per
    // device = 136000/129600 h; wall over min(40, 8) = 8 at once = 136000/259200 h.
    const StageBudget &s = budget.stages[0];
    QVERIFY(s.unknown.empty());
    QCOMPARE(s.trials, 40.0);
    QCOMPARE(s.epochs, 50.0);
    QVERIFY(near(s.expectedEpochs, 170.0 / 9.0));
    QVERIFY(near(s.upperDeviceHours, 25.0 / 9.0));
    QVERIFY(near(s.expectedDeviceHours, 136000.0 / 129600.0));
    QVERIFY(near(s.expectedWallHours, 136000.0 / 259200.0));

    // validate: 15 × 80 × 16000 × 0.01 = 192000 s; / 4 / 3600 = 40/3 h; wall / 8 = 20/3 h.
    const StageBudget &v = budget.stages[1];
    QVERIFY(near(v.upperDeviceHours, 40.0 / 3.0));
    QVERIFY(near(v.expectedDeviceHours, 40.0 / 3.0));
    QVERIFY(near(v.expectedWallHours, 20.0 / 3.0));

    QCOMPARE(budget.stages[2].unknown, std::string("trials known after the derivation"));
    QCOMPARE(budget.stages[3].unknown, std::string("no epochs"));
    QCOMPARE(budget.unknownStages, 2);
    QVERIFY(near(budget.upperDeviceHours, 25.0 / 9.0 + 40.0 / 3.0));
    QVERIFY(near(budget.expectedDeviceHours, 136000.0 / 129600.0 + 40.0 / 3.0));
    QVERIFY(near(budget.expectedWallHours, 136000.0 / 259200.0 + 20.0 / 3.0));

    // Fewer trials than slots: 2 trials at once, not 8. 2 × 3 × 100 × 0.01 = 6 s, wall 3 s.
    const ComputeBudget small = estimateBudget({{"few", 2, 3, 100, {}, 1.0, 8}},
                                               EpochRate{0.01, 1, {}});
    QVERIFY(near(small.expectedDeviceHours, 6.0 / 3600.0));
    QVERIFY(near(small.expectedWallHours, 3.0 / 3600.0));
}

void tst_ComputeBudget::secondsPerSampleEpochFromTimings()
{
    QVERIFY(!secondsPerSampleEpoch({}));
    QVERIFY(!secondsPerSampleEpoch({{0, 3, 10.0}, {100, 0, 5.0}}));
    // (60 + 100) / (2000 × 3 + 4000 × 2) = 160 / 14000; the empty timings are left out.
    const std::optional<double> rate = secondsPerSampleEpoch(
        {{2000, 3, 60.0}, {4000, 2, 100.0}, {0, 4, 50.0}, {1000, 1, 0.0}});
    QVERIFY(rate);
    QVERIFY(near(*rate, 160.0 / 14000.0));
}

QTEST_APPLESS_MAIN(tst_ComputeBudget)
#include "tst_compute_budget.moc"
