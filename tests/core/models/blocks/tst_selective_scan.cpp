// The chunked selective scan against a straight loop over time written from the recurrence in
// spec models.md §1.5 and differentiated by autograd: forward and every gradient (u, delta, A, B,
// C, D, z, delta bias) agree in fp64 to 1e-8, for chunk lengths that divide the sequence, leave a
// remainder, are 1, or exceed it, with and without the gate, on both paths (the fused CPU kernels
// and the LibTorch ops that CUDA runs). Plus the Mamba mixer built on it.

#include "core/models/blocks/mamba.h"
#include "core/models/blocks/selective_scan.h"
#include "core/models/separator.h"

#include <QtTest>

#include <torch/torch.h>

using namespace seplab::models;

namespace {

struct Inputs
{
    torch::Tensor u, delta, A, B, C, D, z, bias;
    std::vector<torch::Tensor> all() const
    {
        std::vector<torch::Tensor> list = {u, delta, A, B, C, D, bias};
        if (z.defined())
            list.push_back(z);
        return list;
    }
};

Inputs randomInputs(std::int64_t batch, std::int64_t d, std::int64_t L, std::int64_t N, bool gated)
{
    const auto f64 = torch::TensorOptions().dtype(torch::kDouble);
    Inputs in;
    in.u = torch::randn({batch, d, L}, f64).requires_grad_();
    // Raw deltas around the softplus knee, and a few above the threshold of 20.
    in.delta = (torch::randn({batch, d, L}, f64) * 2).requires_grad_();
    {
        torch::NoGradGuard noGrad;
        in.delta.view(-1)[0] = 25.0;
    }
    in.A = (-torch::rand({d, N}, f64) * 2 - 0.1).requires_grad_();
    in.B = torch::randn({batch, N, L}, f64).requires_grad_();
    in.C = torch::randn({batch, N, L}, f64).requires_grad_();
    in.D = torch::randn({d}, f64).requires_grad_();
    in.bias = (torch::randn({d}, f64) * 0.5).requires_grad_();
    if (gated)
        in.z = torch::randn({batch, d, L}, f64).requires_grad_();
    return in;
}

// The recurrence one step at a time, with plain differentiable tensor ops.
torch::Tensor straightLoop(const Inputs &in)
{
    const std::int64_t L = in.u.size(2);
    const torch::Tensor delta = torch::softplus(in.delta + in.bias.unsqueeze(-1), 1.0, 20.0);
    torch::Tensor h = torch::zeros({in.u.size(0), in.u.size(1), in.A.size(1)}, in.u.options());
    std::vector<torch::Tensor> ys;
    for (std::int64_t t = 0; t < L; ++t) {
        const torch::Tensor dt = delta.select(2, t);                     // [b, d]
        const torch::Tensor decay = torch::exp(dt.unsqueeze(-1) * in.A); // [b, d, N]
        const torch::Tensor input = (dt * in.u.select(2, t)).unsqueeze(-1)
                                    * in.B.select(2, t).unsqueeze(1);
        h = decay * h + input;
        ys.push_back((h * in.C.select(2, t).unsqueeze(1)).sum(-1) + in.D * in.u.select(2, t));
    }
    torch::Tensor y = torch::stack(ys, 2);
    if (in.z.defined())
        y = y * in.z * torch::sigmoid(in.z);
    return y;
}

double maxDifference(const torch::Tensor &a, const torch::Tensor &b)
{
    return (a - b).abs().max().item<double>();
}

} // namespace

class tst_SelectiveScan : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void matchesTheStraightLoop_data();
    void matchesTheStraightLoop();
    void floatInputKeepsItsDtype();
    void bothPathsAgreeOnStridedFloatInputs();
    void defaultChunks();
    void mambaMixerShapesAndInit();
    void biMambaRunsBackwardDirectionOnReversedTime();
    void checkpointedLayersGiveTheSameGradients();
};

void tst_SelectiveScan::matchesTheStraightLoop_data()
{
    QTest::addColumn<int>("batch");
    QTest::addColumn<int>("channels");
    QTest::addColumn<int>("steps");
    QTest::addColumn<int>("states");
    QTest::addColumn<int>("chunk");
    QTest::addColumn<bool>("gated");
    QTest::addColumn<bool>("tensorOps");
    for (const bool tensorOps : {false, true}) {
        const std::string path = tensorOps ? " (tensor ops)" : " (fused CPU)";
        auto row = [&](const char *name) -> QTestData & {
            return QTest::newRow((name + path).c_str());
        };
        row("chunk divides L") << 2 << 3 << 12 << 4 << 4 << true << tensorOps;
        row("chunk leaves a remainder") << 2 << 3 << 11 << 5 << 4 << true << tensorOps;
        row("chunk 1") << 1 << 2 << 7 << 3 << 1 << true << tensorOps;
        row("one chunk longer than L") << 3 << 2 << 6 << 2 << 50 << true << tensorOps;
        row("automatic chunk") << 2 << 4 << 40 << 16 << 0 << true << tensorOps;
        row("without the gate") << 2 << 3 << 9 << 4 << 2 << false << tensorOps;
        row("one step") << 2 << 3 << 1 << 4 << 0 << true << tensorOps;
    }
}

void tst_SelectiveScan::matchesTheStraightLoop()
{
    QFETCH(int, batch);
    QFETCH(int, channels);
    QFETCH(int, steps);
    QFETCH(int, states);
    QFETCH(int, chunk);
    QFETCH(bool, gated);
    QFETCH(bool, tensorOps);
    torch::manual_seed(11 + steps);
    const Inputs in = randomInputs(batch, channels, steps, states, gated);

    const torch::Tensor expected = straightLoop(in);
    const torch::Tensor actual = selectiveScan(in.u,
                                               in.delta,
                                               in.A,
                                               in.B,
                                               in.C,
                                               in.D,
                                               in.z,
                                               in.bias,
                                               chunk,
                                               tensorOps ? ScanPath::TensorOps
                                                         : ScanPath::Automatic);
    QCOMPARE(actual.scalar_type(), torch::kDouble);
    QCOMPARE(actual.sizes().vec(), expected.sizes().vec());
    QVERIFY2(maxDifference(actual, expected) < 1e-8,
             std::to_string(maxDifference(actual, expected)).c_str());

    const torch::Tensor grad = torch::randn_like(expected);
    const auto expectedGrads = torch::autograd::grad({expected}, in.all(), {grad});
    const auto actualGrads = torch::autograd::grad({actual}, in.all(), {grad});
    const char *names[] = {"u", "delta", "A", "B", "C", "D", "delta_bias", "z"};
    for (std::size_t i = 0; i < expectedGrads.size(); ++i) {
        QVERIFY2(actualGrads[i].defined(), names[i]);
        QCOMPARE(actualGrads[i].sizes().vec(), expectedGrads[i].sizes().vec());
        const double difference = maxDifference(actualGrads[i], expectedGrads[i]);
        QVERIFY2(difference < 1e-8,
                 (std::string(names[i]) + ": " + std::to_string(difference)).c_str());
        // A gradient that is zero everywhere would pass trivially (A's is, for one step: the
        // state before the first step is zero).
        if (steps > 1 || i != 2)
            QVERIFY2(expectedGrads[i].abs().max().item<double>() > 1e-3, names[i]);
    }
}

void tst_SelectiveScan::floatInputKeepsItsDtype()
{
    torch::manual_seed(2);
    Inputs in = randomInputs(2, 3, 10, 4, true);
    const torch::Tensor expected = straightLoop(in);
    const torch::Tensor out = selectiveScan(in.u.to(torch::kFloat),
                                            in.delta.to(torch::kFloat),
                                            in.A.to(torch::kFloat),
                                            in.B.to(torch::kFloat),
                                            in.C.to(torch::kFloat),
                                            in.D.to(torch::kFloat),
                                            in.z.to(torch::kFloat),
                                            in.bias.to(torch::kFloat),
                                            3);
    QCOMPARE(out.scalar_type(), torch::kFloat);
    QVERIFY(maxDifference(out.to(torch::kDouble), expected) < 1e-4);
}

void tst_SelectiveScan::bothPathsAgreeOnStridedFloatInputs()
{
    // The Mamba mixer hands over views (transposes, slices of one projection); the fused kernels
    // read raw memory, so they must copy those to contiguous memory first.
    torch::manual_seed(5);
    const std::int64_t batch = 3, d = 6, L = 23, N = 4;
    const auto f32 = torch::TensorOptions().dtype(torch::kFloat);
    const torch::Tensor xz = torch::randn({batch, L, 3 * d}, f32);
    const torch::Tensor bc = torch::randn({batch, L, 2 * N}, f32);
    std::vector<torch::Tensor> inputs = {xz.slice(2, 0, d).transpose(1, 2),         // u
                                         xz.slice(2, d, 2 * d).transpose(1, 2),     // delta
                                         -torch::rand({d, N}, f32) - 0.1,           // A
                                         bc.slice(2, 0, N).transpose(1, 2),         // B
                                         bc.slice(2, N, 2 * N).transpose(1, 2),     // C
                                         torch::randn({d}, f32),                    // D
                                         xz.slice(2, 2 * d, 3 * d).transpose(1, 2), // z
                                         torch::randn({d}, f32) * 0.5};             // delta bias
    QVERIFY(!inputs[0].is_contiguous() && !inputs[3].is_contiguous());
    for (torch::Tensor &t : inputs)
        t.requires_grad_();
    auto run = [&](ScanPath path) {
        return selectiveScan(inputs[0],
                             inputs[1],
                             inputs[2],
                             inputs[3],
                             inputs[4],
                             inputs[5],
                             inputs[6],
                             inputs[7],
                             5,
                             path);
    };
    const torch::Tensor fused = run(ScanPath::Automatic);
    const torch::Tensor reference = run(ScanPath::TensorOps);
    QCOMPARE(fused.scalar_type(), torch::kFloat);
    QVERIFY(maxDifference(fused, reference) < 1e-4);
    const torch::Tensor grad = torch::randn_like(fused);
    const auto fusedGrads = torch::autograd::grad({fused}, inputs, {grad});
    const auto referenceGrads = torch::autograd::grad({reference}, inputs, {grad});
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        const double scale = referenceGrads[i].abs().max().item<double>();
        QVERIFY(scale > 1e-3);
        QVERIFY2(maxDifference(fusedGrads[i], referenceGrads[i]) < 1e-4 * scale,
                 std::to_string(i).c_str());
    }
}

void tst_SelectiveScan::defaultChunks()
{
    // ceil(sqrt(3 L)), capped so that one chunk holds at most 2^25 state elements.
    QCOMPARE(defaultScanChunk(126, 16), std::int64_t(20));
    QCOMPARE(defaultScanChunk(498, 16), std::int64_t(39));
    // Reduced SPMamba's intra call at 4 s: 501 sequences x 256 channels x 16 states.
    QCOMPARE(defaultScanChunk(126, 501 * 256 * 16), std::int64_t(16));
    QCOMPARE(defaultScanChunk(3, 16), std::int64_t(3));
    QCOMPARE(defaultScanChunk(1000, std::int64_t(1) << 26), std::int64_t(1));
}

void tst_SelectiveScan::mambaMixerShapesAndInit()
{
    // spec §1.4: 8D^2 + 5 d_inner + d_inner (R + 32) + R d_inner + d_inner + 16 d_inner + d_inner
    // + 4D^2 with d_inner = 4D, R = ceil(D/16): 65,280 for D = 64, 232,960 for D = 128.
    MambaOptions options;
    options.dModel = 64;
    QCOMPARE(qint64(parameterCount(*MambaMixer(options))), qint64(65280));
    options.dModel = 128;
    QCOMPARE(qint64(parameterCount(*MambaMixer(options))), qint64(232960));

    options.dModel = 8;
    MambaMixer mixer(options);
    const auto p = mixer->named_parameters();
    QCOMPARE(p["A_log"].sizes().vec(), (std::vector<std::int64_t>{32, 16}));
    QVERIFY(torch::allclose(torch::exp(p["A_log"][5]), torch::arange(1, 17, torch::kFloat)));
    QCOMPARE(p["D"].sum().item<double>(), 32.0);
    // softplus(dt bias) lies in [1e-3, 1e-1], as drawn.
    const torch::Tensor dt = torch::softplus(p["dt_proj.bias"]);
    QVERIFY(dt.min().item<double>() >= 1e-3 - 1e-7 && dt.max().item<double>() <= 0.1 + 1e-7);
    QCOMPARE(p["dt_proj.weight"].abs().max().item<double>() <= 1.0, true); // U(+-1/sqrt(R)), R = 1
    const torch::Tensor x = torch::randn({3, 7, 8});
    QCOMPARE(mixer->forward(x).sizes().vec(), x.sizes().vec());
}

void tst_SelectiveScan::biMambaRunsBackwardDirectionOnReversedTime()
{
    torch::manual_seed(4);
    BiMamba block(8);
    const torch::Tensor x = torch::randn({2, 9, 8});
    const torch::Tensor out = block->forward(x);
    QCOMPARE(out.sizes().vec(), (std::vector<std::int64_t>{2, 9, 16}));
    // The forward half is causal: the first steps ignore a change at the end; the backward half
    // is anti-causal: its last steps ignore a change at the start.
    torch::Tensor changedEnd = x.clone();
    changedEnd.select(1, 8).add_(1.0);
    const torch::Tensor outEnd = block->forward(changedEnd);
    QVERIFY(
        torch::allclose(outEnd.slice(1, 0, 8).slice(2, 0, 8), out.slice(1, 0, 8).slice(2, 0, 8)));
    QVERIFY(!torch::allclose(outEnd.slice(1, 0, 8).slice(2, 8, 16),
                             out.slice(1, 0, 8).slice(2, 8, 16)));
    torch::Tensor changedStart = x.clone();
    changedStart.select(1, 0).add_(1.0);
    const torch::Tensor outStart = block->forward(changedStart);
    QVERIFY(torch::allclose(outStart.slice(1, 1, 9).slice(2, 8, 16),
                            out.slice(1, 1, 9).slice(2, 8, 16)));
}

void tst_SelectiveScan::checkpointedLayersGiveTheSameGradients()
{
    // Training checkpoints each Mamba layer (the backward runs it again); outputs and every
    // gradient must equal those of the plain layer, in fp64 to rounding.
    torch::manual_seed(6);
    BiMamba block(8);
    block->to(torch::kDouble);
    const torch::Tensor x = torch::randn({2, 11, 8}, torch::kDouble);
    const torch::Tensor grad = torch::randn({2, 11, 16}, torch::kDouble);

    auto run = [&](bool checkpointing) {
        block->setCheckpointing(checkpointing);
        block->zero_grad();
        const torch::Tensor input = x.clone().requires_grad_(true);
        const torch::Tensor out = block->forward(input);
        out.backward(grad);
        std::vector<torch::Tensor> results = {out.detach(), input.grad()};
        for (const torch::Tensor &p : block->parameters())
            results.push_back(p.grad().clone());
        return results;
    };
    const auto checkpointed = run(true);
    const auto plain = run(false);
    QCOMPARE(checkpointed.size(), std::size_t(2 + 2 * 10));
    for (std::size_t i = 0; i < plain.size(); ++i) {
        QVERIFY(checkpointed[i].defined() && plain[i].abs().max().item<double>() > 0.0);
        QVERIFY2(torch::allclose(checkpointed[i], plain[i], 1e-10, 1e-12),
                 std::to_string(i).c_str());
    }

    // The checkpoint is really in the graph while training, and absent under NoGradGuard.
    block->setCheckpointing(true);
    const torch::Tensor layerOut = block->forward_blocks[0]->as<MambaLayerImpl>()->forward(
        x.clone().requires_grad_(true));
    QVERIFY(layerOut.grad_fn()->name().find("CheckpointedLayer") != std::string::npos);
}

QTEST_GUILESS_MAIN(tst_SelectiveScan)
#include "tst_selective_scan.moc"
