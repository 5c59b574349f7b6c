// Grid and random search (spec hpo.md §1(c)): the grid is the Cartesian product over sorted
// names, the last fastest, with exact counts, and refuses continuous parameters; random search
// is reproducible per seed, differs across seeds, and keeps every value in its range.

#include "core/sweep/samplers.h"

#include <QtTest>

#include <set>

using namespace seplab::sweep;
using nlohmann::json;

namespace {

const std::string kSweeps = std::string(SEPLAB_EXAMPLES_DIR) + "/wandb-sweeps";

SearchSpace space(const char *yaml)
{
    return SearchSpace::parse(yaml, "p.yaml");
}

} // namespace

class tst_Samplers : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void usersGridIsTheExpBProduct();
    void gridCountsAndOrderAreExact();
    void gridExpandsIntUniformAndQUniform();
    void gridNestsNestedParameters();
    void gridRefusesContinuousParameters();
    void randomIsReproduciblePerSeed();
    void randomDiffersAcrossSeeds();
    void randomStaysInRangeForEveryUsersFile();
    void randomDrawsAreIndependentOfOtherParameters();
};

void tst_Samplers::usersGridIsTheExpBProduct()
{
    const SweepConfig c = loadSweepConfig(kSweeps + "/dprnn-expB-lr-grid-config1.yaml");
    QCOMPARE(gridSize(c.parameters), std::uint64_t(16));
    const auto configs = gridConfigurations(c.parameters);
    QCOMPARE(configs.size(), std::size_t(16));
    const json first = json::parse(R"({"config": "experiments/dprnn/dprnn_8000_lr_sweep.yaml",
        "grad_clip_norm": 6.6255212143559845, "lr": 0.0013022829463705673, "lr_factor": 0.40,
        "lr_patience": 2, "weight_decay": 0.00003500049789365491})");
    QCOMPARE(configs[0], first);
    // Sorted names: lr_factor before lr_patience, so lr_patience varies fastest.
    const double factors[] = {0.40, 0.55, 0.70, 0.85};
    for (std::size_t i = 0; i < 16; ++i) {
        QCOMPARE(configs[i].at("lr_factor"), json(factors[i / 4]));
        QCOMPARE(configs[i].at("lr_patience"), json(int(2 + i % 4)));
        QCOMPARE(configs[i].size(), std::size_t(6));
    }
}

void tst_Samplers::gridCountsAndOrderAreExact()
{
    const SearchSpace s = space("zeta:\n  values: [a, b]\n"
                                "alpha:\n  values: [1, 2, 3]\n"
                                "mid:\n  value: 7\n"
                                "beta:\n  values: [true, false]\n");
    QCOMPARE(gridSize(s), std::uint64_t(12));
    const auto configs = gridConfigurations(s);
    QCOMPARE(configs.size(), std::size_t(12));
    // Order alpha, beta, mid, zeta; zeta fastest.
    QCOMPARE(configs[0], json::parse(R"({"alpha": 1, "beta": true, "mid": 7, "zeta": "a"})"));
    QCOMPARE(configs[1], json::parse(R"({"alpha": 1, "beta": true, "mid": 7, "zeta": "b"})"));
    QCOMPARE(configs[2], json::parse(R"({"alpha": 1, "beta": false, "mid": 7, "zeta": "a"})"));
    QCOMPARE(configs[4], json::parse(R"({"alpha": 2, "beta": true, "mid": 7, "zeta": "a"})"));
    QCOMPARE(configs[11], json::parse(R"({"alpha": 3, "beta": false, "mid": 7, "zeta": "b"})"));
    std::set<std::string> distinct;
    for (const auto &c : configs)
        distinct.insert(c.dump());
    QCOMPARE(distinct.size(), std::size_t(12));
    // Index access agrees and ends.
    for (std::uint64_t i = 0; i < 12; ++i)
        QCOMPARE(*gridConfiguration(s, i), configs[i]);
    QVERIFY(!gridConfiguration(s, 12).has_value());
    // Deterministic: the same again.
    QCOMPARE(gridConfigurations(s), configs);
}

void tst_Samplers::gridExpandsIntUniformAndQUniform()
{
    const SearchSpace s = space("layers:\n  min: 2\n  max: 5\n"
                                "dropout:\n  distribution: q_uniform\n  min: 0.0\n  max: 0.3\n"
                                "  q: 0.1\n");
    // int_uniform: 2..5 (4 values); q_uniform: arange(0, 0.3, 0.1) = 0, 0.1, 0.2 (3 values).
    QCOMPARE(gridSize(s), std::uint64_t(12));
    const auto configs = gridConfigurations(s);
    QCOMPARE(configs[0], json::parse(R"({"dropout": 0.0, "layers": 2})"));
    QCOMPARE(configs[3], json::parse(R"({"dropout": 0.0, "layers": 5})"));
    QCOMPARE(configs[4].at("dropout").get<double>(), 0.1);
    QCOMPARE(configs[11].at("dropout").get<double>(), 0.2);
    QVERIFY(configs[11].at("layers").is_number_integer());
}

void tst_Samplers::gridNestsNestedParameters()
{
    const SearchSpace s = space("opt:\n  parameters:\n    lr:\n      values: [0.1, 0.01]\n"
                                "    name:\n      value: adam\n"
                                "bs:\n  values: [8]\n");
    const auto configs = gridConfigurations(s);
    QCOMPARE(configs.size(), std::size_t(2));
    QCOMPARE(configs[1], json::parse(R"({"bs": 8, "opt": {"lr": 0.01, "name": "adam"}})"));
}

void tst_Samplers::gridRefusesContinuousParameters()
{
    const SweepConfig c = loadSweepConfig(kSweeps + "/dprnn-stage1-2k.yaml");
    try {
        gridSize(c.parameters);
        QFAIL("no error");
    } catch (const std::invalid_argument &error) {
        QCOMPARE(std::string(error.what()),
                 std::string("parameter 'grad_clip_norm' (uniform) cannot be searched by a grid; "
                             "a grid takes value, values (without probabilities), int_uniform or "
                             "q_uniform."));
    }
    QVERIFY_EXCEPTION_THROWN(gridConfigurations(
                                 space("a:\n  values: [1, 2]\n  probabilities: [0.5, 0.5]\n")),
                             std::invalid_argument);
    QVERIFY_EXCEPTION_THROWN(gridConfigurations(SearchSpace()), std::invalid_argument);
}

void tst_Samplers::randomIsReproduciblePerSeed()
{
    const SweepConfig c = loadSweepConfig(kSweeps + "/dprnn-stage1-2k.yaml");
    RandomSampler a(c.parameters, 7);
    RandomSampler b(c.parameters, 7);
    std::vector<json> first;
    for (int i = 0; i < 50; ++i) {
        first.push_back(a.next());
        QCOMPARE(b.next(), first.back());
    }
    QCOMPARE(a.drawn(), std::uint64_t(50));
    // Trial k on its own (a resumed sweep) is the k-th of the sequence.
    const RandomSampler fresh(c.parameters, 7);
    QCOMPARE(fresh.configuration(31), first[31]);
    // Distinct trials differ.
    std::set<double> lrs;
    for (const auto &config : first)
        lrs.insert(config.at("lr").get<double>());
    QCOMPARE(lrs.size(), std::size_t(50));
}

void tst_Samplers::randomDiffersAcrossSeeds()
{
    const SweepConfig c = loadSweepConfig(kSweeps + "/dprnn-stage2-4k.yaml");
    const RandomSampler a(c.parameters, 1);
    const RandomSampler b(c.parameters, 2);
    int same = 0;
    for (std::uint64_t t = 0; t < 20; ++t)
        same += a.configuration(t).at("lr") == b.configuration(t).at("lr");
    QCOMPARE(same, 0);
}

void tst_Samplers::randomStaysInRangeForEveryUsersFile()
{
    for (const char *file : {"dprnn-stage1-2k.yaml",
                             "dprnn-stage2-4k.yaml",
                             "dprnn-stage3-8k-conservative.yaml",
                             "dprnn-stage3-8k-hyperband.yaml",
                             "dprnn-expA-onestage-8k.yaml",
                             "dprnn-expB-proxy-16k.yaml",
                             "dprnn-expB-lr-grid-config1.yaml"}) {
        const SweepConfig c = loadSweepConfig(kSweeps + "/" + file);
        RandomSampler sampler(c.parameters, 42);
        for (int i = 0; i < 500; ++i) {
            const json config = sampler.next();
            QCOMPARE(config.size(), c.parameters.size());
            for (const auto &p : c.parameters.parameters()) {
                const json &v = config.at(p.name);
                if (p.parameter.isConstant()) {
                    QCOMPARE(v, p.parameter.value());
                } else if (p.parameter.isCategorical()) {
                    QVERIFY(p.parameter.indexOf(v).has_value());
                } else {
                    QVERIFY2(v.get<double>() >= p.parameter.min()
                                 && v.get<double>() <= p.parameter.max(),
                             file);
                }
            }
        }
    }
}

void tst_Samplers::randomDrawsAreIndependentOfOtherParameters()
{
    const SearchSpace small = space("lr:\n  distribution: log_uniform_values\n  min: 1e-5\n"
                                    "  max: 1e-2\n");
    const SearchSpace large = space("lr:\n  distribution: log_uniform_values\n  min: 1e-5\n"
                                    "  max: 1e-2\n"
                                    "a_first:\n  values: [1, 2, 3]\n");
    const RandomSampler a(small, 3);
    const RandomSampler b(large, 3);
    for (std::uint64_t t = 0; t < 10; ++t)
        QCOMPARE(a.configuration(t).at("lr"), b.configuration(t).at("lr"));
}

QTEST_GUILESS_MAIN(tst_Samplers)
#include "tst_samplers.moc"
