// The multivariate TPE (spec hpo.md §2 "TPESampler"): Optuna's gamma and weights, its ranking of
// finished, stopped (pruned) and running trials into the good and bad groups, the random start,
// determinism, the constant liar, categorical choices without order, and that it beats random
// search on the Branin function.

#include "core/sweep/samplers.h"
#include "core/sweep/tpe_sampler.h"
#include "sampler_test_support.h"

#include <QtTest>

#include <cmath>

using namespace seplab::sweep;
using namespace seplab::sweep::test;
using nlohmann::json;

namespace {

// `n` finished random trials of the Branin space, maximising −Branin.
std::vector<TrialObservation> braninHistory(std::uint64_t seed, int n)
{
    const RandomSampler random(space(kBraninSpace), seed);
    std::vector<TrialObservation> trials;
    for (int i = 0; i < n; ++i) {
        const json c = random.configuration(std::uint64_t(i));
        trials.push_back(trial(c, TrialOutcome::Finished, {-braninOf(c)}));
    }
    return trials;
}

} // namespace

class tst_TpeSampler : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void gammaAndWeightsAreOptunas();
    void splitRanksFinishedThenStoppedThenRunning();
    void startIsTheRandomDraw();
    void suggestionsAreDeterministicPerSeed();
    void runningTrialsAreLiedAboutAsTheWorst();
    void categoricalChoiceFollowsTheGoodGroup();
    void beatsRandomSearchOnBranin();
};

void tst_TpeSampler::gammaAndWeightsAreOptunas()
{
    // min(ceil(0.1 n), 25)
    QCOMPARE(TpeSampler::gamma(0), std::size_t(0));
    QCOMPARE(TpeSampler::gamma(1), std::size_t(1));
    QCOMPARE(TpeSampler::gamma(10), std::size_t(1));
    QCOMPARE(TpeSampler::gamma(11), std::size_t(2));
    QCOMPARE(TpeSampler::gamma(249), std::size_t(25));
    QCOMPARE(TpeSampler::gamma(1000), std::size_t(25));
    QCOMPARE(TpeSampler::weights(3), (std::vector<double>{1.0, 1.0, 1.0}));
    // 26: linspace(1/26, 1, 1) = [1/26], then 25 ones.
    const auto w26 = TpeSampler::weights(26);
    QCOMPARE(w26.size(), std::size_t(26));
    QCOMPARE(w26[0], 1.0 / 26.0);
    QCOMPARE(w26[1], 1.0);
    // 30: linspace(1/30, 1, 5): steps of (29/30)/4.
    const auto w30 = TpeSampler::weights(30);
    QCOMPARE(w30.size(), std::size_t(30));
    QVERIFY(std::abs(w30[2] - (1.0 / 30.0 + 2.0 * (29.0 / 30.0) / 4.0)) < 1e-15);
    QCOMPARE(w30[4], 1.0);
}

void tst_TpeSampler::splitRanksFinishedThenStoppedThenRunning()
{
    const SearchSpace s = space("w:\n  min: 0.0\n  max: 1.0\n");
    TpeSampler sampler(s, metric("maximize"), 1);
    std::vector<TrialObservation> trials;
    // 0..11: finished with best values 0.0, 0.1, ..., 1.1 (maximised: 11 and 10 are the best).
    for (int i = 0; i < 12; ++i)
        trials.push_back(trial({{"w", 0.5}}, TrialOutcome::Finished, {-1.0, 0.1 * i}));
    trials.push_back(trial({{"w", 0.5}}, TrialOutcome::Stopped, {5.0}));   // 12
    trials.push_back(trial({{"w", 0.5}}, TrialOutcome::Running, {9.0}));   // 13
    trials.push_back(trial({{"w", 0.5}}, TrialOutcome::Failed, {9.0}));    // 14: left out
    trials.push_back(trial({{"w", 0.5}}, TrialOutcome::Finished, {}));     // 15: left out
    trials.push_back(trial({{"v", 0.5}}, TrialOutcome::Finished, {99.0})); // 16: not this space
    auto split = sampler.split(trials);
    // 13 ranked → gamma 2: the two best finished; a stopped trial ranks after every finished one
    // however good its value, and the running one is in the bad group.
    QCOMPARE(split.ranked, std::size_t(13));
    QCOMPARE(split.below, (std::vector<std::size_t>{10, 11}));
    QCOMPARE(split.above, (std::vector<std::size_t>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 13}));

    // Few finished: stopped trials fill the good group, deepest first, then by last value.
    std::vector<TrialObservation> pruned = {trial({{"w", 0.1}}, TrialOutcome::Finished, {0.2})};
    for (int i = 0; i < 9; ++i)
        pruned.push_back(trial({{"w", 0.1}}, TrialOutcome::Stopped, {0.1, 0.1 * i}));
    pruned.push_back(trial({{"w", 0.1}}, TrialOutcome::Stopped, {0.0, 0.0, 0.0})); // 10: deepest
    pruned.push_back(trial({{"w", 0.1}}, TrialOutcome::Stopped, {}));              // 11
    split = sampler.split(pruned);
    QCOMPARE(split.ranked, std::size_t(12));
    QCOMPARE(split.below, (std::vector<std::size_t>{0, 10}));
    pruned.pop_back();
    pruned.pop_back();
    pruned.push_back(trial({{"w", 0.1}}, TrialOutcome::Stopped, {0.0, 0.95})); // 10 again
    split = sampler.split(pruned);
    // 11 ranked → gamma 2: the finished one, then the stopped one of the two steps whose last
    // value is the best (0.95 beats 0.8).
    QCOMPARE(split.below, (std::vector<std::size_t>{0, 10}));
}

void tst_TpeSampler::startIsTheRandomDraw()
{
    const SearchSpace s = space(kBraninSpace);
    TpeSampler sampler(s, metric("maximize"), 21);
    const RandomSampler random(s, 21);
    auto trials = braninHistory(21, 9);
    // Running and failed trials do not count toward the 10 startup trials.
    trials.push_back(trial(random.configuration(9), TrialOutcome::Running, {}));
    trials.push_back(trial(random.configuration(10), TrialOutcome::Failed, {}));
    QCOMPARE(*sampler.suggest(11, trials), random.configuration(11));
    QCOMPARE(*sampler.suggest(0, {}), random.configuration(0));
    trials.push_back(braninHistory(21, 10).back()); // the tenth finished trial
    QVERIFY(*sampler.suggest(11, trials) != random.configuration(11));
}

void tst_TpeSampler::suggestionsAreDeterministicPerSeed()
{
    const SearchSpace s = space(kBraninSpace);
    const auto trials = braninHistory(8, 15);
    TpeSampler a(s, metric("maximize"), 8), b(s, metric("maximize"), 8);
    TpeSampler other(s, metric("maximize"), 9);
    const json first = *a.suggest(15, trials);
    QCOMPARE(*a.suggest(15, trials), first);
    QCOMPARE(*b.suggest(15, trials), first);
    QVERIFY(*other.suggest(15, trials) != first);
    QVERIFY(*a.suggest(16, trials) != first);
}

void tst_TpeSampler::runningTrialsAreLiedAboutAsTheWorst()
{
    const SearchSpace s = space(kBraninSpace);
    auto trials = braninHistory(4, 20);
    TpeSampler sampler(s, metric("maximize"), 4);
    const json alone = *sampler.suggest(20, trials);
    // Three workers already run that point: as bad-group members they make g(x) large there,
    // so the same draw (same trial number) now prefers a candidate elsewhere.
    for (int i = 0; i < 3; ++i)
        trials.push_back(trial(alone, TrialOutcome::Running, {}));
    const json next = *sampler.suggest(20, trials);
    const double dx = (next.at("x1").get<double>() - alone.at("x1").get<double>()) / 15.0;
    const double dy = (next.at("x2").get<double>() - alone.at("x2").get<double>()) / 15.0;
    qInfo("moved %.4f (unit cube) away from the running point", std::sqrt(dx * dx + dy * dy));
    QVERIFY(std::sqrt(dx * dx + dy * dy) > 0.01);
}

void tst_TpeSampler::categoricalChoiceFollowsTheGoodGroup()
{
    // Only `act: silu` scores; the list order carries no meaning, and silu sits in the middle.
    const SearchSpace s = space("act:\n  values: [relu, gelu, silu, tanh, elu]\n");
    const RandomSampler random(s, 2);
    std::vector<TrialObservation> trials;
    int silu = 0;
    for (int i = 0; i < 20; ++i) {
        const json c = random.configuration(std::uint64_t(i));
        const bool good = c.at("act") == "silu";
        silu += good ? 1 : 0;
        trials.push_back(trial(c, TrialOutcome::Finished, {good ? 1.0 : 0.0}));
    }
    QVERIFY(silu >= 2); // gamma(20) = 2: the good group is all silu
    TpeSampler sampler(s, metric("maximize"), 2);
    for (std::uint64_t t = 20; t < 30; ++t)
        QCOMPARE(sampler.suggest(t, trials)->at("act"), json("silu"));
}

void tst_TpeSampler::beatsRandomSearchOnBranin()
{
    constexpr int kSeeds = 10, kBudget = 40;
    const SearchSpace s = space(kBraninSpace);
    double tpeSum = 0.0, randomSum = 0.0;
    int tpeWins = 0;
    for (int seed = 1; seed <= kSeeds; ++seed) {
        TpeSampler tpe(s, metric("maximize"), std::uint64_t(seed));
        auto random = makeSampler("random", s, metric("maximize"), std::uint64_t(seed));
        const double t = bestOfRun(tpe, kBudget), r = bestOfRun(*random, kBudget);
        tpeSum += t;
        randomSum += r;
        tpeWins += t < r ? 1 : 0;
        qInfo("seed %d: best Branin after %d trials: tpe %.4f, random %.4f", seed, kBudget, t, r);
    }
    qInfo("mean best Branin (minimum 0.3979): tpe %.4f, random %.4f; tpe wins %d of %d",
          tpeSum / kSeeds,
          randomSum / kSeeds,
          tpeWins,
          kSeeds);
    QVERIFY(tpeSum < randomSum);
    QVERIFY(tpeWins >= 6);
}

QTEST_GUILESS_MAIN(tst_TpeSampler)
#include "tst_tpe_sampler.moc"
