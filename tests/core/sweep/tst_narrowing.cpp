// Narrowing a search space from the best finished trials (narrowing.h): log_uniform_values in
// log space, uniform with and without inner quantiles, int_uniform rounded outward, categorical
// subsets in list order, constants and normal forms kept, clamping to the old range, all-equal
// values widened by the old width (or made a constant with margin 0), minimize against maximize,
// the top count, and bad specs. Every expected bound is worked out in the comments.

#include "core/sweep/narrowing.h"

#include <QtTest>

using namespace seplab::sweep;
using nlohmann::json;

namespace {

SearchSpace space()
{
    return SearchSpace::parse("config: {value: x.yaml}\n"
                              "lr: {distribution: log_uniform_values, min: 0.0001, max: 0.01}\n"
                              "dropout: {distribution: uniform, min: 0.0, max: 0.5}\n"
                              "layers: {distribution: int_uniform, min: 1, max: 12}\n"
                              "optimizer: {values: [sgd, adam, adamw, lion]}\n"
                              "noise: {distribution: normal, mu: 0, sigma: 1}\n",
                              "p.yaml");
}

RankedTrial trial(const char *name,
                  double value,
                  double lr,
                  double dropout,
                  int layers,
                  const char *optimizer,
                  double noise)
{
    return {name,
            json{{"config", "x.yaml"},
                 {"lr", lr},
                 {"dropout", dropout},
                 {"layers", layers},
                 {"optimizer", optimizer},
                 {"noise", noise}},
            value};
}

// Eight trials, given out of value order. Minimizing, the top half (values 1-4) are c, e, a, g;
// maximizing (values 5-8) f, b, h, d.
std::vector<RankedTrial> trials()
{
    return {trial("a", 3.0, 4e-3, 0.25, 6, "adam", 0.0),
            trial("b", 7.0, 2e-4, 0.45, 10, "adamw", 0.1),
            trial("c", 1.0, 1e-3, 0.10, 3, "adam", 0.2),
            trial("d", 5.0, 8e-3, 0.40, 11, "sgd", 0.3),
            trial("e", 2.0, 2e-3, 0.20, 5, "sgd", 0.4),
            trial("f", 8.0, 1e-4, 0.50, 12, "adamw", 0.5),
            trial("g", 4.0, 5e-4, 0.30, 4, "lion", 0.6),
            trial("h", 6.0, 3e-4, 0.35, 9, "adamw", 0.7)};
}

NarrowingSpec half(double margin = 0.1)
{
    NarrowingSpec spec;
    spec.stage = "stage1";
    spec.topFraction = 0.5;
    spec.margin = margin;
    return spec;
}

const NarrowedRange &rangeOf(const NarrowingResult &result, const std::string &name)
{
    for (const NarrowedRange &range : result.ranges)
        if (range.parameter == name)
            return range;
    throw std::runtime_error("no range for " + name);
}

bool near(double actual, double expected)
{
    return std::fabs(actual - expected) <= 1e-9 * std::max(1.0, std::fabs(expected));
}

} // namespace

class tst_Narrowing : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void logUniformValuesNarrowsInLogSpace();
    void uniformUsesTheQuantiles();
    void intUniformRoundsOutward();
    void categoricalKeepsUsedValuesInListOrder();
    void constantsAndNormalFormsStay();
    void maximizePicksTheOtherTopAndClamps();
    void allEqualValuesWidenByTheOldWidth();
    void topCountRoundsUp();
    void badInputThrows();
};

void tst_Narrowing::logUniformValuesNarrowsInLogSpace()
{
    // Top lr values 1e-3, 2e-3, 4e-3, 5e-4: in log space [ln 5e-4, ln 4e-3], width ln 8; margin
    // 0.1 widens by 0.1·ln 8 on each side, i.e. a factor 8^0.1 = 1.231144:
    // [5e-4 / 1.231144, 4e-3 · 1.231144] = [4.061262e-4, 4.924578e-3], inside [1e-4, 1e-2].
    const NarrowingResult result = narrowSearchSpace(space(), trials(), half(), false);
    const Parameter &lr = result.space.find("lr")->parameter;
    QVERIFY(lr.distribution() == Distribution::LogUniformValues);
    QVERIFY(near(lr.min(), 4.061261981781178e-4));
    QVERIFY(near(lr.max(), 4.924577653379666e-3));
    const NarrowedRange &range = rangeOf(result, "lr");
    QCOMPARE(range.before, json::parse(R"({"distribution": "log_uniform_values", "min": 0.0001,
                                           "max": 0.01})"));
    QCOMPARE(range.after, lr.toJson());
    QCOMPARE(range.provenance,
             std::string("top 4 of 8 finished trials of stage 'stage1' (top_fraction 0.5): "
                         "quantiles [0, 1] in log space = [0.0005, 0.004], margin 0.1 -> "
                         "[0.000406, 0.00492]"));
    // Names, order and lines are kept.
    QCOMPARE(result.space.size(), std::size_t(6));
    QCOMPARE(result.space.parameters()[1].name, std::string("lr"));
    QCOMPARE(result.space.parameters()[1].line, 2);
}

void tst_Narrowing::uniformUsesTheQuantiles()
{
    // Top dropout 0.25, 0.1, 0.2, 0.3: [0.1, 0.3], width 0.2, margin 0.1 -> [0.08, 0.32].
    const NarrowingResult all = narrowSearchSpace(space(), trials(), half(), false);
    QVERIFY(near(all.space.find("dropout")->parameter.min(), 0.08));
    QVERIFY(near(all.space.find("dropout")->parameter.max(), 0.32));
    // Quantiles [0.25, 0.75] of sorted [0.1, 0.2, 0.25, 0.3]: position 0.75 -> 0.1 + 0.75·0.1 =
    // 0.175; position 2.25 -> 0.25 + 0.25·0.05 = 0.2625. Width 0.0875, margin 0.1 -> 0.00875:
    // [0.16625, 0.27125].
    NarrowingSpec inner = half();
    inner.lowQuantile = 0.25;
    inner.highQuantile = 0.75;
    const NarrowingResult result = narrowSearchSpace(space(), trials(), inner, false);
    QVERIFY(near(result.space.find("dropout")->parameter.min(), 0.16625));
    QVERIFY(near(result.space.find("dropout")->parameter.max(), 0.27125));
    QVERIFY(rangeOf(result, "dropout").provenance.find("quantiles [0.25, 0.75] = [0.175, 0.26")
            != std::string::npos);
    QCOMPARE(quantile({1, 2, 3, 4}, 0.5), 2.5);
    QCOMPARE(quantile({7}, 0.3), 7.0);
}

void tst_Narrowing::intUniformRoundsOutward()
{
    // Top layers 6, 3, 5, 4: [3, 6], width 3, margin 0.1 -> [2.7, 6.3] -> outward [2, 7].
    const NarrowingResult result = narrowSearchSpace(space(), trials(), half(), false);
    const Parameter &layers = result.space.find("layers")->parameter;
    QVERIFY(layers.distribution() == Distribution::IntUniform);
    QCOMPARE(rangeOf(result, "layers").after,
             json::parse(R"({"distribution": "int_uniform", "min": 2, "max": 7})"));
    // Margin 0: [3, 6] stays [3, 6] (no rounding slack pushes it out).
    const NarrowingResult tight = narrowSearchSpace(space(), trials(), half(0.0), false);
    QCOMPARE(tight.space.find("layers")->parameter.min(), 3.0);
    QCOMPARE(tight.space.find("layers")->parameter.max(), 6.0);
}

void tst_Narrowing::categoricalKeepsUsedValuesInListOrder()
{
    // Top optimizers adam, adam, sgd, lion (trial order a, c, e, g): the list order keeps
    // [sgd, adam, lion]; adamw is dropped.
    const NarrowingResult result = narrowSearchSpace(space(), trials(), half(), false);
    QCOMPARE(result.space.find("optimizer")->parameter.values(),
             (std::vector<json>{"sgd", "adam", "lion"}));
    // A weighted categorical keeps its probabilities, renormalised: 0.1 and 0.3 of [a, b, c, d]
    // with probabilities 0.1, 0.2, 0.3, 0.4 -> 0.25 and 0.75.
    const SearchSpace weighted
        = SearchSpace::parse("k: {values: [a, b, c, d], probabilities: [0.1, 0.2, 0.3, 0.4]}\n",
                             "w.yaml");
    const std::vector<RankedTrial> picks{{"t1", json{{"k", "c"}}, 1.0},
                                         {"t2", json{{"k", "a"}}, 2.0},
                                         {"t3", json{{"k", "d"}}, 3.0}};
    NarrowingSpec twoThirds = half();
    twoThirds.topFraction = 0.6; // ceil(1.8) = 2: t1, t2
    const Parameter k
        = narrowSearchSpace(weighted, picks, twoThirds, false).space.find("k")->parameter;
    QCOMPARE(k.values(), (std::vector<json>{"a", "c"}));
    QVERIFY(near(k.probabilities()[0], 0.25));
    QVERIFY(near(k.probabilities()[1], 0.75));
}

void tst_Narrowing::constantsAndNormalFormsStay()
{
    const NarrowingResult result = narrowSearchSpace(space(), trials(), half(), false);
    QCOMPARE(result.space.find("config")->parameter.value(), json("x.yaml"));
    // Constants get no range; every other parameter does (5 of 6).
    QCOMPARE(result.ranges.size(), std::size_t(5));
    const NarrowedRange &noise = rangeOf(result, "noise");
    QCOMPARE(noise.after, noise.before);
    QVERIFY(noise.provenance.find("normal has no bounds to narrow: unchanged") != std::string::npos);
}

void tst_Narrowing::maximizePicksTheOtherTopAndClamps()
{
    // Maximizing, the top half is f, b, h, d. lr 1e-4, 2e-4, 3e-4, 8e-3: [1e-4, 8e-3] widened
    // by 80^0.1 = 1.5493 to [6.45e-5, 1.2399e-2], clamped to the old [1e-4, 1e-2].
    const NarrowingResult result = narrowSearchSpace(space(), trials(), half(), true);
    QCOMPARE(result.space.find("lr")->parameter.min(), 1e-4);
    QCOMPARE(result.space.find("lr")->parameter.max(), 1e-2);
    QVERIFY(rangeOf(result, "lr").provenance.find("clamped to the old range") != std::string::npos);
    // Optimizers adamw, adamw, adamw, sgd -> [sgd, adamw].
    QCOMPARE(result.space.find("optimizer")->parameter.values(),
             (std::vector<json>{"sgd", "adamw"}));
    // Layers 12, 10, 9, 11: [9, 12] -> [8.7, 12.3] -> clamped 12 -> outward [8, 12].
    QCOMPARE(result.space.find("layers")->parameter.min(), 8.0);
    QCOMPARE(result.space.find("layers")->parameter.max(), 12.0);
    // Dropout 0.5, 0.45, 0.35, 0.4: [0.35, 0.5] -> [0.335, 0.515] -> clamped [0.335, 0.5].
    QVERIFY(near(result.space.find("dropout")->parameter.min(), 0.335));
    QCOMPARE(result.space.find("dropout")->parameter.max(), 0.5);
}

void tst_Narrowing::allEqualValuesWidenByTheOldWidth()
{
    // Two top trials (top_fraction 0.5 of 4) with the same values. Zero width, so margin 0.1 of
    // the old width: lr old log width ln 100 -> factor 100^0.1 = 1.584893: [6.309573e-4,
    // 1.584893e-3]; dropout 0.3 ± 0.05; layers 4 ± 1.1 = [2.9, 5.1] -> [2, 6].
    std::vector<RankedTrial> same{trial("p", 1.0, 1e-3, 0.3, 4, "adam", 0.0),
                                  trial("q", 2.0, 1e-3, 0.3, 4, "adam", 0.0),
                                  trial("r", 3.0, 1e-2, 0.0, 12, "sgd", 0.0),
                                  trial("s", 4.0, 1e-4, 0.5, 1, "lion", 0.0)};
    const NarrowingResult result = narrowSearchSpace(space(), same, half(), false);
    QVERIFY(near(result.space.find("lr")->parameter.min(), 6.309573444801932e-4));
    QVERIFY(near(result.space.find("lr")->parameter.max(), 1.5848931924611136e-3));
    QVERIFY(near(result.space.find("dropout")->parameter.min(), 0.25));
    QVERIFY(near(result.space.find("dropout")->parameter.max(), 0.35));
    QCOMPARE(result.space.find("layers")->parameter.min(), 2.0);
    QCOMPARE(result.space.find("layers")->parameter.max(), 6.0);
    QVERIFY(rangeOf(result, "dropout").provenance.find("all equal") != std::string::npos);
    // With margin 0 a zero width is a single point: a constant.
    const NarrowingResult point = narrowSearchSpace(space(), same, half(0.0), false);
    QVERIFY(point.space.find("layers")->parameter.isConstant());
    QCOMPARE(point.space.find("layers")->parameter.value(), json(4));
    QVERIFY(point.space.find("lr")->parameter.isConstant());
    QVERIFY(near(point.space.find("lr")->parameter.value().get<double>(), 1e-3));
}

void tst_Narrowing::topCountRoundsUp()
{
    // ceil(0.1 · 30) = 3, although 0.1 · 30 is 3.0000000000000004 in floating point.
    std::vector<RankedTrial> many;
    for (int i = 0; i < 30; ++i)
        many.push_back(trial("t", double(i), 1e-3, 0.1, 2, "sgd", 0.0));
    NarrowingSpec spec = half();
    spec.topFraction = 0.1;
    QVERIFY(narrowSearchSpace(space(), many, spec, false)
                .ranges[0]
                .provenance.rfind("top 3 of 30 finished trials", 0)
            == 0);
    // A fraction of very few trials still takes one.
    spec.topFraction = 0.01;
    QVERIFY(narrowSearchSpace(space(), many, spec, false)
                .ranges[0]
                .provenance.rfind("top 1 of 30 finished trials", 0)
            == 0);
}

void tst_Narrowing::badInputThrows()
{
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, narrowSearchSpace(space(), {}, half(), false));
    NarrowingSpec spec = half();
    spec.topFraction = 0.0;
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             narrowSearchSpace(space(), trials(), spec, false));
    spec = half(-0.1);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             narrowSearchSpace(space(), trials(), spec, false));
    spec = half();
    spec.lowQuantile = 0.8;
    spec.highQuantile = 0.2;
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             narrowSearchSpace(space(), trials(), spec, false));
}

QTEST_GUILESS_MAIN(tst_Narrowing)
#include "tst_narrowing.moc"
