// The median stopping rule with patience (median_stopping.h): the median at each step over the
// other runs (any state), best-so-far against it, the min_step and min_run_time gates, patience,
// recovery, ties, steps nobody else reached, maximize, and the users' conservative stage
// (min_run_time 1200, min_step 20, patience 5). Expected values are worked out in the comments.

#include "core/sweep/median_stopping.h"

#include <QtTest>

using namespace seplab::sweep;

namespace {

using Ids = std::vector<std::int64_t>;

RunProgress run(std::int64_t id, bool running, std::vector<double> values, double runtime = 0.0)
{
    RunProgress r;
    r.id = id;
    r.running = running;
    r.values = std::move(values);
    r.runtimeSeconds = runtime;
    return r;
}

EarlyTerminate medianConfig(double minRunTime, int minStep, int patience)
{
    EarlyTerminate config;
    config.type = EarlyTerminate::Type::MedianStopping;
    config.minRunTime = minRunTime;
    config.minStep = minStep;
    config.patience = patience;
    return config;
}

// Two finished runs every example compares against.
//   step:  1  2  3  4  5
//   o1:    5  4  3  2  1
//   o2:    6  5  4  3  2
std::vector<RunProgress> others()
{
    return {run(101, false, {5, 4, 3, 2, 1}), run(102, false, {6, 5, 4, 3, 2})};
}

std::vector<RunProgress> with(RunProgress r)
{
    std::vector<RunProgress> runs = others();
    runs.push_back(std::move(r));
    return runs;
}

} // namespace

class tst_MedianStopping : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void medianOfOddAndEvenCounts();
    void streakCountsConsecutiveStepsBelowTheMedian();
    void gatesAndPatienceDecide();
    void recoveryAndTiesBreakTheStreak();
    void otherRunningRunsCount();
    void maximizeNegates();
    void usersConservativeStage();
    void badConfigurationsThrow();
};

void tst_MedianStopping::medianOfOddAndEvenCounts()
{
    QCOMPARE(median({3, 1, 2}), 2.0);
    QCOMPARE(median({4, 1, 3, 2}), 2.5);
    QCOMPARE(median({7}), 7.0);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, median({}));
}

void tst_MedianStopping::streakCountsConsecutiveStepsBelowTheMedian()
{
    // min_step 2. Run 1 = [6, 6, 6, 6, 6, 6]. Medians of o1, o2 at steps 2..5: 4.5, 3.5, 2.5,
    // 1.5; best so far 6 is above each: four judgements below. Step 6 nobody else reached: no
    // judgement, the streak stays 4.
    const MedianStopper stopper(medianConfig(0, 2, 1), false);
    const std::vector<RunProgress> runs = with(run(1, true, {6, 6, 6, 6, 6, 6}));
    QCOMPARE(stopper.belowMedianStreak(runs.back(), runs), 4);
    // With min_step 4 only steps 4 and 5 are judged.
    QCOMPARE(MedianStopper(medianConfig(0, 4, 1), false).belowMedianStreak(runs.back(), runs), 2);
    // min_step 0 judges from step 1: median 5.5, 6 > 5.5 below too.
    QCOMPARE(MedianStopper(medianConfig(0, 0, 1), false).belowMedianStreak(runs.back(), runs), 5);
    QCOMPARE(stopper.bands(5), (std::vector<int>{2, 3, 4, 5}));
}

void tst_MedianStopping::gatesAndPatienceDecide()
{
    // Run 1 = [6, 6, 6] judged at steps 2, 3 (medians 4.5, 3.5): streak 2.
    const MedianStopper patience2(medianConfig(100, 2, 2), false);
    const MedianStopper patience3(medianConfig(100, 2, 3), false);
    QCOMPARE(patience2.runsToStop(with(run(1, true, {6, 6, 6}, 200))), Ids{1});
    QCOMPARE(patience3.runsToStop(with(run(1, true, {6, 6, 6}, 200))), Ids{});
    // A fourth value makes the streak 3.
    QCOMPARE(patience3.runsToStop(with(run(1, true, {6, 6, 6, 6}, 200))), Ids{1});
    // Before min_run_time (100 s) nothing is stopped.
    QCOMPARE(patience2.runsToStop(with(run(1, true, {6, 6, 6}, 99.5))), Ids{});
    // Before min_step values (one value of two) nothing is stopped, with patience 0 too.
    QCOMPARE(MedianStopper(medianConfig(0, 2, 0), false).runsToStop(with(run(1, true, {9}, 500))),
             Ids{});
    // Patience 0 stops at the first judgement below: step 2 of [6, 6].
    QCOMPARE(MedianStopper(medianConfig(0, 2, 0), false).runsToStop(with(run(1, true, {6, 6}, 1))),
             Ids{1});
    // A run that is not running is never returned.
    QCOMPARE(patience2.runsToStop(with(run(1, false, {6, 6, 6}, 200))), Ids{});
}

void tst_MedianStopping::recoveryAndTiesBreakTheStreak()
{
    const MedianStopper stopper(medianConfig(0, 2, 2), false);
    // [6, 6, 6, 2]: below at steps 2 and 3, then best 2 < median 2.5 at step 4: streak 0.
    std::vector<RunProgress> runs = with(run(1, true, {6, 6, 6, 2}));
    QCOMPARE(stopper.belowMedianStreak(runs.back(), runs), 0);
    QCOMPARE(stopper.runsToStop(runs), Ids{});
    // [9, 4.5, 9, 9]: step 2 best 4.5 = median 4.5 is a tie (not below), step 3 best 4.5 > 3.5
    // below, step 4 4.5 > 2.5 below: streak 2.
    runs = with(run(1, true, {9, 4.5, 9, 9}));
    QCOMPARE(stopper.belowMedianStreak(runs.back(), runs), 2);
    // Best so far, not the latest value: [3, 9, 9] stays at best 3; step 2 median 4.5 and step 3
    // median 3.5 are both above 3: streak 0.
    runs = with(run(1, true, {3, 9, 9}));
    QCOMPARE(stopper.belowMedianStreak(runs.back(), runs), 0);
}

void tst_MedianStopping::otherRunningRunsCount()
{
    // A third, running run o3 = [1, 1, 1] joins the population: medians of {4, 5, 1} at step 2
    // = 4 and of {3, 4, 1} at step 3 = 3. Run 1 = [4, 4, 3.5]: step 2 best 4 = 4 (tie), step 3
    // best 3.5 > 3 below: streak 1. Without o3 the medians are 4.5 and 3.5: no judgement below.
    const MedianStopper stopper(medianConfig(0, 2, 1), false);
    std::vector<RunProgress> runs = with(run(1, true, {4, 4, 3.5}));
    QCOMPARE(stopper.belowMedianStreak(runs.back(), runs), 0);
    QCOMPARE(stopper.runsToStop(runs), Ids{});
    runs.push_back(run(3, true, {1, 1, 1}));
    QCOMPARE(stopper.belowMedianStreak(runs[2], runs), 1);
    // o3 itself: step 2 best 1 against {4, 5, 4} -> 4, step 3 against {3, 4, 3.5} -> 3.5: never
    // below. Only run 1 stops.
    QCOMPARE(stopper.runsToStop(runs), Ids{1});
}

void tst_MedianStopping::maximizeNegates()
{
    // The gatesAndPatienceDecide example negated, goal maximize: the same run stops.
    std::vector<RunProgress> runs = with(run(1, true, {6, 6, 6}, 200));
    for (RunProgress &r : runs)
        for (double &v : r.values)
            v = -v;
    QCOMPARE(MedianStopper(medianConfig(100, 2, 2), true).runsToStop(runs), Ids{1});
    // Minimizing those negated values, run 1 (-6, the lowest) is the best and goes on.
    QCOMPARE(MedianStopper(medianConfig(100, 2, 2), false).runsToStop(runs), Ids{});
}

void tst_MedianStopping::usersConservativeStage()
{
    // min_run_time 1200, min_step 20, patience 5 (dprnn-stage3-8k-conservative.yaml), SI-SDR
    // maximized. Other runs: a at 10 dB and b at 12 dB at every step; median 11. Run 1 logs 9 dB
    // for 24 values: judged at steps 20..24, five judgements below: stopped once past 1200 s.
    const auto stopper = makeEarlyStopper(medianConfig(1200, 20, 5), true);
    QCOMPARE(stopper->describe(),
             std::string("median_stopping min_step 20, min_run_time 1200 s, patience 5"));
    std::vector<RunProgress> runs{run(1, false, std::vector<double>(40, 10.0)),
                                  run(2, false, std::vector<double>(40, 12.0)),
                                  run(3, true, std::vector<double>(24, 9.0), 1300)};
    QCOMPARE(stopper->runsToStop(runs), Ids{3});
    // 23 values: only four judgements.
    runs[2].values.pop_back();
    QCOMPARE(stopper->runsToStop(runs), Ids{});
    // 24 values but 1199 s.
    runs[2].values.push_back(9.0);
    runs[2].runtimeSeconds = 1199;
    QCOMPARE(stopper->runsToStop(runs), Ids{});
    // 11.5 dB (above the median) is never stopped.
    runs[2] = run(3, true, std::vector<double>(30, 11.5), 5000);
    QCOMPARE(stopper->runsToStop(runs), Ids{});
    QCOMPARE(stopper->bands(22), (std::vector<int>{20, 21, 22}));
}

void tst_MedianStopping::badConfigurationsThrow()
{
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, MedianStopper(medianConfig(-1, 2, 2), false));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, MedianStopper(medianConfig(0, -1, 2), false));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, MedianStopper(medianConfig(0, 2, -1), false));
}

QTEST_GUILESS_MAIN(tst_MedianStopping)
#include "tst_median_stopping.moc"
