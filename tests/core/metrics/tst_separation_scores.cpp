#include "core/metrics/separation_scores.h"
#include "metric_test_support.h"

#include <QTest>

#include <cmath>
#include <torch/torch.h>

using namespace seplab::metrics;
using namespace seplab::test;

class tst_SeparationScores : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void twoSourcesByHand();
    void twoSourcesMixedConventions();
    void oneSourceByHand();
    void oneSourceBatch();
    void noMixtureLeavesImprovementUndefined();
    void rejectsMismatchedShapes_data();
    void rejectsMismatchedShapes();
};

void tst_SeparationScores::initTestCase()
{
    torch::manual_seed(99);
}

void tst_SeparationScores::twoSourcesByHand()
{
    // r0 = [5, -5, 5, -5] (energy 100) and r1 = [1, 2, -1, -2] (energy 10) are zero-mean and
    // orthogonal. Estimate 0 = r1 + r0 / 10 (noise energy 1), estimate 1 = r0 + r1 (noise 10):
    //   swapped:  SI-SDR(e0, r1) = 10 log10(10 / 1) = 10, SI-SDR(e1, r0) = 10 log10(100 / 10) = 10;
    //   identity: e0 projects on r0 as r0 / 10 (energy 1) against noise r1 (10): -10 dB, and
    //             e1 on r1 gives 10 against 100: -10 dB.
    // So PIT picks [1, 0] with 10 dB. The mixture r0 + r1 scores 10 log10(100 / 10) = +10 dB
    // against r0 and 10 log10(10 / 100) = -10 dB against r1 (plain; a = 1 by orthogonality),
    // mean 0 dB, so SI-SDRi = 10 dB. eps (1e-8 against energies >= 1) moves this by < 1e-7 dB.
    const at::Tensor r0 = torch::tensor({5.0, -5.0, 5.0, -5.0}, torch::kDouble);
    const at::Tensor r1 = torch::tensor({1.0, 2.0, -1.0, -2.0}, torch::kDouble);
    const at::Tensor ref = torch::stack({r0, r1}).unsqueeze(0);
    const at::Tensor est = torch::stack({r1 + r0 / 10.0, r0 + r1}).unsqueeze(0);
    const at::Tensor mix = (r0 + r1).unsqueeze(0);

    const SeparationScores scores = scoreSeparation(est, ref, mix);
    QCOMPARE(scores.permutation[0][0].item<int64_t>(), int64_t(1));
    QCOMPARE(scores.permutation[0][1].item<int64_t>(), int64_t(0));
    QCOMPARE(shapeString(scores.perSource), QStringLiteral("[1, 2]"));
    SEPLAB_COMPARE_NEAR(scores.perSource[0][0].item<double>(), 10.0, 1e-6);
    SEPLAB_COMPARE_NEAR(scores.perSource[0][1].item<double>(), 10.0, 1e-6);
    SEPLAB_COMPARE_NEAR(scores.siSdr[0].item<double>(), 10.0, 1e-6);
    SEPLAB_COMPARE_NEAR(scores.siSdri[0].item<double>(), 10.0, 1e-6);
}

// With C >= 2 the estimate is scored zero-mean but the mixture baseline plain. A DC offset on
// the mixture separates the two conventions, so this fails if either side uses the other one.
void tst_SeparationScores::twoSourcesMixedConventions()
{
    const int64_t batch = 3;
    const at::Tensor ref = torch::randn({batch, 2, 300}, torch::kDouble);
    const at::Tensor mix = ref.sum(1) + 0.8;
    const at::Tensor est = ref.flip(1) + 0.2 * torch::randn_like(ref) + 0.5;

    const SeparationScores scores = scoreSeparation(est, ref, mix);
    QCOMPARE(shapeString(scores.siSdri), QStringLiteral("[3]"));
    for (int64_t b = 0; b < batch; ++b) {
        const std::vector<double> e0 = toVector(est[b][0]);
        const std::vector<double> e1 = toVector(est[b][1]);
        const std::vector<double> r0 = toVector(ref[b][0]);
        const std::vector<double> r1 = toVector(ref[b][1]);
        const std::vector<double> m = toVector(mix[b]);
        const double identity = (referenceSiSdrZeroMean(e0, r0) + referenceSiSdrZeroMean(e1, r1))
                                / 2.0;
        const double swapped = (referenceSiSdrZeroMean(e1, r0) + referenceSiSdrZeroMean(e0, r1))
                               / 2.0;
        const double best = std::max(identity, swapped);
        const double plainBaseline = (referenceSiSdrPlain(m, r0) + referenceSiSdrPlain(m, r1))
                                     / 2.0;
        const double zeroMeanBaseline = (referenceSiSdrZeroMean(m, r0)
                                         + referenceSiSdrZeroMean(m, r1))
                                        / 2.0;
        QVERIFY(std::abs(plainBaseline - zeroMeanBaseline) > 0.1);

        SEPLAB_COMPARE_NEAR(scores.siSdr[b].item<double>(), best, 1e-9);
        SEPLAB_COMPARE_NEAR(scores.siSdri[b].item<double>(), best - plainBaseline, 1e-9);
        QCOMPARE(scores.permutation[b][0].item<int64_t>(), int64_t(1));
    }
}

void tst_SeparationScores::oneSourceByHand()
{
    // Plain SI-SDR throughout. est = [1, 2, 3, 5] against ref = [1, 2, 3, 4]: 10 log10(578 / 7)
    // (worked out in tst_si_sdr). mix = [2, 2, 3, 4]: <mix, ref> = 31, |ref|^2 = 30,
    // |mix|^2 = 33, a = 31 / 30, |a ref|^2 = 961 / 30,
    // |a ref - mix|^2 = 961 / 30 - 2 * 31 / 30 * 31 + 33 = (961 - 1922 + 990) / 30 = 29 / 30
    // -> 961 / 29. SI-SDRi = 10 log10((578 / 7) / (961 / 29)).
    // (Zero-mean would give 10 log10(169 / 6) ~ 14.5 dB for the estimate, not ~19.2 dB.)
    const at::Tensor ref = torch::tensor({1.0, 2.0, 3.0, 4.0}, torch::kDouble).view({1, 1, 4});
    const at::Tensor est = torch::tensor({1.0, 2.0, 3.0, 5.0}, torch::kDouble).view({1, 1, 4});
    const at::Tensor mix = torch::tensor({2.0, 2.0, 3.0, 4.0}, torch::kDouble).view({1, 4});

    const SeparationScores scores = scoreSeparation(est, ref, mix);
    const double expected = 10.0 * std::log10(578.0 / 7.0);
    SEPLAB_COMPARE_NEAR(scores.siSdr[0].item<double>(), expected, 1e-9);
    QCOMPARE(shapeString(scores.perSource), QStringLiteral("[1, 1]"));
    SEPLAB_COMPARE_NEAR(scores.perSource[0][0].item<double>(), expected, 1e-9);
    QCOMPARE(shapeString(scores.permutation), QStringLiteral("[1, 1]"));
    QVERIFY(scores.permutation.scalar_type() == torch::kLong);
    QCOMPARE(scores.permutation[0][0].item<int64_t>(), int64_t(0));
    SEPLAB_COMPARE_NEAR(scores.siSdri[0].item<double>(),
                        10.0 * std::log10((578.0 / 7.0) / (961.0 / 29.0)),
                        1e-9);
}

void tst_SeparationScores::oneSourceBatch()
{
    const at::Tensor ref = torch::randn({4, 1, 200}, torch::kDouble);
    const at::Tensor mix = ref.squeeze(1) + torch::randn({4, 200}, torch::kDouble) + 0.3;
    const at::Tensor est = ref + 0.3 * torch::randn_like(ref) + 0.2;

    const SeparationScores scores = scoreSeparation(est, ref, mix);
    QCOMPARE(shapeString(scores.siSdr), QStringLiteral("[4]"));
    QCOMPARE(shapeString(scores.siSdri), QStringLiteral("[4]"));
    QVERIFY(torch::equal(scores.permutation, torch::zeros({4, 1}, torch::kLong)));
    for (int64_t b = 0; b < 4; ++b) {
        const double estScore = referenceSiSdrPlain(toVector(est[b][0]), toVector(ref[b][0]));
        const double mixScore = referenceSiSdrPlain(toVector(mix[b]), toVector(ref[b][0]));
        SEPLAB_COMPARE_NEAR(scores.siSdr[b].item<double>(), estScore, 1e-9);
        SEPLAB_COMPARE_NEAR(scores.siSdri[b].item<double>(), estScore - mixScore, 1e-9);
    }
}

void tst_SeparationScores::noMixtureLeavesImprovementUndefined()
{
    const at::Tensor ref = torch::randn({2, 2, 50});
    QVERIFY(!scoreSeparation(ref, ref).siSdri.defined());
    QVERIFY(scoreSeparation(ref, ref).siSdr.defined());
    QVERIFY(!scoreSeparation(ref.narrow(1, 0, 1), ref.narrow(1, 0, 1)).siSdri.defined());
}

void tst_SeparationScores::rejectsMismatchedShapes_data()
{
    QTest::addColumn<QList<qint64>>("estShape");
    QTest::addColumn<QList<qint64>>("refShape");
    QTest::addColumn<QList<qint64>>("mixShape");
    QTest::addColumn<QStringList>("mentions");

    QTest::newRow("source count") << QList<qint64>{1, 2, 100} << QList<qint64>{1, 3, 100}
                                  << QList<qint64>{} << QStringList{"[1, 2, 100]", "[1, 3, 100]"};
    QTest::newRow("length") << QList<qint64>{2, 1, 100} << QList<qint64>{2, 1, 90}
                            << QList<qint64>{} << QStringList{"[2, 1, 100]", "[2, 1, 90]"};
    QTest::newRow("mixture batch")
        << QList<qint64>{1, 2, 100} << QList<qint64>{1, 2, 100} << QList<qint64>{2, 100}
        << QStringList{"[2, 100]", "[1, 2, 100]"};
    QTest::newRow("mixture with channels")
        << QList<qint64>{1, 2, 100} << QList<qint64>{1, 2, 100} << QList<qint64>{1, 1, 100}
        << QStringList{"[1, 1, 100]"};
    QTest::newRow("estimates without sources") << QList<qint64>{2, 100} << QList<qint64>{2, 100}
                                               << QList<qint64>{} << QStringList{"[2, 100]"};
}

void tst_SeparationScores::rejectsMismatchedShapes()
{
    QFETCH(QList<qint64>, estShape);
    QFETCH(QList<qint64>, refShape);
    QFETCH(QList<qint64>, mixShape);
    QFETCH(QStringList, mentions);

    const auto tensorOf = [](const QList<qint64> &shape) {
        return torch::zeros(std::vector<int64_t>(shape.begin(), shape.end()));
    };
    const at::Tensor mix = mixShape.isEmpty() ? at::Tensor() : tensorOf(mixShape);
    try {
        scoreSeparation(tensorOf(estShape), tensorOf(refShape), mix);
        QFAIL("no exception for mismatched shapes");
    } catch (const std::invalid_argument &error) {
        const QString message = QString::fromStdString(error.what());
        for (const QString &shape : mentions)
            QVERIFY2(message.contains(shape), qPrintable(message));
    }
}

QTEST_GUILESS_MAIN(tst_SeparationScores)

#include "tst_separation_scores.moc"
