// Promotion of the top-k trials (promotion.h): rank order, diversity skipping near-duplicates
// in the CDF-normalised space, filling up with the best skipped ones, maximize, the distance's
// normalisation through each parameter's CDF, and bad input. Distances are worked out in the
// comments: d(a, b) = |a - b| / sqrt(2) over the two uniform [0, 1] parameters x and y.

#include "core/sweep/promotion.h"

#include <QtTest>

using namespace seplab::sweep;
using nlohmann::json;

namespace {

SearchSpace space()
{
    return SearchSpace::parse("config: {value: x.yaml}\n"
                              "x: {distribution: uniform, min: 0.0, max: 1.0}\n"
                              "y: {distribution: uniform, min: 0.0, max: 1.0}\n",
                              "p.yaml");
}

RankedTrial trial(const char *name, double value, double x, double y)
{
    return {name, json{{"config", "x.yaml"}, {"x", x}, {"y", y}}, value};
}

// Given out of value order (index: name value x y):
//   0: t3 3 (0.50, 0.50)   1: t1 1 (0.10, 0.10)   2: t5 5 (0.90, 0.20)
//   3: t2 2 (0.12, 0.11)   4: t4 4 (0.55, 0.45)
// Minimizing, ranks 1..5 are t1, t2, t3, t4, t5. Distances:
//   t2-t1 sqrt(0.02² + 0.01²)/√2 = 0.0158    t3-t1 sqrt(0.4² + 0.4²)/√2 = 0.40
//   t4-t3 sqrt(0.05² + 0.05²)/√2 = 0.05      t4-t1 sqrt(0.45² + 0.35²)/√2 = 0.403
//   t5-t1 sqrt(0.8² + 0.1²)/√2 = 0.570       t5-t3 sqrt(0.4² + 0.3²)/√2 = 0.354
std::vector<RankedTrial> trials()
{
    return {trial("t3", 3, 0.50, 0.50),
            trial("t1", 1, 0.10, 0.10),
            trial("t5", 5, 0.90, 0.20),
            trial("t2", 2, 0.12, 0.11),
            trial("t4", 4, 0.55, 0.45)};
}

PromotionSpec spec(int topK, bool diverse)
{
    PromotionSpec s;
    s.from = "proxy";
    s.topK = topK;
    s.diverse = diverse;
    s.minDistance = 0.15;
    return s;
}

std::vector<std::size_t> indices(const std::vector<Promoted> &promoted)
{
    std::vector<std::size_t> out;
    for (const Promoted &p : promoted)
        out.push_back(p.index);
    return out;
}

std::vector<std::string> reasons(const std::vector<Promoted> &promoted)
{
    std::vector<std::string> out;
    for (const Promoted &p : promoted)
        out.push_back(p.reason);
    return out;
}

} // namespace

class tst_Promotion : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void withoutDiversityTakesTheTopK();
    void diversitySkipsNearDuplicates();
    void tooFewDiverseAreFilledWithTheBestSkipped();
    void maximizeRanksTheOtherWay();
    void distanceUsesEachParametersCdf();
    void badInputThrows();
};

void tst_Promotion::withoutDiversityTakesTheTopK()
{
    const auto promoted = promoteTopK(space(), trials(), spec(3, false), false);
    QCOMPARE(indices(promoted), (std::vector<std::size_t>{1, 3, 0})); // t1, t2, t3
    QCOMPARE(reasons(promoted), (std::vector<std::string>{"rank 1", "rank 2", "rank 3"}));
    // More than there are: all five.
    QCOMPARE(promoteTopK(space(), trials(), spec(9, false), false).size(), std::size_t(5));
}

void tst_Promotion::diversitySkipsNearDuplicates()
{
    // t1 first; t2 (0.016 from t1) skipped; t3 (0.40 from t1) promoted; t4 (0.05 from t3)
    // skipped; t5 (nearest promoted t3 at 0.354) promoted.
    const auto promoted = promoteTopK(space(), trials(), spec(3, true), false);
    QCOMPARE(indices(promoted), (std::vector<std::size_t>{1, 0, 2})); // t1, t3, t5
    QCOMPARE(reasons(promoted),
             (std::vector<std::string>{"rank 1",
                                       "rank 3, distance 0.40 from rank 1",
                                       "rank 5, distance 0.35 from rank 3"}));
}

void tst_Promotion::tooFewDiverseAreFilledWithTheBestSkipped()
{
    // top_k 4: three diverse ones, then the best skipped (t2) fills up; in rank order.
    const auto four = promoteTopK(space(), trials(), spec(4, true), false);
    QCOMPARE(indices(four), (std::vector<std::size_t>{1, 3, 0, 2})); // t1, t2, t3, t5
    QCOMPARE(four[1].reason,
             std::string("rank 2, filled in: distance 0.02 to rank 1 < 0.15 (too few diverse "
                         "trials)"));
    // top_k 5: t4 fills up too.
    const auto five = promoteTopK(space(), trials(), spec(5, true), false);
    QCOMPARE(indices(five), (std::vector<std::size_t>{1, 3, 0, 4, 2}));
    QCOMPARE(five[3].reason,
             std::string("rank 4, filled in: distance 0.05 to rank 3 < 0.15 (too few diverse "
                         "trials)"));
}

void tst_Promotion::maximizeRanksTheOtherWay()
{
    // Maximizing, ranks are t5, t4, t3, t2, t1. t4-t5 sqrt(0.35² + 0.25²)/√2 = 0.304: promoted;
    // t3 is 0.05 from t4: skipped; t2-t4 sqrt(0.43² + 0.34²)/√2 = 0.388 (t2-t5 0.555): promoted.
    const auto promoted = promoteTopK(space(), trials(), spec(3, true), true);
    QCOMPARE(indices(promoted), (std::vector<std::size_t>{2, 4, 3})); // t5, t4, t2
    QCOMPARE(reasons(promoted),
             (std::vector<std::string>{"rank 1",
                                       "rank 2, distance 0.30 from rank 1",
                                       "rank 4, distance 0.39 from rank 2"}));
}

void tst_Promotion::distanceUsesEachParametersCdf()
{
    // lr log_uniform_values [1e-4, 1e-2]: CDF(1e-4) = 0, CDF(1e-3) = 0.5 (half-way in log space).
    // opt [a, b, c, d]: CDF = (index + 1)/4: a 0.25, c 0.75. Points (0, 0.25) and (0.5, 0.75):
    // sqrt(0.5² + 0.5²)/√2 = 0.5. The constant is left out of d.
    const SearchSpace mixed
        = SearchSpace::parse("lr: {distribution: log_uniform_values, min: 0.0001, "
                             "max: 0.01}\n"
                             "opt: {values: [a, b, c, d]}\n"
                             "k: {value: 3}\n",
                             "m.yaml");
    QCOMPARE(configurationDistance(mixed,
                                   json{{"lr", 1e-4}, {"opt", "a"}, {"k", 3}},
                                   json{{"lr", 1e-3}, {"opt", "c"}, {"k", 3}}),
             0.5);
    // Only constants: no distance, and diversity is not applied.
    const SearchSpace constants = SearchSpace::parse("k: {value: 3}\n", "c.yaml");
    const std::vector<RankedTrial> same{{"u", json{{"k", 3}}, 2.0}, {"v", json{{"k", 3}}, 1.0}};
    PromotionSpec two = spec(2, true);
    QCOMPARE(indices(promoteTopK(constants, same, two, false)), (std::vector<std::size_t>{1, 0}));
}

void tst_Promotion::badInputThrows()
{
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             promoteTopK(space(), trials(), spec(0, true), false));
    PromotionSpec negative = spec(2, true);
    negative.minDistance = -0.1;
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, promoteTopK(space(), trials(), negative, false));
    // A trial without y cannot be placed.
    std::vector<RankedTrial> missing = trials();
    missing[2].config.erase("y");
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             promoteTopK(space(), missing, spec(2, true), false));
    // No trials: nothing promoted.
    QVERIFY(promoteTopK(space(), {}, spec(2, true), false).empty());
}

QTEST_GUILESS_MAIN(tst_Promotion)
#include "tst_promotion.moc"
