// gLN and cLN against values computed by hand; GroupNorm(1) as SpeechBrain's "ln".

#include "core/models/blocks/norms.h"

#include <QtTest>

using namespace seplab::models;

class tst_Norms : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void globalLayerNorm();
    void channelwiseLayerNorm();
    void gammaAndBetaApplyPerChannel();
    void groupNormIsOneGroupWithTinyEps();
};

namespace {

// x[b=0] = channel 0: (1, 2), channel 1: (3, 4); channels-first [1, 2, 2].
torch::Tensor example()
{
    return torch::tensor({1.0, 2.0, 3.0, 4.0}, torch::kDouble).view({1, 2, 2});
}

} // namespace

void tst_Norms::globalLayerNorm()
{
    // mean 2.5, var (2.25 + 0.25 + 0.25 + 2.25) / 4 = 1.25, so (x - 2.5) / sqrt(1.25).
    GlobalLayerNorm norm(2, 1e-8);
    norm->to(torch::kDouble);
    const torch::Tensor out = norm->forward(example());
    const double s = std::sqrt(1.25 + 1e-8);
    const torch::Tensor expected
        = torch::tensor({-1.5 / s, -0.5 / s, 0.5 / s, 1.5 / s}, torch::kDouble).view({1, 2, 2});
    QVERIFY(torch::allclose(out, expected, 1e-12, 1e-12));
}

void tst_Norms::channelwiseLayerNorm()
{
    // Per frame: frame 0 holds (1, 3): mean 2, biased var 1; frame 1 holds (2, 4): the same.
    ChannelwiseLayerNorm norm(2, 1e-8);
    norm->to(torch::kDouble);
    const torch::Tensor out = norm->forward(example());
    const double s = std::sqrt(1.0 + 1e-8);
    const torch::Tensor expected = torch::tensor({-1 / s, -1 / s, 1 / s, 1 / s}, torch::kDouble)
                                       .view({1, 2, 2});
    QVERIFY(torch::allclose(out, expected, 1e-12, 1e-12));
}

void tst_Norms::gammaAndBetaApplyPerChannel()
{
    ChannelwiseLayerNorm norm(2, 1e-8);
    norm->to(torch::kDouble);
    {
        torch::NoGradGuard noGrad;
        norm->gamma.copy_(torch::tensor({2.0, 3.0}).view({1, 1, 2}));
        norm->beta.copy_(torch::tensor({10.0, 20.0}).view({1, 1, 2}));
    }
    // Channel 0 (normalised -1, -1) -> 2 * -1 + 10 = 8; channel 1 (1, 1) -> 3 + 20 = 23.
    const torch::Tensor out = norm->forward(example());
    const torch::Tensor expected = torch::tensor({8.0, 8.0, 23.0, 23.0}, torch::kDouble)
                                       .view({1, 2, 2});
    QVERIFY(torch::allclose(out, expected, 1e-7, 1e-7));
}

void tst_Norms::groupNormIsOneGroupWithTinyEps()
{
    torch::nn::GroupNorm norm = makeGroupNorm1(2);
    QCOMPARE(norm->options.num_groups(), std::int64_t(1));
    QCOMPARE(norm->options.eps(), 1e-8);
    // One group normalises over all channels and time, like gLN without its parameter shape.
    norm->to(torch::kDouble);
    GlobalLayerNorm gln(2, 1e-8);
    gln->to(torch::kDouble);
    QVERIFY(torch::allclose(norm->forward(example()), gln->forward(example()), 1e-12, 1e-12));
}

QTEST_GUILESS_MAIN(tst_Norms)
#include "tst_norms.moc"
