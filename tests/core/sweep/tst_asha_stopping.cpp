// Asynchronous successive halving (asha_stopping.h): rungs below max_iter, the top-1/eta
// promotion rule among the runs that reached a rung so far, judgement once per rung in the order
// runs arrive (where W&B's hyperband would re-judge), ties, overshooting several rungs at once,
// finished runs only recorded, and maximize. Expected values are worked out in the comments.

#include "core/sweep/asha_stopping.h"
#include "core/sweep/hyperband_stopping.h"

#include <QtTest>

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

EarlyTerminate ashaConfig(int minIter, double eta, std::optional<int> maxIter = std::nullopt)
{
    EarlyTerminate config;
    config.type = EarlyTerminate::Type::Asha;
    config.minIter = minIter;
    config.eta = eta;
    config.maxIter = maxIter;
    return config;
}

} // namespace

class tst_AshaStopping : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rungsStopBelowMaxIter();
    void badConfigurationsThrow();
    void judgedOncePerRungInArrivalOrder();
    void topFractionGrowsWithTheRung();
    void overshootIsJudgedAtEveryRungReached();
    void maximizeNegates();
    void describeNamesTheRule();
};

void tst_AshaStopping::rungsStopBelowMaxIter()
{
    // 2·2^k below 16: 2, 4, 8; without max_iter 16 is a rung too.
    QCOMPARE(AshaStopper(ashaConfig(2, 2, 16), false).bands(100), (std::vector<int>{2, 4, 8}));
    QCOMPARE(AshaStopper(ashaConfig(2, 2, 16), false).bands(5), (std::vector<int>{2, 4}));
    QCOMPARE(AshaStopper(ashaConfig(2, 2), false).bands(20), (std::vector<int>{2, 4, 8, 16}));
    // eta defaults to 3 in the config: 1, 3, 9, 27.
    QCOMPARE(AshaStopper(ashaConfig(1, EarlyTerminate().eta), false).bands(30),
             (std::vector<int>{1, 3, 9, 27}));
}

void tst_AshaStopping::badConfigurationsThrow()
{
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, makeEarlyStopper(ashaConfig(0, 3), false));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, makeEarlyStopper(ashaConfig(4, 3, 4), false));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, makeEarlyStopper(ashaConfig(1, 1.0), false));
    EarlyTerminate noMinIter = ashaConfig(1, 3);
    noMinIter.minIter.reset();
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, makeEarlyStopper(noMinIter, false));
}

void tst_AshaStopping::judgedOncePerRungInArrivalOrder()
{
    // min_iter 2, eta 3: rungs 2, 6, 18.
    const AshaStopper asha(ashaConfig(2, 3), false);
    // Pass 1: run 1 reaches rung 2 with 5, alone: n = 1, k = max(1, 0) = 1, nobody better: goes on.
    QCOMPARE(asha.runsToStop({run(1, true, {5, 5})}), Ids{});
    // Pass 2: run 2 arrives with 3: records {5, 3}, k = 1, nobody better: goes on. Run 1 is not
    // judged again, although it is now second of two.
    const std::vector<RunProgress> pass2{run(1, true, {5, 5, 5}), run(2, true, {3, 3})};
    QCOMPARE(asha.runsToStop(pass2), Ids{});
    // W&B's hyperband on the same histories re-judges run 1: band 2 values [3, 5], index
    // int(2/3) = 0 -> threshold 3, and 5 > 3 stops it.
    EarlyTerminate hyperband;
    hyperband.minIter = 2;
    QCOMPARE(HyperbandStopper(hyperband, false).runsToStop(pass2), Ids{1});
    // Pass 3: run 3 arrives with 3, a tie with the best: {5, 3, 3}, n = 3, k = 1, nothing
    // strictly better: goes on (ties go to the run).
    QCOMPARE(asha.runsToStop({run(1, true, {5, 5, 5}), run(2, true, {3, 3}), run(3, true, {3, 3})}),
             Ids{});
    // Pass 4: run 4 arrives with 4: {5, 3, 3, 4}, n = 4, k = max(1, 1) = 1, two better: stops.
    const std::vector<RunProgress> pass4{run(1, true, {5, 5, 5, 5}),
                                         run(2, true, {3, 3, 3}),
                                         run(3, true, {3, 3}),
                                         run(4, true, {4, 4})};
    QCOMPARE(asha.runsToStop(pass4), Ids{4});
    // Pass 5: the same histories: run 4 is still running, so it is returned again; nobody else.
    QCOMPARE(asha.runsToStop(pass4), Ids{4});
    // Pass 6: run 4 has stopped (not running): nothing to return.
    std::vector<RunProgress> pass6 = pass4;
    pass6[3].running = false;
    QCOMPARE(asha.runsToStop(pass6), Ids{});
}

void tst_AshaStopping::topFractionGrowsWithTheRung()
{
    // min_iter 1, eta 3: rung 1 only matters here (histories of one value).
    const AshaStopper asha(ashaConfig(1, 3), false);
    std::vector<RunProgress> runs;
    // Finished runs are recorded but never judged: records {1, 2, 5, 6, 7}.
    for (auto [id, v] : std::vector<std::pair<int, double>>{{1, 1}, {2, 2}, {3, 5}, {4, 6}, {5, 7}})
        runs.push_back(run(id, false, {v}));
    QCOMPARE(asha.runsToStop(runs), Ids{});
    // Run 6 with 2.5: n = 6, k = floor(6/3) = 2, better {1, 2} = 2, not < 2: stops.
    runs.push_back(run(6, true, {2.5}));
    QCOMPARE(asha.runsToStop(runs), Ids{6});
    // Run 7 with 1.5: n = 7, k = 2, better {1} = 1 < 2: goes on (run 6 is still returned).
    runs.push_back(run(7, true, {1.5}));
    QCOMPARE(asha.runsToStop(runs), Ids{6});
    // Runs 8 and 9 arrive in the same pass with 1.8 then 1.6: run 8 sees n = 8, k = 2, better
    // {1, 1.5} = 2: stops; run 9 then sees n = 9, k = 3, better {1, 1.5} = 2 < 3: goes on.
    runs.push_back(run(8, true, {1.8}));
    runs.push_back(run(9, true, {1.6}));
    QCOMPARE(asha.runsToStop(runs), (Ids{6, 8}));
}

void tst_AshaStopping::overshootIsJudgedAtEveryRungReached()
{
    // min_iter 1, eta 2: rungs 1, 2, 4. Finished runs: [1, 1, 1, 1] and [2, 2, 2, 2].
    const AshaStopper asha(ashaConfig(1, 2), false);
    std::vector<RunProgress> runs{run(1, false, {1, 1, 1, 1}), run(2, false, {2, 2, 2, 2})};
    // Run 3 is first seen with four values [1, 1.5, 9, 9]. Rung 1: {1, 2, 1}, n = 3,
    // k = max(1, 1) = 1, nothing strictly better than 1: passes. Rung 2: {1, 2, 1.5}, k = 1, one
    // better: stops here. Rung 4 is recorded but no longer changes anything.
    runs.push_back(run(3, true, {1, 1.5, 9, 9}));
    QCOMPARE(asha.runsToStop(runs), Ids{3});
    // Run 4 first seen with [0.5, 0.5, 0.5, 8]: passes rungs 1 and 2 (best), then at rung 4
    // {1, 2, 9, 8}: n = 4, k = 2, better {1, 2} = 2: stops.
    runs.push_back(run(4, true, {0.5, 0.5, 0.5, 8}));
    QCOMPARE(asha.runsToStop(runs), (Ids{3, 4}));
}

void tst_AshaStopping::maximizeNegates()
{
    // The arrival example of judgedOncePerRungInArrivalOrder with negated values and maximize.
    const AshaStopper asha(ashaConfig(2, 3), true);
    QCOMPARE(asha.runsToStop({run(1, true, {-5, -5})}), Ids{});
    QCOMPARE(asha.runsToStop({run(1, true, {-5, -5}), run(2, true, {-3, -3})}), Ids{});
    QCOMPARE(asha.runsToStop({run(1, true, {-5, -5}),
                              run(2, true, {-3, -3}),
                              run(3, true, {-3, -3}),
                              run(4, true, {-4, -4})}),
             Ids{4});
    // Maximizing, a higher value is better: run 2 with 9 after run 1 with 5 goes on, run 3 with
    // 4 (n = 3, k = 1, two better) stops.
    const AshaStopper up(ashaConfig(1, 3), true);
    QCOMPARE(up.runsToStop({run(1, true, {5}), run(2, true, {9}), run(3, true, {4})}), Ids{3});
}

void tst_AshaStopping::describeNamesTheRule()
{
    QCOMPARE(makeEarlyStopper(ashaConfig(2, 3), false)->describe(),
             std::string("asha min_iter 2, eta 3"));
    QCOMPARE(makeEarlyStopper(ashaConfig(1, 4, 64), true)->describe(),
             std::string("asha min_iter 1, eta 4, max_iter 64"));
}

QTEST_GUILESS_MAIN(tst_AshaStopping)
#include "tst_asha_stopping.moc"
