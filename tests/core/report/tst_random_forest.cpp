// The report's regression random forest: a feature the target depends on strongly takes most
// of the importance while noise features get little, the forest predicts the relation it was
// fitted on, and a seed gives the same forest every time.

#include "core/report/random_forest.h"

#include <QtTest>

#include <cmath>
#include <cstdint>
#include <numeric>

using namespace seplab::report;

namespace {

// A fixed linear congruential stream (Knuth's MMIX constants) so that the data set is the
// same everywhere without depending on <random>'s library-specific distributions.
class Lcg
{
public:
    explicit Lcg(std::uint64_t seed)
        : m_state(seed)
    {}
    double uniform()
    {
        m_state = m_state * 6364136223846793005ULL + 1442695040888963407ULL;
        return double(m_state >> 11) / double(std::uint64_t(1) << 53);
    }

private:
    std::uint64_t m_state;
};

struct DataSet
{
    std::vector<std::vector<double>> rows;
    std::vector<double> targets;
};

// y = 10 * x0 + a small noise; x1 and x2 are pure noise.
DataSet signalAndNoise(std::size_t n)
{
    Lcg random(2024);
    DataSet data;
    for (std::size_t i = 0; i < n; ++i) {
        const std::vector<double> row = {random.uniform(), random.uniform(), random.uniform()};
        data.targets.push_back(10.0 * row[0] + 0.2 * (random.uniform() - 0.5));
        data.rows.push_back(row);
    }
    return data;
}

double sum(const std::vector<double> &values)
{
    return std::accumulate(values.begin(), values.end(), 0.0);
}

} // namespace

class tst_RandomForest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void permutationImportanceFindsTheSignal();
    void impurityImportanceFindsTheSignal();
    void predictsTheFittedRelation();
    void sameSeedGivesTheSameForest();
    void otherSeedGivesAnotherForest();
    void constantTargetHasNoImportance();
    void rejectsBadShapes();
};

void tst_RandomForest::permutationImportanceFindsTheSignal()
{
    const DataSet data = signalAndNoise(200);
    ForestOptions options;
    options.trees = 100;
    options.seed = 7;
    const auto importance = RandomForest::fit(data.rows, data.targets, options)
                                .permutationImportance();
    QCOMPARE(importance.size(), std::size_t(3));
    QVERIFY2(importance[0] > 0.5, qPrintable(QString::number(importance[0])));
    QVERIFY2(importance[1] < 0.1, qPrintable(QString::number(importance[1])));
    QVERIFY2(importance[2] < 0.1, qPrintable(QString::number(importance[2])));
    QVERIFY(std::fabs(sum(importance) - 1.0) < 1e-12);
}

void tst_RandomForest::impurityImportanceFindsTheSignal()
{
    const DataSet data = signalAndNoise(200);
    ForestOptions options;
    options.trees = 100;
    const auto importance = RandomForest::fit(data.rows, data.targets, options).impurityImportance();
    QVERIFY2(importance[0] > 0.5, qPrintable(QString::number(importance[0])));
    QVERIFY(importance[1] < 0.2);
    QVERIFY(importance[2] < 0.2);
    QVERIFY(std::fabs(sum(importance) - 1.0) < 1e-12);
}

void tst_RandomForest::predictsTheFittedRelation()
{
    const DataSet data = signalAndNoise(200);
    ForestOptions options;
    options.trees = 50;
    const RandomForest forest = RandomForest::fit(data.rows, data.targets, options);
    // y = 10 * x0: 2.5 at x0 = 0.25 and 7.5 at x0 = 0.75, whatever the noise features are.
    QVERIFY(std::fabs(forest.predict({0.25, 0.9, 0.1}) - 2.5) < 0.5);
    QVERIFY(std::fabs(forest.predict({0.75, 0.1, 0.9}) - 7.5) < 0.5);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, forest.predict({0.5}));
}

void tst_RandomForest::sameSeedGivesTheSameForest()
{
    const DataSet data = signalAndNoise(80);
    ForestOptions options;
    options.trees = 30;
    options.seed = 11;
    const RandomForest a = RandomForest::fit(data.rows, data.targets, options);
    const RandomForest b = RandomForest::fit(data.rows, data.targets, options);
    QCOMPARE(a.permutationImportance(), b.permutationImportance());
    QCOMPARE(a.impurityImportance(), b.impurityImportance());
    QCOMPARE(a.predict({0.3, 0.3, 0.3}), b.predict({0.3, 0.3, 0.3}));
    // Asking twice gives the same answer: the permutation stream does not advance the forest.
    QCOMPARE(a.permutationImportance(), a.permutationImportance());
}

void tst_RandomForest::otherSeedGivesAnotherForest()
{
    const DataSet data = signalAndNoise(80);
    ForestOptions options;
    options.trees = 30;
    options.seed = 11;
    const RandomForest a = RandomForest::fit(data.rows, data.targets, options);
    options.seed = 12;
    const RandomForest b = RandomForest::fit(data.rows, data.targets, options);
    QVERIFY(a.permutationImportance() != b.permutationImportance());
}

void tst_RandomForest::constantTargetHasNoImportance()
{
    const DataSet data = signalAndNoise(30);
    const std::vector<double> flat(data.rows.size(), 3.0);
    const RandomForest forest = RandomForest::fit(data.rows, flat);
    const std::vector<double> zeros(3, 0.0);
    QCOMPARE(forest.impurityImportance(), zeros);
    QCOMPARE(forest.permutationImportance(), zeros);
    QCOMPARE(forest.predict({0.5, 0.5, 0.5}), 3.0);
}

void tst_RandomForest::rejectsBadShapes()
{
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, RandomForest::fit({{1.0}}, {1.0}));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             RandomForest::fit({{1.0}, {2.0}}, {1.0, 2.0, 3.0}));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             RandomForest::fit({{1.0, 2.0}, {2.0}}, {1.0, 2.0}));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, RandomForest::fit({{}, {}}, {1.0, 2.0}));
    ForestOptions none;
    none.trees = 0;
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             RandomForest::fit({{1.0}, {2.0}}, {1.0, 2.0}, none));
}

QTEST_APPLESS_MAIN(tst_RandomForest)
#include "tst_random_forest.moc"
