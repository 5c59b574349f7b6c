// The chart's arithmetic on numbers worked out by hand: debiased EMA and per-column decimation.

#include "ui/monitor/curve_math.h"

#include <QtTest>

#include <cmath>

using seplab::ui::CurvePoint;
using seplab::ui::decimateToColumns;
using seplab::ui::smoothEma;

class tst_CurveMath : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void emaWithoutWeightIsIdentity();
    void emaRemovesStartupBias();
    void emaSkipsNonFiniteValues();
    void emaRefusesWeightOne();
    void fewPointsAreNotDecimated();
    void decimationKeepsFirstExtremesAndLastPerColumn();
};

void tst_CurveMath::emaWithoutWeightIsIdentity()
{
    const std::vector<CurvePoint> points = {{1, 3.5}, {2, -1.0}, {3, 2.25}};
    const auto out = smoothEma(points, 0.0);
    QCOMPARE(out.size(), std::size_t(3));
    for (std::size_t i = 0; i < 3; ++i) {
        QCOMPARE(out[i].x, points[i].x);
        QCOMPARE(out[i].y, points[i].y);
    }
}

void tst_CurveMath::emaRemovesStartupBias()
{
    // w = 0.5 over 1, 2, 3: s = 0.5, 1.25, 2.125; debias 0.5, 0.75, 0.875.
    const auto out = smoothEma({{1, 1.0}, {2, 2.0}, {3, 3.0}}, 0.5);
    QCOMPARE(out[0].y, 1.0);
    QVERIFY(std::abs(out[1].y - 1.25 / 0.75) < 1e-12);
    QVERIFY(std::abs(out[2].y - 2.125 / 0.875) < 1e-12);
    QCOMPARE(out[2].x, 3.0);
}

void tst_CurveMath::emaSkipsNonFiniteValues()
{
    // The NaN stays and does not count: 1 then 3 average as the first two values would.
    const auto out = smoothEma({{1, 1.0}, {2, NAN}, {3, 3.0}}, 0.5);
    QCOMPARE(out[0].y, 1.0);
    QVERIFY(std::isnan(out[1].y));
    QVERIFY(std::abs(out[2].y - 1.75 / 0.75) < 1e-12);
}

void tst_CurveMath::emaRefusesWeightOne()
{
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, smoothEma({{1, 1.0}}, 1.0));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, smoothEma({{1, 1.0}}, -0.1));
}

void tst_CurveMath::fewPointsAreNotDecimated()
{
    std::vector<CurvePoint> points;
    for (int i = 0; i < 7; ++i)
        points.push_back({double(i), double(i * i)});
    QCOMPARE(decimateToColumns(points, 2).size(), std::size_t(7)); // 7 < 4 * 2
}

void tst_CurveMath::decimationKeepsFirstExtremesAndLastPerColumn()
{
    // x = 0..39 in 2 columns: x 0..19 land in column 0 (19/39*2 < 1), x 20..39 in column 1.
    std::vector<CurvePoint> points;
    for (int i = 0; i < 40; ++i)
        points.push_back({double(i), 0.0});
    points[5].y = -3.0;
    points[12].y = 7.0;
    points[30].y = 4.0;
    points[33].y = -1.0;
    const auto out = decimateToColumns(points, 2);
    const std::vector<std::pair<double, double>> expected
        = {{0, 0}, {5, -3}, {12, 7}, {19, 0}, {20, 0}, {30, 4}, {33, -1}, {39, 0}};
    QCOMPARE(out.size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        QCOMPARE(out[i].x, expected[i].first);
        QCOMPARE(out[i].y, expected[i].second);
    }
}

QTEST_APPLESS_MAIN(tst_CurveMath)
#include "tst_curve_math.moc"
