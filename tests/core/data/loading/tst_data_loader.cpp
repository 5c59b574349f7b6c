// The loader against an in-memory dataset whose samples encode (channel, index, time), so that
// every value in a batch can be traced back to the clip, the channel and the sample it came from.

#include "core/data/loading/batch_collate.h"
#include "core/data/loading/data_loader.h"

#include <QTest>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <set>
#include <stdexcept>
#include <thread>
#include <torch/torch.h>

using namespace seplab::data;

namespace {

constexpr int kChannels = 2;

// Sample t of channel ch (0: mixture, 1..C: targets) of clip `index`. Integers below 2^24, so
// float holds them exactly; the +1 keeps every real sample away from the zero of padding.
float encoded(int channel, std::size_t index, std::int64_t t)
{
    return float(channel * 1000000 + std::int64_t(index) * 1000 + t + 1);
}

// Clip lengths: fixed, or varying with the index (40 ... 139 samples).
std::int64_t variableLength(std::size_t index)
{
    return 40 + std::int64_t((index * 37) % 100);
}

class EncodedDataset : public Dataset
{
public:
    EncodedDataset(std::size_t count, std::int64_t fixedLength = 0)
        : m_count(count)
        , m_fixedLength(fixedLength)
    {}

    std::int64_t lengthOf(std::size_t index) const
    {
        return m_fixedLength > 0 ? m_fixedLength : variableLength(index);
    }

    std::size_t size() const override { return m_count; }
    Example get(std::size_t index, int epoch) const override
    {
        ++m_reads;
        if (m_delay.count() > 0 && index % m_delayEvery == 0)
            std::this_thread::sleep_for(m_delay);
        if (index == m_failAt.load())
            throw std::runtime_error("broken row " + std::to_string(index) + " in test.csv");
        if (index >= m_count)
            throw std::out_of_range("index out of range");
        Example example;
        const std::int64_t length = lengthOf(index);
        example.mix.resize(std::size_t(length));
        example.targets.assign(kChannels, std::vector<float>(std::size_t(length)));
        for (std::int64_t t = 0; t < length; ++t) {
            example.mix[std::size_t(t)] = encoded(0, index, t);
            for (int c = 0; c < kChannels; ++c)
                example.targets[std::size_t(c)][std::size_t(t)] = encoded(c + 1, index, t);
        }
        example.variant = index % 2 ? "SER" : "C";
        example.id = "clip" + std::to_string(index) + "-e" + std::to_string(epoch);
        return example;
    }
    int sampleRate() const override { return 8000; }
    int sources() const override { return kChannels; }
    std::string manifestHash() const override { return "0000000000000000"; }
    std::string describe() const override { return "encoded test dataset"; }

    void setFailAt(std::size_t index) { m_failAt.store(index); }
    // Reads of every `every`-th clip take `delay` longer: uneven work, so that the batches of a
    // multi-threaded loader finish out of order.
    void setDelay(std::chrono::microseconds delay, std::size_t every = 1)
    {
        m_delay = delay;
        m_delayEvery = every;
    }
    std::size_t reads() const { return m_reads.load(); }

private:
    std::size_t m_count;
    std::int64_t m_fixedLength;
    std::atomic<std::size_t> m_failAt{std::size_t(-1)};
    std::chrono::microseconds m_delay{0};
    std::size_t m_delayEvery = 1;
    mutable std::atomic<std::size_t> m_reads{0};
};

std::vector<Batch> drainEpoch(DataLoader &loader, int epoch)
{
    loader.startEpoch(epoch);
    std::vector<Batch> batches;
    while (std::optional<Batch> batch = loader.next())
        batches.push_back(std::move(*batch));
    return batches;
}

std::vector<std::size_t> flatIndices(const std::vector<Batch> &batches)
{
    std::vector<std::size_t> all;
    for (const Batch &batch : batches)
        all.insert(all.end(), batch.indices.begin(), batch.indices.end());
    return all;
}

std::vector<std::size_t> range(std::size_t begin, std::size_t end)
{
    std::vector<std::size_t> values;
    for (std::size_t i = begin; i < end; ++i)
        values.push_back(i);
    return values;
}

QString sizesOf(const at::Tensor &t)
{
    QStringList dims;
    for (std::int64_t d : t.sizes())
        dims << QString::number(d);
    return QLatin1Char('[') + dims.join(QStringLiteral(", ")) + QLatin1Char(']');
}

// Checks row b of a batch sample by sample: the window [offset, offset + valid) of the clip in
// the mixture and every target, then zeros. Returns the offset it found, -1 on a mismatch.
std::int64_t checkRow(const Batch &batch, std::int64_t b, std::int64_t natural)
{
    const std::size_t index = batch.indices[std::size_t(b)];
    const std::int64_t length = batch.mix.size(1);
    const std::int64_t valid = batch.lengths[b].item<std::int64_t>();
    if (valid != std::min(natural, length))
        return -1;
    const float *mix = batch.mix[b].data_ptr<float>();
    const std::int64_t offset = valid > 0 ? std::int64_t(mix[0]) - 1 - std::int64_t(index) * 1000
                                          : 0;
    if (offset < 0 || offset + valid > natural)
        return -1;
    for (int channel = 0; channel <= kChannels; ++channel) {
        const at::Tensor row = channel == 0 ? batch.mix[b]
                                            : batch.targets[b][channel - 1].contiguous();
        const float *data = row.data_ptr<float>();
        for (std::int64_t t = 0; t < length; ++t) {
            const float expected = t < valid ? encoded(channel, index, offset + t) : 0.0f;
            if (data[t] != expected)
                return -1;
        }
    }
    return offset;
}

bool sameBatches(const std::vector<Batch> &a, const std::vector<Batch> &b, QString *why)
{
    if (a.size() != b.size()) {
        *why = QStringLiteral("%1 vs %2 batches").arg(a.size()).arg(b.size());
        return false;
    }
    for (std::size_t k = 0; k < a.size(); ++k) {
        const bool same = a[k].indices == b[k].indices && a[k].ids == b[k].ids
                          && a[k].variants == b[k].variants && a[k].mix.sizes() == b[k].mix.sizes()
                          && a[k].targets.sizes() == b[k].targets.sizes()
                          && torch::equal(a[k].mix, b[k].mix)
                          && torch::equal(a[k].targets, b[k].targets)
                          && torch::equal(a[k].lengths, b[k].lengths);
        if (!same) {
            *why = QStringLiteral("batch %1 differs").arg(k);
            return false;
        }
    }
    return true;
}

} // namespace

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
    void getErrorSurfacesFromNext_data();
    void getErrorSurfacesFromNext();
    void mismatchedTargetsAreReported();
    void destroyMidEpochFinishes();
    void startEpochCancelsEpochInFlight();
    void datasetSizeIsReadPerEpoch();
    void statsCountDeliveredBatches();
    void rejectsBadOptions();
    void nextBeforeStartEpochThrows();
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

void tst_DataLoader::getErrorSurfacesFromNext_data()
{
    QTest::addColumn<int>("threads");
    QTest::newRow("inline") << 0;
    QTest::newRow("1 thread") << 1;
    QTest::newRow("3 threads") << 3;
}

void tst_DataLoader::getErrorSurfacesFromNext()
{
    QFETCH(int, threads);
    auto dataset = std::make_shared<EncodedDataset>(12, 16);
    dataset->setFailAt(7);
    LoaderOptions options;
    options.batchSize = 2;
    options.threads = threads;
    DataLoader loader(dataset, options);
    loader.startEpoch(1);
    // Batches 0..2 (clips 0..5) arrive; batch 3 holds the broken clip 7.
    for (std::size_t k = 0; k < 3; ++k) {
        const std::optional<Batch> batch = loader.next();
        QVERIFY(batch.has_value());
        QCOMPARE(batch->indices, range(2 * k, 2 * k + 2));
    }
    for (int attempt = 0; attempt < 2; ++attempt) {
        std::string message;
        try {
            loader.next();
        } catch (const std::runtime_error &error) {
            message = error.what();
        }
        QCOMPARE(message, std::string("broken row 7 in test.csv"));
    }
    // A new epoch starts clean; the row is fixed meanwhile.
    dataset->setFailAt(std::size_t(-1));
    QCOMPARE(flatIndices(drainEpoch(loader, 2)), range(0, 12));
}

void tst_DataLoader::mismatchedTargetsAreReported()
{
    std::vector<Example> examples(2);
    examples[0].mix.assign(10, 1.0f);
    examples[0].targets.assign(2, std::vector<float>(10, 1.0f));
    examples[1].mix.assign(10, 1.0f);
    examples[1].targets.assign(2, std::vector<float>(10, 1.0f));
    examples[1].targets[1].resize(9);
    examples[1].id = "mix_0042.wav";
    std::string message;
    try {
        collateBatch(examples, {3, 4}, 1, LoaderOptions{});
    } catch (const std::runtime_error &error) {
        message = error.what();
    }
    QCOMPARE(message,
             std::string("example 4 ('mix_0042.wav'): target 1 has 9 samples but the mixture "
                         "has 10."));
}

void tst_DataLoader::destroyMidEpochFinishes()
{
    auto dataset = std::make_shared<EncodedDataset>(2000, 32);
    dataset->setDelay(std::chrono::microseconds(500));
    {
        LoaderOptions options;
        options.batchSize = 4;
        options.threads = 4;
        options.prefetchBatches = 8;
        DataLoader loader(dataset, options);
        loader.startEpoch(1);
        QVERIFY(loader.next().has_value());
    }
    // The loader is gone and its threads joined: no further reads happen. At most the batches
    // in flight were read, never the whole epoch.
    const std::size_t reads = dataset->reads();
    QVERIFY2(reads < 2000, qPrintable(QString::number(reads)));
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    QCOMPARE(dataset->reads(), reads);

    // Never started, or started and never read: both shut down too.
    {
        DataLoader idle(dataset, LoaderOptions{});
    }
    {
        DataLoader started(dataset, LoaderOptions{});
        started.startEpoch(1);
    }
}

void tst_DataLoader::startEpochCancelsEpochInFlight()
{
    auto dataset = std::make_shared<EncodedDataset>(30, 8);
    LoaderOptions options;
    options.batchSize = 3;
    options.shuffle = true;
    options.threads = 3;
    DataLoader reference(dataset, options);
    const std::vector<Batch> expected = drainEpoch(reference, 2);

    DataLoader loader(dataset, options);
    loader.startEpoch(1);
    QVERIFY(loader.next().has_value());
    QVERIFY(loader.next().has_value());
    // Epoch 2 replaces epoch 1 mid-way: all of epoch 2 and nothing of epoch 1 follows.
    const std::vector<Batch> batches = drainEpoch(loader, 2);
    QString why;
    QVERIFY2(sameBatches(expected, batches, &why), qPrintable(why));
    for (const Batch &batch : batches) {
        for (const std::string &id : batch.ids)
            QVERIFY2(id.size() > 3 && id.substr(id.size() - 3) == "-e2", id.c_str());
    }
}

void tst_DataLoader::datasetSizeIsReadPerEpoch()
{
    // The loader reads the size at each startEpoch, as a curriculum that re-filters needs.
    class Resizable : public EncodedDataset
    {
    public:
        Resizable()
            : EncodedDataset(100, 8)
        {}
        std::size_t size() const override { return m_size; }
        std::size_t m_size = 10;
    };
    auto dataset = std::make_shared<Resizable>();
    LoaderOptions options;
    options.batchSize = 4;
    DataLoader loader(dataset, options);
    QCOMPARE(loader.batchesPerEpoch(), std::size_t(3));
    QCOMPARE(flatIndices(drainEpoch(loader, 1)), range(0, 10));
    dataset->m_size = 6;
    QCOMPARE(flatIndices(drainEpoch(loader, 2)), range(0, 6));
    QCOMPARE(loader.batchesPerEpoch(), std::size_t(2));
}

void tst_DataLoader::statsCountDeliveredBatches()
{
    auto dataset = std::make_shared<EncodedDataset>(10, 8);
    LoaderOptions options;
    options.batchSize = 3;
    DataLoader loader(dataset, options);
    drainEpoch(loader, 1);
    LoaderStats stats = loader.stats();
    QCOMPARE(stats.batches, std::size_t(4));
    QVERIFY(stats.waitSeconds >= stats.maxWaitSeconds);
    QVERIFY(stats.maxWaitSeconds >= stats.lastWaitSeconds);
    loader.startEpoch(2);
    QCOMPARE(loader.stats().batches, std::size_t(0));
    QCOMPARE(loader.stats().waitSeconds, 0.0);
    loader.next();
    QCOMPARE(loader.stats().batches, std::size_t(1));
}

void tst_DataLoader::rejectsBadOptions()
{
    auto dataset = std::make_shared<EncodedDataset>(4, 8);
    const auto rejects = [&](LoaderOptions options) {
        try {
            DataLoader loader(dataset, options);
        } catch (const std::invalid_argument &) {
            return true;
        }
        return false;
    };
    LoaderOptions options;
    QVERIFY(!rejects(options));
    options.batchSize = 0;
    QVERIFY(rejects(options));
    options = {};
    options.threads = -1;
    QVERIFY(rejects(options));
    options = {};
    options.prefetchBatches = 0;
    QVERIFY(rejects(options));
    options = {};
    options.segmentSamples = -5;
    QVERIFY(rejects(options));
    QVERIFY_EXCEPTION_THROWN(DataLoader(nullptr, LoaderOptions{}), std::invalid_argument);
}

void tst_DataLoader::nextBeforeStartEpochThrows()
{
    DataLoader loader(std::make_shared<EncodedDataset>(4, 8), LoaderOptions{});
    QVERIFY_EXCEPTION_THROWN(loader.next(), std::logic_error);
    // An empty dataset has an empty epoch.
    DataLoader empty(std::make_shared<EncodedDataset>(0, 8), LoaderOptions{});
    QCOMPARE(empty.batchesPerEpoch(), std::size_t(0));
    empty.startEpoch(1);
    QVERIFY(!empty.next().has_value());
}

QTEST_GUILESS_MAIN(tst_DataLoader)
#include "tst_data_loader.moc"
