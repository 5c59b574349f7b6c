#include "core/metrics/si_sdr.h"
#include "metric_test_support.h"

#include <QTest>

#include <cmath>
#include <limits>
#include <torch/torch.h>

using namespace seplab::metrics;
using namespace seplab::test;

namespace {

at::Tensor fromList(const QList<double> &values)
{
    return torch::tensor(std::vector<double>(values.begin(), values.end()), torch::kDouble);
}

double item(const at::Tensor &t)
{
    return t.item<double>();
}

} // namespace

class tst_SiSdr : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void handComputed_data();
    void handComputed();
    void scaledCopies();
    void shiftedCopies();
    void epsilonFollowsDtype_data();
    void epsilonFollowsDtype();
    void randomAgainstReference();
    void broadcastsLeadingDims();
    void pairwiseShapeAndEntries();
    void pairwiseRejectsBadShapes();
    void gradientsMatchFiniteDifferences();
};

void tst_SiSdr::initTestCase()
{
    torch::manual_seed(1234);
}

// Expected values worked out by hand; "zeroMean" is exact for eps = 0.
void tst_SiSdr::handComputed_data()
{
    QTest::addColumn<QList<double>>("est");
    QTest::addColumn<QList<double>>("ref");
    QTest::addColumn<double>("zeroMean");
    QTest::addColumn<double>("plain");

    // Zero-mean: r = ref - 2.5 = [-1.5, -0.5, 0.5, 1.5], |r|^2 = 5;
    //   e = est - 2.75 = [-1.75, -0.75, 0.25, 2.25], |e|^2 = 8.75, <e, r> = 6.5.
    //   a = 6.5 / 5 = 1.3, |a r|^2 = 1.69 * 5 = 8.45,
    //   |e - a r|^2 = 8.75 - 2 * 1.3 * 6.5 + 8.45 = 0.3  ->  8.45 / 0.3 = 169 / 6.
    // Plain: <est, ref> = 1 + 4 + 9 + 20 = 34, |ref|^2 = 30, |est|^2 = 39, a = 34 / 30 = 17 / 15,
    //   |a ref|^2 = 289 / 225 * 30 = 578 / 15,
    //   |a ref - est|^2 = 578 / 15 - 2 * 17 / 15 * 34 + 39 = (578 - 1156 + 585) / 15 = 7 / 15
    //   -> 578 / 7.
    QTest::newRow("ramp") << QList<double>{1, 2, 3, 5} << QList<double>{1, 2, 3, 4}
                          << 10.0 * std::log10(169.0 / 6.0) << 10.0 * std::log10(578.0 / 7.0);
    // Negating the estimate negates a and leaves every energy unchanged.
    QTest::newRow("negated ramp") << QList<double>{-1, -2, -3, -5} << QList<double>{1, 2, 3, 4}
                                  << 10.0 * std::log10(169.0 / 6.0)
                                  << 10.0 * std::log10(578.0 / 7.0);
    // est = ref + n with ref = [5, -5, 5, -5] and n = [1, 2, -1, -2]: both zero-mean,
    // <n, ref> = 5 - 10 - 5 + 10 = 0, so a = 1 and the noise is n: 100 / 10 -> exactly 10 dB.
    QTest::newRow("orthogonal noise, 10 dB")
        << QList<double>{6, -3, 4, -7} << QList<double>{5, -5, 5, -5} << 10.0 << 10.0;
    // ref = [10, -10, 10, -10], n = [1, 1, -1, -1]: 400 / 4 -> exactly 20 dB.
    QTest::newRow("orthogonal noise, 20 dB")
        << QList<double>{11, -9, 9, -11} << QList<double>{10, -10, 10, -10} << 20.0 << 20.0;
}

void tst_SiSdr::handComputed()
{
    QFETCH(QList<double>, est);
    QFETCH(QList<double>, ref);
    QFETCH(double, zeroMean);
    QFETCH(double, plain);

    SEPLAB_COMPARE_NEAR(item(siSdrZeroMean(fromList(est), fromList(ref), 0.0)), zeroMean, 1e-9);
    // The default eps (1e-8) moves these by less than 2e-7 dB (1e-8 / 0.3 relative at worst).
    SEPLAB_COMPARE_NEAR(item(siSdrZeroMean(fromList(est), fromList(ref))), zeroMean, 1e-6);
    // float64 machine epsilon (2.2e-16) is far below the 1e-9 tolerance.
    SEPLAB_COMPARE_NEAR(item(siSdrPlain(fromList(est), fromList(ref))), plain, 1e-9);
}

void tst_SiSdr::scaledCopies()
{
    const at::Tensor ref = torch::randn({1000}, torch::kDouble);
    const at::Tensor est = 3.0 * ref;

    // Zero-mean: with E = |r|^2 (mean removed), a = 3E / (E + eps), |a r|^2 = a^2 E and the
    // residual e - a r = (3 - a) r has energy E (3 - a)^2 ~ 9 eps^2 / E, so eps caps the value
    // near 10 log10(9 E / eps) (~120 dB here).
    const double eps = kSiSdrEps;
    const double energy = item((ref - ref.mean()).pow(2).sum());
    const double alpha = 3.0 * energy / (energy + eps);
    const double zeroMeanBound = 10.0
                                 * std::log10(alpha * alpha * energy
                                                  / (energy * (3.0 - alpha) * (3.0 - alpha) + eps)
                                              + eps);
    QVERIFY(zeroMeanBound > 110.0);
    SEPLAB_COMPARE_NEAR(item(siSdrZeroMean(est, ref)), zeroMeanBound, 1e-6);

    // Plain, float64 eps: the residual is rounding noise (~1e-28), so the value is
    // 10 log10((9 E' + eps) / eps) with E' = |ref|^2 (~196 dB).
    const double machineEps = std::numeric_limits<double>::epsilon();
    const double rawEnergy = item(ref.pow(2).sum());
    SEPLAB_COMPARE_NEAR(item(siSdrPlain(est, ref)),
                        10.0 * std::log10((9.0 * rawEnergy + machineEps) / machineEps),
                        1e-6);

    // float32: rounding leaves a residual far below the eps floors, still > 100 dB either way.
    QVERIFY(item(siSdrZeroMean(est.to(torch::kFloat), ref.to(torch::kFloat))) > 100.0);
    QVERIFY(item(siSdrPlain(est.to(torch::kFloat), ref.to(torch::kFloat))) > 100.0);
}

void tst_SiSdr::shiftedCopies()
{
    const at::Tensor ref = torch::randn({1000}, torch::kDouble);
    const at::Tensor shifted = ref + 5.0;

    // The mean removal makes a constant offset invisible to the zero-mean convention.
    const double exact = item(siSdrZeroMean(ref, ref));
    QVERIFY(exact > 100.0);
    SEPLAB_COMPARE_NEAR(item(siSdrZeroMean(shifted, ref)), exact, 1e-6);

    // The plain convention counts the offset as noise: an offset of 5 on a unit-variance signal
    // has ~25 times its energy.
    const double plainShifted = item(siSdrPlain(shifted, ref));
    QVERIFY2(plainShifted < 0.0, qPrintable(QString::number(plainShifted)));
    SEPLAB_COMPARE_NEAR(plainShifted, referenceSiSdrPlain(toVector(shifted), toVector(ref)), 1e-9);

    // By hand: est = [2, 3, 4, 5], ref = [1, 2, 3, 4]: <est, ref> = 40, |ref|^2 = 30,
    // |est|^2 = 54, a = 4 / 3, |a ref|^2 = 16 / 9 * 30 = 160 / 3,
    // |a ref - est|^2 = 160 / 3 - 2 * 4 / 3 * 40 + 54 = 2 / 3  ->  80, i.e. 10 log10(80) dB.
    const at::Tensor small = torch::tensor({1.0, 2.0, 3.0, 4.0}, torch::kDouble);
    SEPLAB_COMPARE_NEAR(item(siSdrPlain(small + 1.0, small)), 10.0 * std::log10(80.0), 1e-9);
}

// est == ref = [0.5, 0.5, 0.5, 0.5]: |ref|^2 = 1, a = (1 + eps) / (1 + eps) = 1, the noise is
// exactly zero, so the value is 10 log10((1 + eps) / eps) with eps = finfo(dtype).eps.
void tst_SiSdr::epsilonFollowsDtype_data()
{
    QTest::addColumn<int>("dtype");
    QTest::addColumn<double>("expected");
    QTest::addColumn<double>("tolerance");

    QTest::newRow("float64") << int(torch::kDouble) << 10.0 * std::log10(std::pow(2.0, 52) + 1.0)
                             << 1e-9;
    QTest::newRow("float32") << int(torch::kFloat) << 10.0 * std::log10(std::pow(2.0, 23) + 1.0)
                             << 1e-4;
    // Half and bfloat16 carry ~3 significant digits, hence the loose tolerances; a wrong eps
    // would be tens of dB off.
    QTest::newRow("float16") << int(torch::kHalf) << 10.0 * std::log10(1025.0) << 0.05;
    QTest::newRow("bfloat16") << int(torch::kBFloat16) << 10.0 * std::log10(129.0) << 0.2;
}

void tst_SiSdr::epsilonFollowsDtype()
{
    QFETCH(int, dtype);
    QFETCH(double, expected);
    QFETCH(double, tolerance);

    const at::Tensor signal = torch::full({4}, 0.5, torch::TensorOptions(at::ScalarType(dtype)));
    const at::Tensor result = siSdrPlain(signal, signal);
    QVERIFY(result.scalar_type() == at::ScalarType(dtype));
    const double value = result.item<double>();
    SEPLAB_COMPARE_NEAR(value, expected, tolerance);
}

void tst_SiSdr::randomAgainstReference()
{
    // Estimates from -20 dB to +40 dB, some with a DC offset that only the plain form sees.
    const int64_t batch = 3;
    const int64_t sources = 4;
    const int64_t length = 257;
    const at::Tensor ref = torch::randn({batch, sources, length}, torch::kDouble);
    const at::Tensor noiseLevel
        = torch::pow(10.0, torch::linspace(-2.0, 1.0, batch * sources, torch::kDouble))
              .view({batch, sources, 1});
    const at::Tensor offset = torch::randn({batch, sources, 1}, torch::kDouble);
    const at::Tensor est = 0.7 * ref + noiseLevel * torch::randn_like(ref) + offset;

    const at::Tensor zeroMean = siSdrZeroMean(est, ref);
    const at::Tensor plain = siSdrPlain(est, ref);
    QCOMPARE(shapeString(zeroMean), QStringLiteral("[3, 4]"));
    QCOMPARE(shapeString(plain), QStringLiteral("[3, 4]"));
    for (int64_t b = 0; b < batch; ++b) {
        for (int64_t c = 0; c < sources; ++c) {
            const std::vector<double> e = toVector(est[b][c]);
            const std::vector<double> r = toVector(ref[b][c]);
            SEPLAB_COMPARE_NEAR(item(zeroMean[b][c]), referenceSiSdrZeroMean(e, r), 1e-9);
            SEPLAB_COMPARE_NEAR(item(plain[b][c]), referenceSiSdrPlain(e, r), 1e-9);
        }
    }
    // The offsets make the two conventions disagree, so neither check above could pass with the
    // other formula.
    QVERIFY((zeroMean - plain).abs().max().item<double>() > 0.1);
}

void tst_SiSdr::broadcastsLeadingDims()
{
    const at::Tensor est = torch::randn({2, 3, 50}, torch::kDouble);
    const at::Tensor ref = torch::randn({50}, torch::kDouble);
    const at::Tensor result = siSdrZeroMean(est, ref);
    QCOMPARE(shapeString(result), QStringLiteral("[2, 3]"));
    SEPLAB_COMPARE_NEAR(item(result[1][2]),
                        referenceSiSdrZeroMean(toVector(est[1][2]), toVector(ref)),
                        1e-9);
}

void tst_SiSdr::pairwiseShapeAndEntries()
{
    const at::Tensor ref = torch::randn({2, 2, 64}, torch::kDouble);
    // Estimate 0 resembles reference 1, estimate 1 reference 0, estimate 2 neither.
    const at::Tensor est = torch::stack({ref.select(1, 1)
                                             + 0.1 * torch::randn({2, 64}, torch::kDouble),
                                         ref.select(1, 0)
                                             + 0.3 * torch::randn({2, 64}, torch::kDouble),
                                         torch::randn({2, 64}, torch::kDouble)},
                                        1);
    const at::Tensor pairwise = pairwiseSiSdrZeroMean(est, ref);
    QCOMPARE(shapeString(pairwise), QStringLiteral("[2, 3, 2]"));
    for (int64_t b = 0; b < 2; ++b) {
        for (int64_t i = 0; i < 3; ++i) {
            for (int64_t j = 0; j < 2; ++j) {
                const double expected = referenceSiSdrZeroMean(toVector(est[b][i]),
                                                               toVector(ref[b][j]));
                SEPLAB_COMPARE_NEAR(item(pairwise[b][i][j]), expected, 1e-9);
            }
        }
        // Row = estimate, column = reference.
        QVERIFY(item(pairwise[b][0][1]) > 10.0);
        QVERIFY(item(pairwise[b][0][0]) < 0.0);
        QVERIFY(item(pairwise[b][1][0]) > 5.0);
    }
}

void tst_SiSdr::pairwiseRejectsBadShapes()
{
    const at::Tensor est = torch::zeros({2, 2, 10});
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             pairwiseSiSdrZeroMean(est, torch::zeros({3, 2, 10})));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             pairwiseSiSdrZeroMean(est, torch::zeros({2, 2, 11})));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             pairwiseSiSdrZeroMean(est, torch::zeros({2, 10})));
}

void tst_SiSdr::gradientsMatchFiniteDifferences()
{
    const at::Tensor ref = torch::randn({2, 16}, torch::kDouble);
    const at::Tensor start = (ref + 0.5 * torch::randn({2, 16}, torch::kDouble) + 0.3).contiguous();

    using Metric = at::Tensor (*)(const at::Tensor &, const at::Tensor &);
    const Metric zeroMean = [](const at::Tensor &e, const at::Tensor &r) {
        return siSdrZeroMean(e, r);
    };
    const Metric plain = [](const at::Tensor &e, const at::Tensor &r) { return siSdrPlain(e, r); };
    for (Metric metric : {zeroMean, plain}) {
        at::Tensor est = start.clone().requires_grad_(true);
        metric(est, ref).sum().backward();
        const at::Tensor grad = est.grad().contiguous();
        QVERIFY(torch::isfinite(grad).all().item<bool>());
        const auto f = [&](const at::Tensor &x) { return metric(x, ref).sum().item<double>(); };
        for (int64_t k : {0, 5, 16, 31}) {
            const double analytic = grad.view({-1})[k].item<double>();
            QVERIFY(std::abs(analytic) > 1e-6);
            SEPLAB_COMPARE_NEAR(analytic,
                                centralDifference(f, start, k),
                                1e-6 * std::max(1.0, std::abs(analytic)));
        }
    }
}

QTEST_GUILESS_MAIN(tst_SiSdr)

#include "tst_si_sdr.moc"
