// The report's statistics on samples small enough to compute by hand (each expected value is
// worked out in the comment next to it).

#include "core/report/statistics.h"

#include <QtTest>

#include <cmath>

using namespace seplab::report;

class tst_Statistics : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void meanAndSampleStd();
    void sampleStdNeedsTwoValues();
    void meanOfEmptyThrows();
    void quantileInterpolatesLinearly();
    void quantileRejectsBadInput();
    void pearsonOnAHandComputedSet();
    void pearsonIsUndefinedForConstantSides();
    void averageRanksShareTies();
    void spearmanUsesRanks();
};

void tst_Statistics::meanAndSampleStd()
{
    // mean 40/8 = 5; squared deviations 9+1+1+1+0+0+4+16 = 32; 32/7 = 4.5714...; sqrt = 2.13809
    const std::vector<double> values = {2, 4, 4, 4, 5, 5, 7, 9};
    QCOMPARE(mean(values), 5.0);
    QVERIFY(std::fabs(*sampleStd(values) - std::sqrt(32.0 / 7.0)) < 1e-12);
    QVERIFY(std::fabs(*sampleStd(values) - 2.13809) < 1e-5);
    // The users' seeds 4.65, 4.62, 4.75: mean 4.67333, std 0.06807 ("0.07" in the log).
    QVERIFY(std::fabs(*sampleStd({4.65, 4.62, 4.75}) - 0.0680686) < 1e-6);
}

void tst_Statistics::sampleStdNeedsTwoValues()
{
    QVERIFY(!sampleStd({3.0}).has_value());
    QVERIFY(!sampleStd({}).has_value());
    QCOMPARE(*sampleStd({1.0, 1.0}), 0.0);
}

void tst_Statistics::meanOfEmptyThrows()
{
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, mean({}));
}

void tst_Statistics::quantileInterpolatesLinearly()
{
    // Sorted {1, 2, 3, 4}: q = 0.25 sits at position 0.75 -> 1 + 0.75 * (2 - 1) = 1.75.
    QCOMPARE(quantile({4, 1, 3, 2}, 0.25), 1.75);
    QCOMPARE(quantile({4, 1, 3, 2}, 0.0), 1.0);
    QCOMPARE(quantile({4, 1, 3, 2}, 1.0), 4.0);
    QCOMPARE(quantile({4, 1, 3, 2}, 0.5), 2.5);
    QCOMPARE(quantile({7}, 0.9), 7.0);
}

void tst_Statistics::quantileRejectsBadInput()
{
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, quantile({}, 0.5));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, quantile({1, 2}, 1.5));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, quantile({1, 2}, std::nan("")));
}

void tst_Statistics::pearsonOnAHandComputedSet()
{
    // x = 1..5, y = 2,4,5,4,5: dx = -2,-1,0,1,2; dy = -2,0,1,0,1;
    // Sxy = 4+0+0+0+2 = 6, Sxx = 10, Syy = 6 -> r = 6 / sqrt(60) = 0.774597.
    const auto r = pearson({1, 2, 3, 4, 5}, {2, 4, 5, 4, 5});
    QVERIFY(r.has_value());
    QVERIFY(std::fabs(*r - 6.0 / std::sqrt(60.0)) < 1e-12);
    QVERIFY(std::fabs(*r - 0.774597) < 1e-6);
    // Reversing x flips the sign; an exact line gives exactly -1.
    QVERIFY(std::fabs(*pearson({5, 4, 3, 2, 1}, {2, 4, 5, 4, 5}) + 0.774597) < 1e-6);
    QVERIFY(std::fabs(*pearson({1, 2, 3}, {9, 7, 5}) + 1.0) < 1e-12);
}

void tst_Statistics::pearsonIsUndefinedForConstantSides()
{
    QVERIFY(!pearson({1, 1, 1}, {1, 2, 3}).has_value());
    QVERIFY(!pearson({1, 2, 3}, {4, 4, 4}).has_value());
    QVERIFY(!pearson({1}, {2}).has_value());
    QVERIFY(!pearson({1, 2}, {1, 2, 3}).has_value());
}

void tst_Statistics::averageRanksShareTies()
{
    // 10 is smallest (rank 1), the two 20s share ranks 2 and 3 -> 2.5, 30 is rank 4.
    const std::vector<double> expected = {2.5, 1.0, 4.0, 2.5};
    QCOMPARE(averageRanks({20, 10, 30, 20}), expected);
}

void tst_Statistics::spearmanUsesRanks()
{
    // Monotone but not linear: Spearman is exactly 1 where Pearson is not.
    const std::vector<double> x = {1, 2, 3, 4, 5};
    const std::vector<double> y = {1, 4, 9, 100, 1000};
    QCOMPARE(*spearman(x, y), 1.0);
    QVERIFY(*pearson(x, y) < 0.9);
    // With ties: ranks x = 1, 2.5, 2.5, 4 and y = 1, 2, 3, 4 give Sxy = 4.5, Sxx = 4.5, Syy = 5
    // -> 4.5 / sqrt(22.5) = 0.948683.
    QVERIFY(std::fabs(*spearman({1, 2, 2, 3}, {1, 2, 3, 4}) - 0.948683) < 1e-6);
}

QTEST_APPLESS_MAIN(tst_Statistics)
#include "tst_statistics.moc"
