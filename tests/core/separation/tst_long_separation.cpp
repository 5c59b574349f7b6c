// Long-recording separation: the chunk plan, the cross-fade weights, the speaker-order alignment
// of a chunk against the stitched output (a deliberately swapped chunk comes back in order), and
// end to end, a chunk-local model whose output order flips on every call gives the one-pass
// result exactly; real models accept any input length (zero-padded when too short).

#include "core/models/separator.h"
#include "core/separation/long_separation.h"

#include <QtTest>

#include <cmath>
#include <torch/torch.h>

using namespace seplab;
using namespace seplab::separation;

namespace {

// Pointwise, hence exactly chunk-local: source 0 = max(x, 0), source 1 = min(x, 0), which never
// share a sample, so their correlation is 0 and the alignment is unambiguous. Every other call
// returns the sources swapped, as a real separator may; params() declares an encoder kernel so
// short inputs are padded.
class SignSplitter : public models::Separator
{
public:
    torch::Tensor separate(const torch::Tensor &mixture) override
    {
        inputLengths.push_back(mixture.size(-1));
        sawGrad = sawGrad || torch::GradMode::is_enabled();
        sawTraining = sawTraining || is_training();
        torch::Tensor positive = torch::clamp_min(mixture, 0.0);
        torch::Tensor negative = torch::clamp_max(mixture, 0.0);
        const bool swap = (calls++ % 2) == 1;
        return swap ? torch::stack({negative, positive}, 1) : torch::stack({positive, negative}, 1);
    }
    int sources() const override { return 2; }
    std::string typeName() const override { return "sign_splitter"; }
    nlohmann::json params() const override { return {{"kernel_size", 16}}; }

    int calls = 0;
    bool sawGrad = false;
    bool sawTraining = false;
    std::vector<std::int64_t> inputLengths;
};

// Deterministic speech-like test signal: a few tones with a slow envelope plus seeded noise.
torch::Tensor testSignal(std::int64_t length, double seed)
{
    const torch::Tensor t = torch::arange(length, torch::kDouble) / 8000.0;
    torch::Tensor x = 0.4 * torch::sin(2 * M_PI * (110 + 13 * seed) * t)
                      * (0.6 + 0.4 * torch::sin(2 * M_PI * 0.7 * t + seed));
    x = x + 0.2 * torch::sin(2 * M_PI * (345 + 7 * seed) * t + 0.3 * seed);
    torch::manual_seed(static_cast<std::uint64_t>(seed * 1000));
    return (x + 0.05 * torch::randn({length}, torch::kDouble)).to(torch::kFloat);
}

double maxAbsDiff(const torch::Tensor &a, const torch::Tensor &b)
{
    return (a - b).abs().max().item<double>();
}

} // namespace

class tst_LongSeparation : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void planCoversTheSignal_data();
    void planCoversTheSignal();
    void badPlansThrow();
    void fadeWeights();
    void alignmentFindsThePermutation();
    void stitchingRestoresASwappedChunk();
    void crossfadeBlendsTheOverlap();
    void chunkedEqualsOnePassForAChunkLocalModel();
    void shortClipsArePaddedAndTrimmed();
    void realModelsTakeAnyLength_data();
    void realModelsTakeAnyLength();
    void chunkedRealModelStaysCloseToOnePass();
};

void tst_LongSeparation::initTestCase()
{
    at::set_num_threads(1);
}

void tst_LongSeparation::planCoversTheSignal_data()
{
    QTest::addColumn<qint64>("total");
    QTest::addColumn<qint64>("chunk");
    QTest::addColumn<qint64>("overlap");
    QTest::addColumn<QList<qint64>>("expected");
    QTest::newRow("shorter than a chunk")
        << qint64(10) << qint64(40) << qint64(10) << QList<qint64>{0};
    QTest::newRow("exactly one chunk")
        << qint64(40) << qint64(40) << qint64(10) << QList<qint64>{0};
    QTest::newRow("exact hops") << qint64(100) << qint64(40) << qint64(10)
                                << QList<qint64>{0, 30, 60};
    QTest::newRow("last chunk moved back")
        << qint64(105) << qint64(40) << qint64(10) << QList<qint64>{0, 30, 60, 65};
    QTest::newRow("no overlap") << qint64(100) << qint64(40) << qint64(0)
                                << QList<qint64>{0, 40, 60};
    QTest::newRow("one sample past a chunk")
        << qint64(41) << qint64(40) << qint64(10) << QList<qint64>{0, 1};
}

void tst_LongSeparation::planCoversTheSignal()
{
    QFETCH(qint64, total);
    QFETCH(qint64, chunk);
    QFETCH(qint64, overlap);
    QFETCH(QList<qint64>, expected);
    const std::vector<std::int64_t> starts = planChunks(total, chunk, overlap);
    QCOMPARE(QList<qint64>(starts.begin(), starts.end()), expected);
}

void tst_LongSeparation::badPlansThrow()
{
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, planChunks(100, 40, 40));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, planChunks(100, 40, -1));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, planChunks(100, 0, 0));
}

void tst_LongSeparation::fadeWeights()
{
    const torch::Tensor linear = fadeInWeights(3, Crossfade::Linear);
    QCOMPARE(linear.size(0), std::int64_t(3));
    QCOMPARE(linear[0].item<float>(), 0.25f);
    QCOMPARE(linear[1].item<float>(), 0.5f);
    QCOMPARE(linear[2].item<float>(), 0.75f);
    // Raised cosine of 3: (1 - cos(pi i/4)) / 2 for i = 1, 2, 3.
    const torch::Tensor cosine = fadeInWeights(3, Crossfade::RaisedCosine);
    QCOMPARE(cosine[0].item<float>(), float((1.0 - std::cos(M_PI / 4)) / 2));
    QCOMPARE(cosine[1].item<float>(), 0.5f);
    QCOMPARE(cosine[2].item<float>(), float((1.0 - std::cos(3 * M_PI / 4)) / 2));
    // Symmetric: the incoming and outgoing weights of a long fade also sum to one mirrored.
    const torch::Tensor w = fadeInWeights(1001, Crossfade::RaisedCosine);
    QVERIFY(maxAbsDiff(w + w.flip({0}), torch::ones({1001})) < 1e-6);
    QVERIFY(w.min().item<float>() > 0.0f && w.max().item<float>() < 1.0f);
}

void tst_LongSeparation::alignmentFindsThePermutation()
{
    const torch::Tensor a = testSignal(800, 1), b = testSignal(800, 2), c = testSignal(800, 3);
    const torch::Tensor previous = torch::stack({a, b});
    QCOMPARE(alignSources(previous, torch::stack({a, b})), (std::vector<int>{0, 1}));
    QCOMPARE(alignSources(previous, torch::stack({b, a})), (std::vector<int>{1, 0}));
    // Scale does not matter (normalised correlation): a quiet copy of a still matches a.
    QCOMPARE(alignSources(previous, torch::stack({3.0 * b, 0.01 * a})), (std::vector<int>{1, 0}));
    // Three sources rotated: output j continues previous j.
    QCOMPARE(alignSources(torch::stack({a, b, c}), torch::stack({c, a, b})),
             (std::vector<int>{1, 2, 0}));
    // Silence has no preference: the order is kept.
    QCOMPARE(alignSources(torch::zeros({2, 800}), torch::zeros({2, 800})), (std::vector<int>{0, 1}));
}

void tst_LongSeparation::stitchingRestoresASwappedChunk()
{
    // Two known sources cut into overlapping chunks; chunks 2 and 4 (index 1, 3) have their rows
    // swapped, as a separator may return them. The stitched output must be the sources, in order.
    const std::int64_t total = 10000, chunk = 3000, overlap = 500;
    const torch::Tensor truth = torch::stack({testSignal(total, 4), testSignal(total, 5)});
    const std::vector<std::int64_t> starts = planChunks(total, chunk, overlap);
    QCOMPARE(starts, (std::vector<std::int64_t>{0, 2500, 5000, 7000}));
    std::vector<torch::Tensor> chunks;
    for (std::size_t k = 0; k < starts.size(); ++k) {
        torch::Tensor piece = truth.narrow(1, starts[k], chunk).clone();
        if (k == 1 || k == 3)
            piece = piece.flip({0});
        chunks.push_back(piece);
    }
    for (Crossfade shape : {Crossfade::Linear, Crossfade::RaisedCosine}) {
        const Stitched stitched = stitchChunks(chunks, starts, total, shape);
        QCOMPARE(stitched.sources.sizes(), truth.sizes());
        QVERIFY2(maxAbsDiff(stitched.sources, truth) < 1e-6,
                 std::to_string(maxAbsDiff(stitched.sources, truth)).c_str());
        QCOMPARE(stitched.permutations,
                 (std::vector<std::vector<int>>{{0, 1}, {1, 0}, {0, 1}, {1, 0}}));
    }
    // Without the alignment the swapped chunk would have been written in the wrong order: the
    // second source's samples right after the first overlap are those of truth[1].
    const Stitched stitched = stitchChunks(chunks, starts, total);
    QCOMPARE(stitched.sources[0][4000].item<float>(), truth[0][4000].item<float>());
    QCOMPARE(stitched.sources[1][4000].item<float>(), truth[1][4000].item<float>());
}

void tst_LongSeparation::crossfadeBlendsTheOverlap()
{
    // Chunk 2 is the truth at twice the gain: in the overlap [6, 10) the output is
    // truth (1 - w) + 2 truth w = truth (1 + w), with linear w = 1/5 ... 4/5; after it, 2 truth.
    const torch::Tensor truth = torch::stack({testSignal(16, 6), testSignal(16, 7)});
    const std::vector<torch::Tensor> chunks = {truth.narrow(1, 0, 10).clone(),
                                               2.0 * truth.narrow(1, 6, 10)};
    const Stitched stitched = stitchChunks(chunks, {0, 6}, 16, Crossfade::Linear);
    torch::Tensor expected = truth.clone();
    for (int i = 0; i < 4; ++i)
        expected.select(1, 6 + i).mul_(1.0 + (i + 1) / 5.0);
    expected.narrow(1, 10, 6).mul_(2.0);
    QVERIFY(maxAbsDiff(stitched.sources, expected) < 1e-6);
    QVERIFY(maxAbsDiff(stitched.sources.narrow(1, 0, 6), truth.narrow(1, 0, 6)) == 0.0);

    // A gap between chunks is refused.
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             stitchChunks({truth.narrow(1, 0, 5), truth.narrow(1, 6, 10)},
                                          {0, 6},
                                          16));
}

void tst_LongSeparation::chunkedEqualsOnePassForAChunkLocalModel()
{
    const std::int64_t total = 20 * 8000; // 20 s at 8 kHz
    const torch::Tensor mixture = testSignal(total, 8);
    const torch::Tensor onePass = torch::stack({mixture.clamp_min(0.0), mixture.clamp_max(0.0)});

    SignSplitter model;
    model.train(); // separateLong must switch to eval and back
    LongSeparationOptions options;
    options.chunkSeconds = 2.0;
    options.overlapSeconds = 0.5;
    const LongSeparation result = separateLong(model, mixture, 8000, options);
    const std::size_t expectedChunks = planChunks(total, 16000, 4000).size();
    QCOMPARE(expectedChunks, std::size_t(13)); // 0, 12000, ..., 144000, ending at 160000
    QCOMPARE(result.chunks, expectedChunks);
    QCOMPARE(model.calls, int(expectedChunks));
    QCOMPARE(model.inputLengths, std::vector<std::int64_t>(expectedChunks, 16000));
    QVERIFY(!model.sawGrad);
    QVERIFY(!model.sawTraining);
    QVERIFY(model.is_training());
    QCOMPARE(result.sources.sizes(), onePass.sizes());
    QVERIFY2(maxAbsDiff(result.sources, onePass) < 1e-6,
             std::to_string(maxAbsDiff(result.sources, onePass)).c_str());
    // Every odd call came back swapped and was put back in order.
    for (std::size_t k = 0; k < result.permutations.size(); ++k)
        QCOMPARE(result.permutations[k], (k % 2 ? std::vector<int>{1, 0} : std::vector<int>{0, 1}));

    // Up to the chunk length: one pass, one call.
    SignSplitter single;
    const LongSeparation whole = separateLong(single, mixture.narrow(0, 0, 16000), 8000, options);
    QCOMPARE(single.calls, 1);
    QCOMPARE(whole.chunks, std::size_t(1));
    QVERIFY(maxAbsDiff(whole.sources, onePass.narrow(1, 0, 16000)) == 0.0);
}

void tst_LongSeparation::shortClipsArePaddedAndTrimmed()
{
    SignSplitter model;
    const torch::Tensor mixture = torch::tensor({0.5f, -0.25f, 0.125f});
    const LongSeparation result = separateLong(model, mixture, 8000);
    QCOMPARE(model.inputLengths, std::vector<std::int64_t>{16}); // padded to the kernel
    QCOMPARE(result.sources.sizes(), (torch::IntArrayRef{2, 3}));
    QVERIFY(torch::equal(result.sources[0], torch::tensor({0.5f, 0.0f, 0.125f})));
    QVERIFY(torch::equal(result.sources[1], torch::tensor({0.0f, -0.25f, 0.0f})));

    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, separateLong(model, torch::zeros({0}), 8000));
    LongSeparationOptions bad;
    bad.overlapSeconds = 8.0;
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, separateLong(model, mixture, 8000, bad));
}

void tst_LongSeparation::realModelsTakeAnyLength_data()
{
    QTest::addColumn<QString>("type");
    QTest::addColumn<QByteArray>("params");
    QTest::addColumn<qint64>("minimum");
    // X = 8: the last block reflect-pads by 128 frames, so 129 frames = 128 * 8 + 16 samples.
    QTest::newRow("convtasnet X=8")
        << "convtasnet" << QByteArray(R"({"N":8,"B":8,"H":8,"X":8,"R":1})") << qint64(1040);
    QTest::newRow("convtasnet X=2")
        << "convtasnet" << QByteArray(R"({"N":8,"B":8,"H":8,"X":2,"R":1})") << qint64(32);
    QTest::newRow("dprnn") << "dprnn"
                           << QByteArray(
                                  R"({"N":16,"hidden_size":16,"num_layers":2,"chunk_size":20})")
                           << qint64(16);
}

void tst_LongSeparation::realModelsTakeAnyLength()
{
    QFETCH(QString, type);
    QFETCH(QByteArray, params);
    QFETCH(qint64, minimum);
    torch::manual_seed(0);
    const models::SeparatorPtr model = models::createModel(type.toStdString(),
                                                           nlohmann::json::parse(
                                                               params.toStdString()));
    QCOMPARE(minimumInputSamples(*model), std::int64_t(minimum));
    {
        // The minimum is tight: the bare model refuses one sample less.
        torch::NoGradGuard noGrad;
        model->eval();
        QCOMPARE(model->separate(torch::zeros({1, minimum})).size(2), std::int64_t(minimum));
        QVERIFY_THROWS_EXCEPTION(c10::Error, model->separate(torch::zeros({1, minimum - 1})));
    }
    const std::vector<std::int64_t> lengths = {1, 15, minimum - 1, minimum, 1500};
    for (const std::int64_t length : lengths) {
        const LongSeparation result = separateLong(*model, testSignal(length, 9), 8000);
        QCOMPARE(result.sources.sizes(), (torch::IntArrayRef{2, length}));
        QVERIFY(torch::isfinite(result.sources).all().item<bool>());
    }
    // Silence is a well-defined input too.
    const LongSeparation silent = separateLong(*model, torch::zeros({4000}), 8000);
    QVERIFY(torch::isfinite(silent.sources).all().item<bool>());
}

void tst_LongSeparation::chunkedRealModelStaysCloseToOnePass()
{
    // A tiny Conv-TasNet sees 72 samples; only its gLN statistics span the whole input, and on a
    // stationary signal they barely differ between a 1 s chunk and the whole 6 s. The chunked
    // estimates must match the one-pass ones closely, in the same order.
    torch::manual_seed(0);
    const models::SeparatorPtr model
        = models::createModel("convtasnet", {{"N", 8}, {"B", 8}, {"H", 8}, {"X", 2}, {"R", 1}});
    const torch::Tensor mixture = testSignal(6 * 8000, 10);
    LongSeparationOptions whole;
    whole.chunkSeconds = 10.0;
    LongSeparationOptions chunked;
    chunked.chunkSeconds = 1.0;
    chunked.overlapSeconds = 0.25;
    const LongSeparation a = separateLong(*model, mixture, 8000, whole);
    const LongSeparation b = separateLong(*model, mixture, 8000, chunked);
    QCOMPARE(a.chunks, std::size_t(1));
    QCOMPARE(b.chunks, planChunks(48000, 8000, 2000).size());
    for (int c = 0; c < 2; ++c) {
        const double error = (a.sources[c] - b.sources[c]).pow(2).sum().item<double>();
        const double energy = a.sources[c].pow(2).sum().item<double>();
        const double snr = 10.0 * std::log10(energy / error);
        qInfo("source %d: chunked vs one pass %.1f dB", c + 1, snr);
        QVERIFY2(snr > 20.0, std::to_string(snr).c_str());
    }
}

QTEST_GUILESS_MAIN(tst_LongSeparation)
#include "tst_long_separation.moc"
