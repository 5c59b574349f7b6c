// The fp16 loss scaler: exact unscaling, Inf/NaN detection with back-off, growth after the
// interval, and its state round trip. Runs on the CPU with plain tensors.

#include "core/train/loss_scaler.h"
#include "core/train/train_step.h"

#include <QtTest>

#include <torch/torch.h>

using namespace seplab::train;

namespace {

torch::Tensor parameterWithGrad(std::vector<float> grad)
{
    torch::Tensor p = torch::zeros({std::int64_t(grad.size())}, torch::requires_grad());
    p.mutable_grad() = torch::tensor(grad);
    return p;
}

} // namespace

class tst_LossScaler : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void unscalesExactly();
    void nonFiniteGradientsBackOff();
    void growsAfterTheInterval();
    void clipGradNormMatchesTheFormula();
};

void tst_LossScaler::unscalesExactly()
{
    LossScaler scaler(256.0);
    QCOMPARE(scaler.scale(torch::tensor(1.5)).item<double>(), 384.0);
    torch::Tensor a = parameterWithGrad({256.f, -512.f});
    torch::Tensor b = parameterWithGrad({64.f});
    QVERIFY(scaler.unscale({a, b}));
    QCOMPARE(a.grad()[0].item<float>(), 1.f);
    QCOMPARE(a.grad()[1].item<float>(), -2.f);
    QCOMPARE(b.grad()[0].item<float>(), 0.25f);
    scaler.update(true);
    QCOMPARE(scaler.currentScale(), 256.0);
    QCOMPARE(scaler.growthTracker(), 1);
}

void tst_LossScaler::nonFiniteGradientsBackOff()
{
    LossScaler scaler(256.0);
    torch::Tensor a = parameterWithGrad({1.f, std::numeric_limits<float>::infinity()});
    QVERIFY(!scaler.unscale({a}));
    scaler.update(false);
    QCOMPARE(scaler.currentScale(), 128.0);
    QCOMPARE(scaler.growthTracker(), 0);
    torch::Tensor b = parameterWithGrad({std::nanf("")});
    QVERIFY(!scaler.unscale({b}));
}

void tst_LossScaler::growsAfterTheInterval()
{
    LossScaler scaler(256.0, 2.0, 0.5, 3);
    scaler.update(true);
    scaler.update(true);
    QCOMPARE(scaler.currentScale(), 256.0);
    scaler.update(true);
    QCOMPARE(scaler.currentScale(), 512.0);
    QCOMPARE(scaler.growthTracker(), 0);
    scaler.update(true);
    LossScaler restored;
    restored.restore(nlohmann::json::parse(scaler.state().dump()));
    QCOMPARE(restored.currentScale(), 512.0);
    QCOMPARE(restored.growthTracker(), 1);
}

void tst_LossScaler::clipGradNormMatchesTheFormula()
{
    // Global norm of (3, 4) and (12) is 13; clipping to 6.5 halves every gradient
    // (coefficient 6.5 / (13 + 1e-6)).
    torch::Tensor a = parameterWithGrad({3.f, 4.f});
    torch::Tensor b = parameterWithGrad({12.f});
    const double norm = clipGradNorm({a, b}, 6.5).item<double>();
    QCOMPARE(norm, 13.0);
    const double coefficient = 6.5 / (13.0 + 1e-6);
    QVERIFY(std::abs(a.grad()[0].item<double>() - 3.0 * coefficient) < 1e-6);
    QVERIFY(std::abs(b.grad()[0].item<double>() - 12.0 * coefficient) < 1e-6);
    // Below the limit nothing changes.
    torch::Tensor c = parameterWithGrad({0.3f, 0.4f});
    clipGradNorm({c}, 1.0);
    QCOMPARE(c.grad()[1].item<float>(), 0.4f);
}

QTEST_GUILESS_MAIN(tst_LossScaler)
#include "tst_loss_scaler.moc"
