#include "core/metrics/pit.h"
#include "core/metrics/si_sdr.h"
#include "metric_test_support.h"

#include <QTest>

#include <algorithm>
#include <numeric>
#include <random>
#include <torch/torch.h>

using namespace seplab::metrics;
using namespace seplab::test;

namespace {

// "[[1, 0], [0, 1]]": a [B, C] integer tensor as text, so a failed QCOMPARE shows it.
QString matrixString(const at::Tensor &t)
{
    const at::Tensor c = t.to(torch::kLong).contiguous();
    QStringList rows;
    for (int64_t b = 0; b < c.size(0); ++b) {
        QStringList cells;
        for (int64_t j = 0; j < c.size(1); ++j)
            cells << QString::number(c[b][j].item<int64_t>());
        rows << QLatin1Char('[') + cells.join(QStringLiteral(", ")) + QLatin1Char(']');
    }
    return QLatin1Char('[') + rows.join(QStringLiteral(", ")) + QLatin1Char(']');
}

// Best mean score over every permutation of a [C][C] matrix (row = estimate, column =
// reference); perm[j] is the row for column j.
double bruteForceBest(const std::vector<std::vector<double>> &scores, std::vector<int> *bestPerm)
{
    std::vector<int> perm(scores.size());
    std::iota(perm.begin(), perm.end(), 0);
    double best = -std::numeric_limits<double>::infinity();
    do {
        double sum = 0.0;
        for (size_t j = 0; j < perm.size(); ++j)
            sum += scores[perm[j]][j];
        if (sum > best) {
            best = sum;
            if (bestPerm)
                *bestPerm = perm;
        }
    } while (std::next_permutation(perm.begin(), perm.end()));
    return best / static_cast<double>(scores.size());
}

// The zero-mean SI-SDR matrix of batch item b, from the double-loop reference implementation.
std::vector<std::vector<double>> referencePairwise(const at::Tensor &est,
                                                   const at::Tensor &ref,
                                                   int64_t b)
{
    const int64_t c = est.size(1);
    std::vector<std::vector<double>> scores(c, std::vector<double>(c));
    for (int64_t i = 0; i < c; ++i) {
        for (int64_t j = 0; j < c; ++j)
            scores[i][j] = referenceSiSdrZeroMean(toVector(est[b][i]), toVector(ref[b][j]));
    }
    return scores;
}

} // namespace

class tst_Pit : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void recoversPermutation_data();
    void recoversPermutation();
    void matchesBruteForce_data();
    void matchesBruteForce();
    void bestAssignmentHandMade();
    void bestAssignmentEdgeCases();
    void bestAssignmentRandomMatchesBruteForce();
    void gradientsFlow_data();
    void gradientsFlow();
    void gradientMatchesFiniteDifferences();
    void keepsDtypeAndReturnsCpuPermutation();
    void rejectsMismatchedShapes();
};

void tst_Pit::initTestCase()
{
    torch::manual_seed(4321);
}

// Each row lists, per batch item, the estimate index that holds each reference (plus a little
// noise); PIT must find exactly that permutation. C <= 3 tries every permutation, C > 3 runs
// the Hungarian algorithm.
void tst_Pit::recoversPermutation_data()
{
    QTest::addColumn<QList<QList<int>>>("perms");

    QTest::newRow("C=2 swapped") << QList<QList<int>>{{1, 0}};
    QTest::newRow("C=2 swapped, identity") << QList<QList<int>>{{1, 0}, {0, 1}};
    QTest::newRow("C=3 cycle") << QList<QList<int>>{{2, 0, 1}};
    QTest::newRow("C=3 per item") << QList<QList<int>>{{2, 0, 1}, {0, 2, 1}, {0, 1, 2}};
    QTest::newRow("C=4") << QList<QList<int>>{{3, 0, 1, 2}, {0, 1, 2, 3}};
    QTest::newRow("C=5") << QList<QList<int>>{{3, 0, 4, 1, 2}, {1, 0, 2, 4, 3}};
}

void tst_Pit::recoversPermutation()
{
    QFETCH(QList<QList<int>>, perms);
    const auto batch = static_cast<int64_t>(perms.size());
    const auto c = static_cast<int64_t>(perms.first().size());
    const int64_t length = 200;

    const at::Tensor ref = torch::randn({batch, c, length}, torch::kDouble);
    at::Tensor est = torch::empty_like(ref);
    QStringList expectedRows;
    for (int64_t b = 0; b < batch; ++b) {
        QStringList cells;
        for (int64_t j = 0; j < c; ++j) {
            est[b][perms[b][j]].copy_(ref[b][j] + 0.05 * torch::randn({length}, torch::kDouble));
            cells << QString::number(perms[b][j]);
        }
        expectedRows << QLatin1Char('[') + cells.join(QStringLiteral(", ")) + QLatin1Char(']');
    }
    const QString expected = QLatin1Char('[') + expectedRows.join(QStringLiteral(", "))
                             + QLatin1Char(']');

    const PitResult result = pitSiSdr(est, ref);
    QCOMPARE(matrixString(result.permutation), expected);
    QCOMPARE(shapeString(result.siSdr), QStringLiteral("[%1]").arg(batch));
    QCOMPARE(shapeString(result.perSource), QStringLiteral("[%1, %2]").arg(batch).arg(c));
    QCOMPARE(shapeString(result.reordered), shapeString(ref));
    // Reordered estimates line up with the references (noise 0.05 * randn stays below 0.3).
    QVERIFY((result.reordered - ref).abs().max().item<double>() < 0.3);
    for (int64_t b = 0; b < batch; ++b) {
        double sum = 0.0;
        for (int64_t j = 0; j < c; ++j) {
            QVERIFY(torch::equal(result.reordered[b][j], est[b][perms[b][j]]));
            const double expectedScore = referenceSiSdrZeroMean(toVector(est[b][perms[b][j]]),
                                                                toVector(ref[b][j]));
            SEPLAB_COMPARE_NEAR(result.perSource[b][j].item<double>(), expectedScore, 1e-9);
            sum += expectedScore;
        }
        SEPLAB_COMPARE_NEAR(result.siSdr[b].item<double>(), sum / c, 1e-9);
        QVERIFY(result.siSdr[b].item<double>() > 20.0);
    }
}

// Estimates are random mixtures of the references, so the scores have no obvious winner; the
// result must equal the best of all C! permutations computed independently.
void tst_Pit::matchesBruteForce_data()
{
    QTest::addColumn<int>("sources");
    QTest::newRow("C=2, every permutation") << 2;
    QTest::newRow("C=3, every permutation") << 3;
    QTest::newRow("C=4, Hungarian") << 4;
    QTest::newRow("C=5, Hungarian") << 5;
}

void tst_Pit::matchesBruteForce()
{
    QFETCH(int, sources);
    const int64_t batch = 8;
    const at::Tensor ref = torch::randn({batch, sources, 100}, torch::kDouble);
    const at::Tensor mixing = torch::randn({batch, sources, sources}, torch::kDouble);
    const at::Tensor est = torch::matmul(mixing, ref) + 0.3 * torch::randn_like(ref);

    const PitResult result = pitSiSdr(est, ref);
    double batchSum = 0.0;
    for (int64_t b = 0; b < batch; ++b) {
        std::vector<int> bestPerm;
        const double best = bruteForceBest(referencePairwise(est, ref, b), &bestPerm);
        SEPLAB_COMPARE_NEAR(result.siSdr[b].item<double>(), best, 1e-9);
        for (int j = 0; j < sources; ++j)
            QCOMPARE(result.permutation[b][j].item<int64_t>(), int64_t(bestPerm[j]));
        batchSum += best;
    }
    SEPLAB_COMPARE_NEAR(pitNegSiSdrLoss(est, ref).item<double>(), -batchSum / batch, 1e-9);
}

void tst_Pit::bestAssignmentHandMade()
{
    // Greedy would take the 10 and then only 0 + 5 (total 15); the optimum pairs the two 9s
    // (9 + 9 + 5 = 23): column 0 <- row 1, column 1 <- row 0, column 2 <- row 2.
    const std::vector<std::vector<double>> greedyTrap = {{10, 9, 0}, {9, 0, 0}, {0, 0, 5}};
    QCOMPARE(bestAssignment(greedyTrap), (std::vector<int>{1, 0, 2}));

    // SI-SDR scores are often negative; shifting every entry changes nothing.
    std::vector<std::vector<double>> shifted = greedyTrap;
    for (auto &row : shifted) {
        for (double &v : row)
            v -= 40.0;
    }
    QCOMPARE(bestAssignment(shifted), (std::vector<int>{1, 0, 2}));

    // scores[i][j] = a_i * b_j with a = [4, 3, 2, 1], b = [1, 2, 3, 4]: by the rearrangement
    // inequality the sum is largest when the factors are sorted alike, so column j takes the
    // row whose a equals j + 1, i.e. row 3 - j.
    const std::vector<std::vector<double>> outer = {{4, 8, 12, 16},
                                                    {3, 6, 9, 12},
                                                    {2, 4, 6, 8},
                                                    {1, 2, 3, 4}};
    QCOMPARE(bestAssignment(outer), (std::vector<int>{3, 2, 1, 0}));
}

void tst_Pit::bestAssignmentEdgeCases()
{
    QCOMPARE(bestAssignment({}), std::vector<int>{});
    QCOMPARE(bestAssignment({{-3.0}}), std::vector<int>{0});
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, bestAssignment({{1, 2}, {3}}));

    // A NaN score (a silent reference) must not hang the search or break the permutation.
    const double nan = std::numeric_limits<double>::quiet_NaN();
    std::vector<int> perm = bestAssignment({{nan, 1, 2}, {3, nan, 4}, {5, 6, nan}});
    std::sort(perm.begin(), perm.end());
    QCOMPARE(perm, (std::vector<int>{0, 1, 2}));
}

void tst_Pit::bestAssignmentRandomMatchesBruteForce()
{
    std::mt19937 rng(7);
    std::uniform_real_distribution<double> score(-30.0, 30.0);
    for (int n = 1; n <= 6; ++n) {
        for (int trial = 0; trial < 30; ++trial) {
            std::vector<std::vector<double>> scores(n, std::vector<double>(n));
            for (auto &row : scores) {
                for (double &v : row)
                    v = score(rng);
            }
            std::vector<int> expected;
            bruteForceBest(scores, &expected);
            QCOMPARE(bestAssignment(scores), expected);
        }
    }
}

void tst_Pit::gradientsFlow_data()
{
    QTest::addColumn<int>("sources");
    QTest::newRow("C=2") << 2;
    QTest::newRow("C=4, Hungarian") << 4;
}

void tst_Pit::gradientsFlow()
{
    QFETCH(int, sources);
    const at::Tensor ref = torch::randn({3, sources, 80});
    at::Tensor est = (ref.flip(1) + 0.5 * torch::randn_like(ref)).requires_grad_(true);

    const at::Tensor loss = pitNegSiSdrLoss(est, ref);
    QCOMPARE(loss.dim(), int64_t(0));
    loss.backward();
    QVERIFY(est.grad().defined());
    QVERIFY(torch::isfinite(est.grad()).all().item<bool>());
    // Every estimate of every batch item takes part in the matched sum.
    const at::Tensor perEstimate = est.grad().abs().sum(-1);
    QVERIFY2((perEstimate > 0).all().item<bool>(), qPrintable(matrixString(perEstimate > 0)));
}

void tst_Pit::gradientMatchesFiniteDifferences()
{
    const at::Tensor ref = torch::randn({2, 3, 12}, torch::kDouble);
    const at::Tensor start = (ref.flip(1) + 0.4 * torch::randn_like(ref)).contiguous();
    at::Tensor est = start.clone().requires_grad_(true);
    pitNegSiSdrLoss(est, ref).backward();
    const at::Tensor grad = est.grad().contiguous();

    const auto f = [&](const at::Tensor &x) { return pitNegSiSdrLoss(x, ref).item<double>(); };
    for (int64_t k : {0, 7, 13, 30, 41, 71}) {
        const double analytic = grad.view({-1})[k].item<double>();
        QVERIFY(std::abs(analytic) > 1e-8);
        SEPLAB_COMPARE_NEAR(analytic,
                            centralDifference(f, start, k),
                            1e-6 * std::max(1.0, std::abs(analytic)));
    }
}

void tst_Pit::keepsDtypeAndReturnsCpuPermutation()
{
    const at::Tensor ref = torch::randn({2, 2, 50});
    const PitResult result = pitSiSdr(ref.flip(1), ref);
    QVERIFY(result.siSdr.scalar_type() == torch::kFloat);
    QVERIFY(result.perSource.scalar_type() == torch::kFloat);
    QVERIFY(result.reordered.scalar_type() == torch::kFloat);
    QVERIFY(result.permutation.scalar_type() == torch::kLong);
    QVERIFY(result.permutation.device().is_cpu());
    QCOMPARE(matrixString(result.permutation), QStringLiteral("[[1, 0], [1, 0]]"));

    // Mixed-precision training feeds half estimates; the search must still work on them.
    for (at::ScalarType type : {at::kHalf, at::kBFloat16}) {
        const at::Tensor est = (ref.flip(1) + 0.05 * torch::randn_like(ref)).to(type);
        const PitResult reduced = pitSiSdr(est, ref.to(type));
        QVERIFY(reduced.siSdr.scalar_type() == type);
        QVERIFY(torch::isfinite(reduced.siSdr).all().item<bool>());
        QCOMPARE(matrixString(reduced.permutation), QStringLiteral("[[1, 0], [1, 0]]"));
    }
}

void tst_Pit::rejectsMismatchedShapes()
{
    try {
        pitSiSdr(torch::zeros({1, 2, 100}), torch::zeros({1, 3, 100}));
        QFAIL("no exception for mismatched shapes");
    } catch (const std::invalid_argument &error) {
        const QString message = QString::fromStdString(error.what());
        QVERIFY2(message.contains(QStringLiteral("[1, 2, 100]")), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("[1, 3, 100]")), qPrintable(message));
    }
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             pitSiSdr(torch::zeros({2, 100}), torch::zeros({2, 100})));
}

QTEST_GUILESS_MAIN(tst_Pit)

#include "tst_pit.moc"
