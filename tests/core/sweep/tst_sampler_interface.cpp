// The Sampler interface (spec hpo.md §1(b), §1(c)): makeSampler's methods and errors, the grid
// adapter's W&B de-duplication (whole-number floats equal integers) with exact counts, the random
// adapter being RandomSampler, and the unit-cube encoding the model-based samplers share.

#include "core/sweep/sampler.h"
#include "core/sweep/samplers.h"

#include <QtTest>

#include <set>

using namespace seplab::sweep;
using nlohmann::json;

namespace {

SearchSpace space(const char *yaml)
{
    return SearchSpace::parse(yaml, "p.yaml");
}

TrialObservation finished(json config, std::vector<double> history = {1.0})
{
    return {std::move(config), TrialOutcome::Finished, std::move(history)};
}

} // namespace

class tst_SamplerInterface : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void makeSamplerNamesEveryMethod();
    void makeSamplerRejectsUnknownMethodsAndContinuousGrids();
    void gridEnumeratesInOrderAndExhausts();
    void gridSkipsUsedCombinationsWithWholeFloatsAsIntegers();
    void randomIsRandomSampler();
    void encodingMapsThroughTheCdf();
    void encodingRejectsConfigsOutsideTheSpace();
};

void tst_SamplerInterface::makeSamplerNamesEveryMethod()
{
    const SearchSpace s = space("a:\n  values: [1, 2]\n");
    for (const std::string method : {"grid", "random", "bayes", "tpe"})
        QCOMPARE(makeSampler(method, s, MetricSpec{}, 1)->method(), method);
}

void tst_SamplerInterface::makeSamplerRejectsUnknownMethodsAndContinuousGrids()
{
    const SearchSpace s = space("lr:\n  min: 0.0\n  max: 1.0\n");
    try {
        makeSampler("hyperopt", s, MetricSpec{}, 1);
        QFAIL("no error");
    } catch (const std::invalid_argument &error) {
        QCOMPARE(std::string(error.what()),
                 std::string("Unknown sweep method 'hyperopt'; expected grid, random, bayes or "
                             "tpe."));
    }
    try {
        makeSampler("grid", s, MetricSpec{}, 1);
        QFAIL("no error");
    } catch (const std::invalid_argument &error) {
        QCOMPARE(std::string(error.what()),
                 std::string("parameter 'lr' (uniform) cannot be searched by a grid; a grid "
                             "takes value, values (without probabilities), int_uniform or "
                             "q_uniform."));
    }
    // The model-based samplers take continuous spaces.
    QVERIFY(makeSampler("bayes", s, MetricSpec{}, 1) != nullptr);
    QVERIFY(makeSampler("tpe", s, MetricSpec{}, 1) != nullptr);
}

void tst_SamplerInterface::gridEnumeratesInOrderAndExhausts()
{
    // 3 × 2 = 6 combinations; names sorted (a, b), b fastest; the constant rides along.
    const SearchSpace s = space("b:\n  min: 1\n  max: 2\n"
                                "a:\n  values: [x, y, z]\n"
                                "c:\n  value: 5\n");
    auto sampler = makeSampler("grid", s, MetricSpec{}, 1);
    std::vector<TrialObservation> trials;
    std::set<std::string> distinct;
    for (std::uint64_t trial = 0; trial < 6; ++trial) {
        const std::optional<json> config = sampler->suggest(trial, trials);
        QVERIFY(config.has_value());
        QCOMPARE(*config, *gridConfiguration(s, trial));
        distinct.insert(config->dump());
        // Any outcome uses a combination up, running ones included.
        trials.push_back({*config, trial % 2 ? TrialOutcome::Running : TrialOutcome::Failed, {}});
    }
    QCOMPARE(distinct.size(), std::size_t(6));
    QCOMPARE(sampler->suggest(6, trials), std::optional<json>());
    QCOMPARE(sampler->suggest(7, trials), std::optional<json>());
    QCOMPARE(*sampler->suggest(0, {}), json::parse(R"({"a": "x", "b": 1, "c": 5})"));
}

void tst_SamplerInterface::gridSkipsUsedCombinationsWithWholeFloatsAsIntegers()
{
    const SearchSpace s = space("batch:\n  values: [3000000, 16]\n"
                                "opt:\n  parameters:\n    lr:\n      values: [0.5, 2]\n");
    auto sampler = makeSampler("grid", s, MetricSpec{}, 3);
    // The first point is batch 3000000, lr 0.5. Logged back as 3e6 (a float) it is the same
    // point for W&B's hash, and a key outside the space does not make it a new one.
    std::vector<TrialObservation> trials = {
        finished(json::parse(R"({"batch": 3e6, "opt": {"lr": 0.5}, "seed": 9})"))};
    QCOMPARE(*sampler->suggest(1, trials), json::parse(R"({"batch": 3000000, "opt": {"lr": 2}})"));
    // lr 2.0 (float) is lr 2: the third grid point comes next.
    trials.push_back(finished(json::parse(R"({"batch": 3000000.0, "opt": {"lr": 2.0}})")));
    QCOMPARE(*sampler->suggest(2, trials), json::parse(R"({"batch": 16, "opt": {"lr": 0.5}})"));
    // 0.5 is not whole: 0.50000001 is another value, so it does not use the point up.
    trials.push_back(finished(json::parse(R"({"batch": 16, "opt": {"lr": 0.50000001}})")));
    QCOMPARE(*sampler->suggest(3, trials), json::parse(R"({"batch": 16, "opt": {"lr": 0.5}})"));
    trials.push_back(finished(json::parse(R"({"batch": 16, "opt": {"lr": 0.5}})")));
    QCOMPARE(*sampler->suggest(4, trials), json::parse(R"({"batch": 16, "opt": {"lr": 2}})"));
    trials.push_back(finished(json::parse(R"({"batch": 16, "opt": {"lr": 2}})")));
    QVERIFY(!sampler->suggest(5, trials).has_value());
}

void tst_SamplerInterface::randomIsRandomSampler()
{
    const SearchSpace s = space("lr:\n  distribution: log_uniform_values\n  min: 1e-5\n"
                                "  max: 1e-2\n"
                                "layers:\n  min: 1\n  max: 8\n");
    auto sampler = makeSampler("random", s, MetricSpec{}, 42);
    const RandomSampler reference(s, 42);
    const std::vector<TrialObservation> history = {finished(reference.configuration(0))};
    for (std::uint64_t trial = 0; trial < 20; ++trial)
        QCOMPARE(*sampler->suggest(trial, history), reference.configuration(trial));
    QVERIFY(*makeSampler("random", s, MetricSpec{}, 43)->suggest(0, {})
            != reference.configuration(0));
}

void tst_SamplerInterface::encodingMapsThroughTheCdf()
{
    const SearchSpace s = space("width:\n  min: 0.0\n  max: 10.0\n"
                                "lr:\n  distribution: log_uniform_values\n  min: 1e-4\n"
                                "  max: 1e-2\n"
                                "act:\n  values: [relu, gelu, tanh, silu]\n"
                                "name:\n  value: run\n"
                                "opt:\n  parameters:\n    depth:\n      min: 1\n      max: 4\n");
    const UnitEncoding encoding(s);
    // Axes in sorted order: act, lr, opt.depth, width; the constant is not one.
    QCOMPARE(encoding.dimensions(), std::size_t(4));
    QCOMPARE(encoding.axes()[0]->name, std::string("act"));
    QCOMPARE(encoding.axes()[2]->name, std::string("opt.depth"));
    QCOMPARE(encoding.constants(), json::parse(R"({"name": "run"})"));

    const json config = json::parse(
        R"({"width": 2.5, "lr": 1e-3, "act": "tanh", "name": "run", "opt": {"depth": 2}})");
    const auto unit = encoding.encode(config);
    QVERIFY(unit.has_value());
    // tanh is index 2 of 4: (2+1)/4; log 1e-3 is halfway between log 1e-4 and log 1e-2;
    // depth 2 of 1..4 is (2−1+1)/4; 2.5 of [0, 10] is 0.25.
    const std::vector<double> expected = {0.75, 0.5, 0.5, 0.25};
    for (std::size_t k = 0; k < 4; ++k)
        QVERIFY2(std::abs((*unit)[k] - expected[k]) < 1e-12, std::to_string(k).c_str());

    const json back = encoding.decode({0.7, 0.5, 0.45, 0.25});
    QCOMPARE(back.at("act"), json("tanh")); // ceil(0.7·4) − 1 = 2
    QVERIFY(std::abs(back.at("lr").get<double>() - 1e-3) < 1e-15);
    QCOMPARE(back.at("opt").at("depth"), json(2)); // ceil(0.45·4) − 1 = 1 → 1 + 1
    QCOMPARE(back.at("width").get<double>(), 2.5);
    QCOMPARE(back.at("name"), json("run"));
    QVERIFY_EXCEPTION_THROWN(encoding.decode({0.5}), std::invalid_argument);
}

void tst_SamplerInterface::encodingRejectsConfigsOutsideTheSpace()
{
    const SearchSpace s = space("act:\n  values: [relu, gelu]\nwidth:\n  min: 0.0\n  max: 1.0\n");
    const UnitEncoding encoding(s);
    QVERIFY(!encoding.encode(json::parse(R"({"act": "relu"})")).has_value());
    QVERIFY(!encoding.encode(json::parse(R"({"act": "elu", "width": 0.5})")).has_value());
    QVERIFY(!encoding.encode(json::parse(R"({"act": "relu", "width": "wide"})")).has_value());
    QVERIFY(encoding.encode(json::parse(R"({"act": "gelu", "width": 0.5})")).has_value());
}

QTEST_GUILESS_MAIN(tst_SamplerInterface)
#include "tst_sampler_interface.moc"
