// W&B's hyperband rule (spec hpo.md §1(a), §1(g)): the bands of both config forms (the spec's
// worked examples), the threshold over every run that reached a band whatever its state, the
// floor(n/eta) index (n = 1, 2, 9), strict against conservative decisions, ties, re-judging on
// every pass and maximize. Every expected value is worked out by hand in the comments.

#include "core/sweep/early_termination.h"
#include "core/sweep/hyperband_stopping.h"

#include <QtTest>

#include <limits>

using namespace seplab::sweep;

namespace {

using Ids = std::vector<std::int64_t>;

RunProgress run(std::int64_t id, bool running, std::vector<double> values)
{
    RunProgress r;
    r.id = id;
    r.running = running;
    r.values = std::move(values);
    return r;
}

EarlyTerminate minIterConfig(int minIter, double eta, bool strict = true)
{
    EarlyTerminate config;
    config.type = EarlyTerminate::Type::Hyperband;
    config.minIter = minIter;
    config.eta = eta;
    config.strict = strict;
    return config;
}

EarlyTerminate maxIterConfig(int maxIter, int s, double eta, bool strict = true)
{
    EarlyTerminate config;
    config.type = EarlyTerminate::Type::Hyperband;
    config.maxIter = maxIter;
    config.s = s;
    config.eta = eta;
    config.strict = strict;
    return config;
}

std::vector<RunProgress> negated(std::vector<RunProgress> runs)
{
    for (RunProgress &r : runs)
        for (double &v : r.values)
            v = -v;
    return runs;
}

} // namespace

class tst_HyperbandStopping : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void maxIterBandsAreTheSpecsExamples();
    void minIterLadderIgnoresS();
    void noBandIsAnError();
    void loneRunSurvives();
    void twoRunsOnlyTheBetterSurvives();
    void nineRunsBestFourSurvive();
    void thresholdCountsRunsInAnyState();
    void strictAndConservativeDiffer();
    void tiesSurvive();
    void passedBandIsJudgedAgainOnEveryPass();
    void maximizeNegates();
    void describeNamesTheRule();
};

void tst_HyperbandStopping::maxIterBandsAreTheSpecsExamples()
{
    // 27/3 = 9, 9/3 = 3 -> [3, 9]; 18/3 = 6, 6/3 = 2 -> [2, 6]; 81 -> 27, 9, 3.
    QCOMPARE(HyperbandStopper(maxIterConfig(27, 2, 3), false).bands(1000), (std::vector<int>{3, 9}));
    QCOMPARE(HyperbandStopper(maxIterConfig(18, 2, 3), false).bands(1000), (std::vector<int>{2, 6}));
    QCOMPARE(HyperbandStopper(maxIterConfig(81, 3, 3), false).bands(1000),
             (std::vector<int>{3, 9, 27}));
    // max_iter itself is no band, and the division stops below 1: 5/2 = 2.5 -> 2, 1.25 -> 1,
    // 0.625 stops although s allows a third.
    QCOMPARE(HyperbandStopper(maxIterConfig(5, 3, 2), false).bands(1000), (std::vector<int>{1, 2}));
    // Only bands up to the asked iteration.
    QCOMPARE(HyperbandStopper(maxIterConfig(81, 3, 3), false).bands(26), (std::vector<int>{3, 9}));
    // max_iter wins when min_iter is also given.
    EarlyTerminate both = maxIterConfig(27, 2, 3);
    both.minIter = 5;
    QCOMPARE(HyperbandStopper(both, false).bands(1000), (std::vector<int>{3, 9}));
}

void tst_HyperbandStopping::minIterLadderIgnoresS()
{
    // 3·3^k: 3, 9, 27, 81, 243.
    QCOMPARE(HyperbandStopper(minIterConfig(3, 3), false).bands(100),
             (std::vector<int>{3, 9, 27, 81}));
    QCOMPARE(HyperbandStopper(minIterConfig(3, 3), false).bands(80), (std::vector<int>{3, 9, 27}));
    EarlyTerminate withS = minIterConfig(35, 3); // the users' grid stage: min_iter 35, s 2
    withS.s = 2;
    QCOMPARE(HyperbandStopper(withS, false).bands(1000), (std::vector<int>{35, 105, 315, 945}));
    // A fractional eta truncates each rung of the float: 2, 5, 12.5, 31.25, 78.125.
    QCOMPARE(HyperbandStopper(minIterConfig(2, 2.5), false).bands(100),
             (std::vector<int>{2, 5, 12, 31, 78}));
    QCOMPARE(HyperbandStopper(minIterConfig(2, 2.5), false).bands(1), (std::vector<int>{}));
}

void tst_HyperbandStopping::noBandIsAnError()
{
    // 2/3 < 1 at once: no band.
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, makeEarlyStopper(maxIterConfig(2, 1, 3), false));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             makeEarlyStopper(maxIterConfig(27, 0, 3), false));
    EarlyTerminate none;
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, makeEarlyStopper(none, false));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, makeEarlyStopper(minIterConfig(3, 1.0), false));
}

void tst_HyperbandStopping::loneRunSurvives()
{
    // n = 1 at band 3: the threshold is the run's own value, so even a bad one survives.
    for (bool strict : {true, false}) {
        const HyperbandStopper stopper(minIterConfig(3, 3, strict), false);
        const std::vector<RunProgress> runs{run(1, true, {100, 200, 300, 400})};
        QCOMPARE(stopper.threshold(runs, 3), 300.0);
        QCOMPARE(stopper.runsToStop(runs), Ids{});
    }
}

void tst_HyperbandStopping::twoRunsOnlyTheBetterSurvives()
{
    // min_iter 3, eta 3. Third values: run 1 -> 10, run 2 -> 8. n = 2, index int(2/3) = 0, so the
    // threshold is the best, 8: run 1 (10 > 8) stops, run 2 stays.
    const HyperbandStopper stopper(minIterConfig(3, 3), false);
    const std::vector<RunProgress> runs{run(1, true, {10, 10, 10, 10}),
                                        run(2, true, {10, 9, 8, 7, 6, 5, 4, 3})};
    QCOMPARE(stopper.threshold(runs, 3), 8.0);
    QCOMPARE(stopper.runsToStop(runs), Ids{1});
}

void tst_HyperbandStopping::nineRunsBestFourSurvive()
{
    // Nine running runs whose third values are 1..9 (given out of order). n = 9, index 3: the
    // threshold is the 4th best, 4; the runs with 5..9 stop.
    const HyperbandStopper stopper(minIterConfig(3, 3), false);
    const std::vector<double> third{7, 2, 9, 4, 1, 8, 3, 6, 5};
    std::vector<RunProgress> runs;
    for (std::size_t i = 0; i < third.size(); ++i)
        runs.push_back(run(std::int64_t(i + 1), true, {0.5, 0.5, third[i]}));
    QCOMPARE(stopper.threshold(runs, 3), 4.0);
    QCOMPARE(stopper.runsToStop(runs), (Ids{1, 3, 6, 8, 9})); // values 7, 9, 8, 6, 5
}

void tst_HyperbandStopping::thresholdCountsRunsInAnyState()
{
    // Runs 1-3 are finished/stopped with third values 1, 2, 3; running run 4 has 4. n = 4,
    // index int(4/3) = 1: threshold 2, so run 4 stops. Alone it would survive. A finished run
    // that is worse than the threshold is never returned.
    const HyperbandStopper stopper(minIterConfig(3, 3), false);
    const std::vector<RunProgress> runs{run(1, false, {9, 9, 1}),
                                        run(2, false, {9, 9, 2}),
                                        run(3, false, {9, 9, 3}),
                                        run(4, true, {9, 9, 4}),
                                        run(5, false, {9, 9, 50})};
    // n = 5 with run 5: index 1 still, threshold 2.
    QCOMPARE(stopper.threshold(runs, 3), 2.0);
    QCOMPARE(stopper.runsToStop(runs), Ids{4});
    QCOMPARE(stopper.runsToStop({runs[3]}), Ids{});
    // A run shorter than the first band is not judged; at band 9 nobody has values: +infinity.
    QCOMPARE(stopper.runsToStop({runs[0], run(6, true, {99, 99})}), Ids{});
    QCOMPARE(stopper.threshold(runs, 9), std::numeric_limits<double>::infinity());
}

void tst_HyperbandStopping::strictAndConservativeDiffer()
{
    // max_iter 9, s 2, eta 3: bands [1, 3].
    //   a finished [10, 9]
    //   b running  [10, 10]          closest band 1
    //   c running  [10, 8, 8, 3]     closest band 3
    //   d running  [10, 7, 7, 4]     closest band 3
    //   e running  [10, 6, 6, 6]     closest band 3
    // Band 1: five 10s, index int(5/3) = 1 -> 10. Band 3: c, d, e -> [6, 7, 8], index 1 -> 7.
    // Strict: b 10 <= 10 stays (tie), c 8 > 7 stops, d 7 stays, e 6 stays.
    // Conservative (best so far): c's best is 3 (logged after the band) <= 7, so c stays.
    const std::vector<RunProgress> runs{run(1, false, {10, 9}),
                                        run(2, true, {10, 10}),
                                        run(3, true, {10, 8, 8, 3}),
                                        run(4, true, {10, 7, 7, 4}),
                                        run(5, true, {10, 6, 6, 6})};
    const HyperbandStopper strict(maxIterConfig(9, 2, 3, true), false);
    QCOMPARE(strict.bands(100), (std::vector<int>{1, 3}));
    QCOMPARE(strict.threshold(runs, 1), 10.0);
    QCOMPARE(strict.threshold(runs, 3), 7.0);
    QCOMPARE(strict.runsToStop(runs), Ids{3});
    const HyperbandStopper conservative(maxIterConfig(9, 2, 3, false), false);
    QCOMPARE(conservative.runsToStop(runs), Ids{});

    // Min_iter 3: running x [9, 9, 9, 2] against finished [5, 5, 5] and [4, 4, 4]. Band 3 values
    // [4, 5, 9], index 1 -> 5. Strict: 9 > 5 stops; conservative: best 2 <= 5 stays.
    const std::vector<RunProgress> second{run(1, true, {9, 9, 9, 2}),
                                          run(2, false, {5, 5, 5}),
                                          run(3, false, {4, 4, 4})};
    QCOMPARE(HyperbandStopper(minIterConfig(3, 3, true), false).runsToStop(second), Ids{1});
    QCOMPARE(HyperbandStopper(minIterConfig(3, 3, false), false).runsToStop(second), Ids{});
}

void tst_HyperbandStopping::tiesSurvive()
{
    // Two runs with the same third value 4: threshold index 0 -> 4; 4 > 4 is false.
    const HyperbandStopper stopper(minIterConfig(3, 3), false);
    QCOMPARE(stopper.runsToStop({run(1, true, {1, 1, 4}), run(2, true, {1, 1, 4})}), Ids{});
}

void tst_HyperbandStopping::passedBandIsJudgedAgainOnEveryPass()
{
    // Pass 1: run 1 alone at band 3 survives. Pass 2: finished runs with third values 1 and 2
    // reached band 3 meanwhile: [1, 2, 5], index 1 -> 2, and run 1 (still below band 9) stops.
    const HyperbandStopper stopper(minIterConfig(3, 3), false);
    const RunProgress c = run(1, true, {5, 5, 5, 5});
    QCOMPARE(stopper.runsToStop({c}), Ids{});
    QCOMPARE(stopper.runsToStop({c, run(2, false, {1, 1, 1}), run(3, false, {2, 2, 2})}), Ids{1});
}

void tst_HyperbandStopping::maximizeNegates()
{
    // The strict example with every value negated and the goal maximize stops the same run.
    const std::vector<RunProgress> runs = negated({run(1, false, {10, 9}),
                                                   run(2, true, {10, 10}),
                                                   run(3, true, {10, 8, 8, 3}),
                                                   run(4, true, {10, 7, 7, 4}),
                                                   run(5, true, {10, 6, 6, 6})});
    const HyperbandStopper strict(maxIterConfig(9, 2, 3, true), true);
    QCOMPARE(strict.threshold(runs, 3), 7.0); // in the negated (smaller-is-better) scale
    QCOMPARE(strict.runsToStop(runs), Ids{3});
    // Without maximize the same raw values pick the opposite: band 3 [-8, -7, -6] -> -7, so e
    // (-6) stops and b's -10 at band 1 is the best.
    QCOMPARE(HyperbandStopper(maxIterConfig(9, 2, 3, true), false).runsToStop(runs), Ids{5});
    // W&B's two-run maximize example: accuracy 10 flat against 10, 11, 12, ...: the flat run stops.
    const std::vector<RunProgress> accuracy{run(1, true, {10, 10, 10, 10}),
                                            run(2, true, {10, 11, 12, 13, 14, 15})};
    QCOMPARE(HyperbandStopper(minIterConfig(3, 3), true).runsToStop(accuracy), Ids{1});
}

void tst_HyperbandStopping::describeNamesTheRule()
{
    QCOMPARE(makeEarlyStopper(minIterConfig(10, 3), false)->describe(),
             std::string("hyperband min_iter 10, eta 3, strict"));
    QCOMPARE(makeEarlyStopper(maxIterConfig(27, 2, 2.5, false), true)->describe(),
             std::string("hyperband max_iter 27, s 2, eta 2.5, conservative"));
}

QTEST_GUILESS_MAIN(tst_HyperbandStopping)
#include "tst_hyperband_stopping.moc"
