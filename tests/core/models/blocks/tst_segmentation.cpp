// Dual-path chunking: where every chunk starts, how much is padded, and the overlap-add inverse.

#include "core/models/blocks/segmentation.h"

#include <QtTest>

#include <torch/torch.h>

using namespace seplab::models;

class tst_Segmentation : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void chunksStartEveryHop_data();
    void chunksStartEveryHop();
    void overlapAddInvertsSegmentation_data();
    void overlapAddInvertsSegmentation();
    void specShapes();
};

void tst_Segmentation::chunksStartEveryHop_data()
{
    QTest::addColumn<int>("length");
    QTest::addColumn<int>("chunk");
    QTest::addColumn<int>("gap");
    QTest::addColumn<int>("chunks");
    // gap = K - (P + L mod K) mod K; padded length L + gap + 2P = (S + 1) P.
    QTest::newRow("L7 K4") << 7 << 4 << 3 << 6;   // 4 - (2 + 3) % 4 = 3; 7+3+4 = 14 = 7*2
    QTest::newRow("L8 K4") << 8 << 4 << 2 << 6;   // 4 - (2 + 0) % 4 = 2; 8+2+4 = 14
    QTest::newRow("L6 K4") << 6 << 4 << 4 << 6;   // 4 - (2 + 2) % 4 = 4 (gap is never 0)
    QTest::newRow("L10 K6") << 10 << 6 << 5 << 6; // 6 - (3 + 4) % 6 = 5; 10+5+6 = 21 = 7*3
}

void tst_Segmentation::chunksStartEveryHop()
{
    QFETCH(int, length);
    QFETCH(int, chunk);
    QFETCH(int, gap);
    QFETCH(int, chunks);
    const int hop = chunk / 2;
    // Distinct values so every position is identifiable: frames[b][n][t] = 1000 b + 100 n + t + 1.
    const torch::Tensor frames = (torch::arange(length, torch::kDouble) + 1).view({1, 1, length})
                                 + 100 * torch::arange(3, torch::kDouble).view({1, 3, 1})
                                 + 1000 * torch::arange(2, torch::kDouble).view({2, 1, 1});
    const Segmented out = segment(frames, chunk);
    QCOMPARE(out.gap, std::int64_t(gap));
    const std::int64_t padded = length + gap + 2 * hop;
    QCOMPARE(out.chunks.size(3), std::int64_t(chunks));
    QCOMPARE(out.chunks.sizes().vec(), (std::vector<std::int64_t>{2, 3, chunk, padded / hop - 1}));
    // Chunk j holds padded[j*hop, j*hop + K), where padded = [P zeros, frames, gap + P zeros].
    for (std::int64_t j = 0; j < out.chunks.size(3); ++j) {
        for (int k = 0; k < chunk; ++k) {
            const std::int64_t t = j * hop + k - hop; // position in the unpadded signal
            for (int b = 0; b < 2; ++b) {
                for (int n = 0; n < 3; ++n) {
                    const double expected = (t >= 0 && t < length) ? 1000.0 * b + 100.0 * n + t + 1
                                                                   : 0.0;
                    QCOMPARE(out.chunks[b][n][k][j].item<double>(), expected);
                }
            }
        }
    }
}

void tst_Segmentation::overlapAddInvertsSegmentation_data()
{
    QTest::addColumn<int>("length");
    QTest::addColumn<int>("chunk");
    QTest::newRow("odd") << 3999 << 100;
    QTest::newRow("even") << 4000 << 100;
    QTest::newRow("short") << 5 << 250;
    QTest::newRow("multiple") << 300 << 100;
}

void tst_Segmentation::overlapAddInvertsSegmentation()
{
    QFETCH(int, length);
    QFETCH(int, chunk);
    torch::manual_seed(7);
    const torch::Tensor frames = torch::randn({2, 4, length}, torch::kDouble);
    const Segmented out = segment(frames, chunk);
    const torch::Tensor back = overlapAdd(out.chunks, out.gap);
    QCOMPARE(back.sizes().vec(), frames.sizes().vec());
    // Every frame sits in exactly two chunks (50 % overlap), so the sum is twice the input.
    QVERIFY(torch::equal(back, 2 * frames));
}

void tst_Segmentation::specShapes()
{
    // spec models.md §1.1: L = 3999, K = 100 gives gap 51 and S = 82; K = 250 gives 126 and 34.
    const torch::Tensor frames = torch::zeros({1, 2, 3999});
    Segmented out = segment(frames, 100);
    QCOMPARE(out.gap, std::int64_t(51));
    QCOMPARE(out.chunks.size(3), std::int64_t(82));
    out = segment(frames, 250);
    QCOMPARE(out.gap, std::int64_t(126));
    QCOMPARE(out.chunks.size(3), std::int64_t(34));
}

QTEST_GUILESS_MAIN(tst_Segmentation)
#include "tst_segmentation.moc"
