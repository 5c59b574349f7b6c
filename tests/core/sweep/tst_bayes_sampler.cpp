// W&B's bayes search (spec hpo.md §1(b)): the Matérn-1.5 Gaussian process against hand-computed
// values, what the model sees of finished, stopped, failed and running trials, the random start,
// determinism, the kriging believer, and that it beats random search on the Branin function.

#include "core/sweep/bayes_sampler.h"
#include "core/sweep/gaussian_process.h"
#include "core/sweep/samplers.h"
#include "sampler_test_support.h"

#include <QtTest>

#include <cmath>

using namespace seplab::sweep;
using namespace seplab::sweep::test;
using nlohmann::json;

class tst_BayesSampler : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void maternKernelMatchesHandValues();
    void posteriorOfTwoPointsMatchesHandAlgebra();
    void fittedLengthScaleMaximisesTheLikelihood();
    void modelInputTakesBestValuesAndImputesFailures();
    void modelInputImputesBestOrLatestWhenAsked();
    void fewerThanTwoObservationsIsTheRandomDraw();
    void suggestionsAreDeterministicPerSeed();
    void runningTrialPushesTheNextSuggestionAway();
    void manyTrialsAreCappedAndStillSuggest();
    void beatsRandomSearchOnBranin();
};

void tst_BayesSampler::maternKernelMatchesHandValues()
{
    // k(r) = (1 + √3 r/l) exp(−√3 r/l): r 0.5, l 0.25 → a = 2√3 = 3.4641016,
    // 4.4641016 · e^−3.4641016 = 0.139731350; r 0.3, l 1 → 0.903790160.
    QVERIFY(std::abs(maternKernel15(0.5, 0.25) - 0.13973135019231467) < 1e-12);
    QVERIFY(std::abs(maternKernel15(0.3, 1.0) - 0.9037901598990385) < 1e-12);
    QCOMPARE(maternKernel15(0.0, 2.0), 1.0);
}

void tst_BayesSampler::posteriorOfTwoPointsMatchesHandAlgebra()
{
    // Points 0 and 1 with targets 1 and 3: mean 2, spread 1, standardised (−1, 1). With
    // K = [[1+ε, k], [k, 1+ε]], k = k(1), ε = 1e-7: K⁻¹(−1, 1) = (−1, 1)/(1+ε−k) and
    // K⁻¹(1, 1) = (1, 1)/(1+ε+k).
    const double l = 0.5, eps = 1e-7;
    const auto gp = GaussianProcess::withLengthScale({{0.0}, {1.0}}, {1.0, 3.0}, l);
    const double k = maternKernel15(1.0, l);

    std::vector<double> mean, sd;
    gp.predict({{0.0}, {1.0}, {0.5}, {0.25}}, mean, sd);
    // At the training points: the targets, with no spread left.
    QVERIFY(std::abs(mean[0] - 1.0) < 1e-5);
    QVERIFY(std::abs(mean[1] - 3.0) < 1e-5);
    QVERIFY(sd[0] < 1e-3 && sd[1] < 1e-3);
    // Midway: by symmetry the mean is 2; variance 1 − 2 k(0.5)²/(1+ε+k).
    const double kMid = maternKernel15(0.5, l);
    QVERIFY(std::abs(mean[2] - 2.0) < 1e-12);
    QVERIFY(std::abs(sd[2] - std::sqrt(1.0 - 2.0 * kMid * kMid / (1.0 + eps + k))) < 1e-9);
    // At 0.25: 2 + (k(0.75) − k(0.25))/(1+ε−k).
    const double k1 = maternKernel15(0.25, l), k2 = maternKernel15(0.75, l);
    QVERIFY(std::abs(mean[3] - (2.0 + (k2 - k1) / (1.0 + eps - k))) < 1e-9);
    // Log marginal likelihood: −½ yᵀK⁻¹y − ½ log det K − log 2π, yᵀK⁻¹y = 2/(1+ε−k).
    const double det = (1.0 + eps) * (1.0 + eps) - k * k;
    const double expected = -1.0 / (1.0 + eps - k) - 0.5 * std::log(det) - std::log(2.0 * M_PI);
    QVERIFY(std::abs(gp.logMarginalLikelihood(l) - expected) < 1e-9);
}

void tst_BayesSampler::fittedLengthScaleMaximisesTheLikelihood()
{
    // A smooth function sampled at 8 points: the likelihood has an interior maximum.
    std::vector<std::vector<double>> x;
    std::vector<double> y;
    for (int i = 0; i < 8; ++i) {
        const double t = (i + 0.5) / 8.0;
        x.push_back({t});
        y.push_back(std::sin(6.0 * t));
    }
    const auto gp = GaussianProcess::fit(x, y);
    QVERIFY(!gp.lengthScaleAtBound());
    const double best = gp.logMarginalLikelihood(gp.lengthScale());
    for (const double l : {1e-4, 1e-2, 0.1, 0.3, 1.0, 3.0, 10.0, 1e3})
        QVERIFY2(best >= gp.logMarginalLikelihood(l) - 1e-9, std::to_string(l).c_str());
    for (const double f : {0.99, 1.01})
        QVERIFY(best >= gp.logMarginalLikelihood(gp.lengthScale() * f) - 1e-9);
    // Constant targets carry no evidence for any length-scale but the longest.
    QVERIFY(GaussianProcess::fit({{0.1}, {0.6}, {0.9}}, {2.0, 2.0, 2.0}).lengthScaleAtBound());
    QVERIFY_EXCEPTION_THROWN(GaussianProcess::fit({}, {}), std::invalid_argument);
    QVERIFY_EXCEPTION_THROWN(GaussianProcess::fit({{0.1}, {0.2, 0.3}}, {1.0, 2.0}),
                             std::invalid_argument);
}

void tst_BayesSampler::modelInputTakesBestValuesAndImputesFailures()
{
    const SearchSpace s = space("w:\n  min: 0.0\n  max: 4.0\nc:\n  value: 1\n");
    const std::vector<TrialObservation> trials = {
        trial({{"w", 1.0}}, TrialOutcome::Finished, {0.5, 0.2, 0.3}),
        trial({{"w", 2.0}}, TrialOutcome::Stopped, {0.9, 0.4}),
        trial({{"w", 3.0}}, TrialOutcome::Failed, {0.35}),
        trial({{"w", 4.0}}, TrialOutcome::Finished, {}), // logged nothing: a failure
        trial({{"w", 0.0}}, TrialOutcome::Running, {0.1}),
        trial({{"x", 0.0}}, TrialOutcome::Finished, {0.25}), // not of this space
    };
    // Minimise: best values 0.2 and 0.4; the worst value any terminal trial logged is 0.9.
    BayesSampler minimise(s, metric("minimize"), 1);
    auto in = minimise.modelInput(trials);
    QCOMPARE(in.targets, (std::vector<double>{0.2, 0.4, 0.9, 0.9}));
    QCOMPARE(in.points, (std::vector<std::vector<double>>{{0.25}, {0.5}, {0.75}, {1.0}}));
    QCOMPARE(in.inFlight, (std::vector<std::vector<double>>{{0.0}}));
    // Maximise: negated; best 0.5 → −0.5, 0.9 → −0.9; the worst value logged is 0.2 → −0.2.
    BayesSampler maximise(s, metric("maximize"), 1);
    in = maximise.modelInput(trials);
    QCOMPARE(in.targets, (std::vector<double>{-0.5, -0.9, -0.2, -0.2}));
    // No terminal trial logged anything: failures are imputed with 0.0.
    in = minimise.modelInput({trial({{"w", 1.0}}, TrialOutcome::Failed, {})});
    QCOMPARE(in.targets, (std::vector<double>{0.0}));
}

void tst_BayesSampler::modelInputImputesBestOrLatestWhenAsked()
{
    const SearchSpace s = space("w:\n  min: 0.0\n  max: 4.0\n");
    const std::vector<TrialObservation> trials = {
        trial({{"w", 1.0}}, TrialOutcome::Finished, {0.5, 0.2}),
        trial({{"w", 2.0}}, TrialOutcome::Failed, {0.7, 0.6}),
        trial({{"w", 3.0}}, TrialOutcome::Running, {0.8, 0.3}),
    };
    MetricSpec m = metric("minimize");
    m.impute = "best";
    m.imputeWhileRunning = "worst";
    auto in = BayesSampler(s, m, 1).modelInput(trials);
    // Failed → the best terminal value 0.2; running → its own worst so far, 0.8.
    QCOMPARE(in.targets, (std::vector<double>{0.2, 0.2, 0.8}));
    QVERIFY(in.inFlight.empty());
    m.impute = "latest";
    m.imputeWhileRunning = "latest";
    in = BayesSampler(s, m, 1).modelInput(trials);
    QCOMPARE(in.targets, (std::vector<double>{0.2, 0.6, 0.3}));
    m.impute = "median";
    QVERIFY_EXCEPTION_THROWN(BayesSampler(s, m, 1), std::invalid_argument);
}

void tst_BayesSampler::fewerThanTwoObservationsIsTheRandomDraw()
{
    const SearchSpace s = space(kBraninSpace);
    BayesSampler sampler(s, metric("maximize"), 11);
    const RandomSampler random(s, 11);
    QCOMPARE(*sampler.suggest(0, {}), random.configuration(0));
    // One observation and any number of running trials are still a random start.
    const std::vector<TrialObservation> trials = {
        trial(random.configuration(0), TrialOutcome::Finished, {-3.0}),
        trial(random.configuration(1), TrialOutcome::Running, {}),
    };
    QCOMPARE(*sampler.suggest(2, trials), random.configuration(2));
}

void tst_BayesSampler::suggestionsAreDeterministicPerSeed()
{
    const SearchSpace s = space(kBraninSpace);
    const RandomSampler random(s, 5);
    std::vector<TrialObservation> trials;
    for (std::uint64_t i = 0; i < 6; ++i) {
        const json c = random.configuration(i);
        trials.push_back(trial(c,
                               TrialOutcome::Finished,
                               {-branin(c.at("x1").get<double>(), c.at("x2").get<double>())}));
    }
    BayesSampler a(s, metric("maximize"), 5), b(s, metric("maximize"), 5);
    BayesSampler other(s, metric("maximize"), 6);
    const json first = *a.suggest(6, trials);
    QCOMPARE(*a.suggest(6, trials), first);
    QCOMPARE(*b.suggest(6, trials), first);
    QVERIFY(*other.suggest(6, trials) != first);
    QVERIFY(*a.suggest(7, trials) != first); // another trial number draws other candidates
}

void tst_BayesSampler::runningTrialPushesTheNextSuggestionAway()
{
    // 1-D: the maximum of −(w − 0.3)² lies at 0.3; observations around it.
    const SearchSpace s = space("w:\n  min: 0.0\n  max: 1.0\n");
    std::vector<TrialObservation> trials;
    for (const double w : {0.05, 0.2, 0.45, 0.7, 0.95})
        trials.push_back(trial({{"w", w}}, TrialOutcome::Finished, {-(w - 0.3) * (w - 0.3)}));
    BayesSampler sampler(s, metric("maximize"), 3);
    const double alone = sampler.suggest(5, trials)->at("w").get<double>();
    QVERIFY2(std::abs(alone - 0.3) < 0.15, std::to_string(alone).c_str());
    // The same trial number (same candidates) with that point in flight: the believer's fantasy
    // removes the expected improvement there, so another candidate wins, away from it.
    trials.push_back(trial({{"w", alone}}, TrialOutcome::Running, {}));
    const double next = sampler.suggest(5, trials)->at("w").get<double>();
    qInfo("suggestion alone %.4f, with it running %.4f", alone, next);
    QVERIFY2(std::abs(next - alone) > 0.01, std::to_string(next).c_str());
}

void tst_BayesSampler::manyTrialsAreCappedAndStillSuggest()
{
    // 130 finished and 100 running trials: the model takes a seeded 100 of the finished ones and
    // the latest 95 running ones; the suggestion is reproducible and lies in the space.
    const SearchSpace s = space(kBraninSpace);
    const RandomSampler random(s, 9);
    std::vector<TrialObservation> trials;
    for (std::uint64_t i = 0; i < 230; ++i) {
        const json c = random.configuration(i);
        trials.push_back(i < 130
                             ? trial(c,
                                     TrialOutcome::Finished,
                                     {-branin(c.at("x1").get<double>(), c.at("x2").get<double>())})
                             : trial(c, TrialOutcome::Running, {}));
    }
    BayesSampler sampler(s, metric("maximize"), 9);
    const auto in = sampler.modelInput(trials);
    QCOMPARE(in.targets.size(), std::size_t(130));
    QCOMPARE(in.inFlight.size(), std::size_t(100));
    const json first = *sampler.suggest(230, trials);
    QCOMPARE(*sampler.suggest(230, trials), first);
    const double x1 = first.at("x1").get<double>(), x2 = first.at("x2").get<double>();
    QVERIFY(x1 >= -5.0 && x1 <= 10.0 && x2 >= 0.0 && x2 <= 15.0);
    QVERIFY(first != random.configuration(230));
}

void tst_BayesSampler::beatsRandomSearchOnBranin()
{
    constexpr int kSeeds = 10, kBudget = 25;
    const SearchSpace s = space(kBraninSpace);
    double bayesSum = 0.0, randomSum = 0.0;
    int bayesWins = 0;
    for (int seed = 1; seed <= kSeeds; ++seed) {
        BayesSampler bayes(s, metric("maximize"), std::uint64_t(seed));
        auto random = makeSampler("random", s, metric("maximize"), std::uint64_t(seed));
        const double b = bestOfRun(bayes, kBudget), r = bestOfRun(*random, kBudget);
        bayesSum += b;
        randomSum += r;
        bayesWins += b < r ? 1 : 0;
        qInfo("seed %d: best Branin after %d trials: bayes %.4f, random %.4f", seed, kBudget, b, r);
    }
    qInfo("mean best Branin (minimum 0.3979): bayes %.4f, random %.4f; bayes wins %d of %d",
          bayesSum / kSeeds,
          randomSum / kSeeds,
          bayesWins,
          kSeeds);
    QVERIFY(bayesSum < randomSum);
    QVERIFY(bayesWins >= 7);
}

QTEST_GUILESS_MAIN(tst_BayesSampler)
#include "tst_bayes_sampler.moc"
