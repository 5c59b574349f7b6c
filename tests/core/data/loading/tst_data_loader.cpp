// The loader's batches: order, shuffling, thread-count independence, cropping and padding,
// checked value by value against an in-memory dataset whose samples encode where they came from.

#include "encoded_dataset.h"

#include <QTest>

#include <set>

using namespace seplab::data;
using namespace seplab::data::test;

class tst_DataLoader : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sequentialBatches_data();
    void sequentialBatches();
    void shuffleCoversEveryIndexOnce();
    void shuffleIsReproducible();
    void identicalAcrossThreadCounts_data();
    void identicalAcrossThreadCounts();
    void randomCropAlignsMixAndTargets();
    void startCropTakesTheBeginning();
    void padToLongest_data();
    void padToLongest();
    void naturalLengthPadsToLongest();
};

void tst_DataLoader::sequentialBatches_data()
{
    QTest::addColumn<bool>("dropLast");
    QTest::addColumn<int>("threads");
    QTest::newRow("keep last, 2 threads") << false << 2;
    QTest::newRow("drop last, 2 threads") << true << 2;
    QTest::newRow("keep last, inline") << false << 0;
    QTest::newRow("drop last, inline") << true << 0;
}

void tst_DataLoader::sequentialBatches()
{
    QFETCH(bool, dropLast);
    QFETCH(int, threads);
    // 10 clips of 64 samples in batches of 4: [0..3], [4..7] and, unless dropped, [8, 9].
    auto dataset = std::make_shared<EncodedDataset>(10, 64);
    LoaderOptions options;
    options.batchSize = 4;
    options.threads = threads;
    options.dropLast = dropLast;
    DataLoader loader(dataset, options);
    const std::size_t expectedBatches = dropLast ? 2 : 3;
    QCOMPARE(loader.batchesPerEpoch(), expectedBatches);

    const std::vector<Batch> batches = drainEpoch(loader, 1);
    QCOMPARE(batches.size(), expectedBatches);
    for (std::size_t k = 0; k < batches.size(); ++k) {
        const Batch &batch = batches[k];
        const std::size_t begin = 4 * k;
        const std::size_t end = std::min<std::size_t>(begin + 4, 10);
        const std::int64_t rows = std::int64_t(end - begin);
        QCOMPARE(batch.indices, range(begin, end));
        QCOMPARE(sizesOf(batch.mix), sizesOf(torch::zeros({rows, 64})));
        QCOMPARE(sizesOf(batch.targets), sizesOf(torch::zeros({rows, kChannels, 64})));
        QCOMPARE(sizesOf(batch.lengths), sizesOf(torch::zeros({rows})));
        QCOMPARE(batch.mix.scalar_type(), torch::kFloat32);
        QCOMPARE(batch.targets.scalar_type(), torch::kFloat32);
        QCOMPARE(batch.lengths.scalar_type(), torch::kInt64);
        QCOMPARE(int(batch.ids.size()), int(rows));
        QCOMPARE(int(batch.variants.size()), int(rows));
        for (std::int64_t b = 0; b < rows; ++b) {
            const std::size_t index = begin + std::size_t(b);
            QCOMPARE(checkRow(batch, b, 64), std::int64_t(0));
            QCOMPARE(batch.ids[std::size_t(b)], "clip" + std::to_string(index) + "-e1");
            QCOMPARE(batch.variants[std::size_t(b)], std::string(index % 2 ? "SER" : "C"));
        }
    }
    // The epoch is exhausted and stays so.
    QVERIFY(!loader.next().has_value());
    QVERIFY(!loader.next().has_value());
}

void tst_DataLoader::shuffleCoversEveryIndexOnce()
{
    auto dataset = std::make_shared<EncodedDataset>(37, 8);
    LoaderOptions options;
    options.batchSize = 5;
    options.shuffle = true;
    options.threads = 3;
    DataLoader loader(dataset, options);
    QCOMPARE(loader.batchesPerEpoch(), std::size_t(8));

    const std::vector<std::size_t> first = flatIndices(drainEpoch(loader, 1));
    const std::vector<std::size_t> second = flatIndices(drainEpoch(loader, 2));
    QCOMPARE(first.size(), std::size_t(37));
    QCOMPARE(second.size(), std::size_t(37));
    std::vector<std::size_t> sorted = first;
    std::sort(sorted.begin(), sorted.end());
    QCOMPARE(sorted, range(0, 37));
    sorted = second;
    std::sort(sorted.begin(), sorted.end());
    QCOMPARE(sorted, range(0, 37));
    QVERIFY(first != range(0, 37));
    QVERIFY(first != second);

    // With dropLast, the 2 clips past the last full batch are left out, and no index repeats.
    options.dropLast = true;
    DataLoader dropping(dataset, options);
    const std::vector<std::size_t> dropped = flatIndices(drainEpoch(dropping, 1));
    QCOMPARE(dropped.size(), std::size_t(35));
    QCOMPARE(dropped, std::vector<std::size_t>(first.begin(), first.begin() + 35));
}

void tst_DataLoader::shuffleIsReproducible()
{
    auto dataset = std::make_shared<EncodedDataset>(50, 8);
    LoaderOptions options;
    options.batchSize = 7;
    options.shuffle = true;
    options.seed = 1234;
    DataLoader a(dataset, options);
    DataLoader b(dataset, options);
    // Epochs in a different sequence: the order depends on (seed, epoch) alone.
    const std::vector<std::size_t> a3 = flatIndices(drainEpoch(a, 3));
    const std::vector<std::size_t> b1 = flatIndices(drainEpoch(b, 1));
    const std::vector<std::size_t> b3 = flatIndices(drainEpoch(b, 3));
    QCOMPARE(a3, b3);
    QVERIFY(a3 != b1);

    options.seed = 1235;
    DataLoader other(dataset, options);
    QVERIFY(flatIndices(drainEpoch(other, 3)) != a3);
}

void tst_DataLoader::identicalAcrossThreadCounts_data()
{
    QTest::addColumn<int>("mode");
    QTest::newRow("random crop") << int(LengthMode::RandomCrop);
    QTest::newRow("start crop") << int(LengthMode::StartCrop);
    QTest::newRow("pad to longest") << int(LengthMode::PadToLongest);
}

void tst_DataLoader::identicalAcrossThreadCounts()
{
    QFETCH(int, mode);
    auto dataset = std::make_shared<EncodedDataset>(45);
    dataset->setDelay(std::chrono::microseconds(2000), 7);
    LoaderOptions options;
    options.batchSize = 4;
    options.shuffle = true;
    options.seed = 7;
    options.segmentSamples = 90; // shorter and longer than the clips (40 ... 139)
    options.lengthMode = LengthMode(mode);

    std::vector<std::vector<Batch>> reference; // per epoch, with one thread
    for (int threads : {1, 0, 2, 4}) {
        for (int prefetch : {1, 4}) {
            options.threads = threads;
            options.prefetchBatches = prefetch;
            DataLoader loader(dataset, options);
            for (int epoch = 1; epoch <= 2; ++epoch) {
                std::vector<Batch> batches = drainEpoch(loader, epoch);
                QCOMPARE(batches.size(), std::size_t(12));
                if (int(reference.size()) < epoch) {
                    reference.push_back(std::move(batches));
                    continue;
                }
                QString why;
                QVERIFY2(sameBatches(reference[std::size_t(epoch - 1)], batches, &why),
                         qPrintable(QStringLiteral("threads %1, prefetch %2, epoch %3: %4")
                                        .arg(threads)
                                        .arg(prefetch)
                                        .arg(epoch)
                                        .arg(why)));
            }
        }
    }
    // The two epochs differ (order, and for RandomCrop the windows too).
    QString why;
    QVERIFY(!sameBatches(reference[0], reference[1], &why));
}

void tst_DataLoader::randomCropAlignsMixAndTargets()
{
    auto dataset = std::make_shared<EncodedDataset>(100);
    LoaderOptions options;
    options.batchSize = 8;
    options.segmentSamples = 90;
    options.lengthMode = LengthMode::RandomCrop;
    options.threads = 2;
    DataLoader loader(dataset, options);

    std::set<std::int64_t> offsets;
    std::map<std::size_t, std::int64_t> firstEpochOffsets;
    int padded = 0;
    bool someOffsetChanged = false;
    for (int epoch = 1; epoch <= 2; ++epoch) {
        const std::vector<Batch> batches = drainEpoch(loader, epoch);
        QCOMPARE(batches.size(), std::size_t(13));
        for (const Batch &batch : batches) {
            QCOMPARE(batch.mix.size(1), std::int64_t(90));
            QCOMPARE(batch.targets.size(2), std::int64_t(90));
            for (std::int64_t b = 0; b < batch.mix.size(0); ++b) {
                const std::size_t index = batch.indices[std::size_t(b)];
                const std::int64_t natural = variableLength(index);
                const std::int64_t offset = checkRow(batch, b, natural);
                QVERIFY2(offset >= 0, qPrintable(QStringLiteral("clip %1").arg(index)));
                QCOMPARE(offset, randomCropOffset(options.seed, epoch, index, natural - 90));
                if (natural > 90) {
                    offsets.insert(offset);
                    if (epoch == 1)
                        firstEpochOffsets[index] = offset;
                    else if (firstEpochOffsets[index] != offset)
                        someOffsetChanged = true;
                } else {
                    QCOMPARE(offset, std::int64_t(0));
                    QCOMPARE(batch.lengths[b].item<std::int64_t>(), natural);
                    ++padded;
                }
            }
        }
    }
    // The lengths 40 ... 139 occur once each (37 is coprime to 100). The 51 clips of 40 ... 90
    // samples are not cropped; the 49 longer ones get windows spread over their slack (up to 49
    // samples), not one fixed position, and the windows move between epochs.
    QCOMPARE(padded, 2 * 51);
    QVERIFY2(offsets.size() >= 10, qPrintable(QString::number(offsets.size())));
    QVERIFY(someOffsetChanged);
}

void tst_DataLoader::startCropTakesTheBeginning()
{
    auto dataset = std::make_shared<EncodedDataset>(20);
    LoaderOptions options;
    options.batchSize = 6;
    options.segmentSamples = 60;
    options.lengthMode = LengthMode::StartCrop;
    DataLoader loader(dataset, options);
    for (const Batch &batch : drainEpoch(loader, 3)) {
        QCOMPARE(batch.mix.size(1), std::int64_t(60));
        for (std::int64_t b = 0; b < batch.mix.size(0); ++b) {
            const std::int64_t natural = variableLength(batch.indices[std::size_t(b)]);
            QCOMPARE(checkRow(batch, b, natural), std::int64_t(0));
            QCOMPARE(batch.lengths[b].item<std::int64_t>(), std::min<std::int64_t>(natural, 60));
        }
    }
}

void tst_DataLoader::padToLongest_data()
{
    QTest::addColumn<qint64>("segment");
    QTest::addColumn<qint64>("expectedLength");
    // Batch 1 of 4 holds clips 4..7 of lengths 88, 125, 62, 99.
    QTest::newRow("no cap") << qint64(0) << qint64(125);
    QTest::newRow("cap above longest") << qint64(200) << qint64(125);
    QTest::newRow("cap below longest") << qint64(100) << qint64(100);
}

void tst_DataLoader::padToLongest()
{
    QFETCH(qint64, segment);
    QFETCH(qint64, expectedLength);
    auto dataset = std::make_shared<EncodedDataset>(8);
    LoaderOptions options;
    options.batchSize = 4;
    options.segmentSamples = segment;
    options.lengthMode = LengthMode::PadToLongest;
    DataLoader loader(dataset, options);
    const std::vector<Batch> batches = drainEpoch(loader, 1);
    QCOMPARE(batches.size(), std::size_t(2));
    const Batch &batch = batches[1];
    QCOMPARE(batch.indices, range(4, 8));
    QCOMPARE(batch.mix.size(1), std::int64_t(expectedLength));
    const std::vector<std::int64_t> natural = {88, 125, 62, 99};
    for (std::int64_t b = 0; b < 4; ++b) {
        QCOMPARE(variableLength(std::size_t(4 + b)), natural[std::size_t(b)]);
        QCOMPARE(checkRow(batch, b, natural[std::size_t(b)]), std::int64_t(0));
        QCOMPARE(batch.lengths[b].item<std::int64_t>(),
                 std::min<std::int64_t>(natural[std::size_t(b)], expectedLength));
    }
    // Clip 6 (62 samples) is padded with exact zeros up to the batch length.
    const at::Tensor tail = batch.targets[2].slice(1, 62);
    QCOMPARE(tail.size(1), std::int64_t(expectedLength - 62));
    QCOMPARE((tail != 0).sum().item<std::int64_t>(), std::int64_t(0));
}

void tst_DataLoader::naturalLengthPadsToLongest()
{
    // segmentSamples = 0 keeps natural lengths whatever the mode: RandomCrop pads, never crops.
    auto dataset = std::make_shared<EncodedDataset>(8);
    LoaderOptions options;
    options.batchSize = 4;
    options.lengthMode = LengthMode::RandomCrop;
    DataLoader loader(dataset, options);
    const std::vector<Batch> batches = drainEpoch(loader, 1);
    // Clips 0..3 have 40, 77, 114 and 51 samples; clips 4..7 have 88, 125, 62 and 99.
    QCOMPARE(batches.size(), std::size_t(2));
    QCOMPARE(batches[0].mix.size(1), std::int64_t(114));
    QCOMPARE(batches[1].mix.size(1), std::int64_t(125));
    for (const Batch &batch : batches) {
        for (std::int64_t b = 0; b < batch.mix.size(0); ++b) {
            const std::int64_t natural = variableLength(batch.indices[std::size_t(b)]);
            QCOMPARE(checkRow(batch, b, natural), std::int64_t(0));
        }
    }
}

QTEST_GUILESS_MAIN(tst_DataLoader)
#include "tst_data_loader.moc"
