// The loader's life cycle: errors that surface from next(), epochs cancelled or destroyed in
// flight, per-epoch dataset sizes, statistics and bad options.

#include "encoded_dataset.h"

#include <QTest>

using namespace seplab::data;
using namespace seplab::data::test;

class tst_DataLoaderLifecycle : public QObject
{
    Q_OBJECT

private Q_SLOTS:
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

void tst_DataLoaderLifecycle::getErrorSurfacesFromNext_data()
{
    QTest::addColumn<int>("threads");
    QTest::newRow("inline") << 0;
    QTest::newRow("1 thread") << 1;
    QTest::newRow("3 threads") << 3;
}

void tst_DataLoaderLifecycle::getErrorSurfacesFromNext()
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

void tst_DataLoaderLifecycle::mismatchedTargetsAreReported()
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

void tst_DataLoaderLifecycle::destroyMidEpochFinishes()
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

void tst_DataLoaderLifecycle::startEpochCancelsEpochInFlight()
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

void tst_DataLoaderLifecycle::datasetSizeIsReadPerEpoch()
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

void tst_DataLoaderLifecycle::statsCountDeliveredBatches()
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

void tst_DataLoaderLifecycle::rejectsBadOptions()
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

void tst_DataLoaderLifecycle::nextBeforeStartEpochThrows()
{
    DataLoader loader(std::make_shared<EncodedDataset>(4, 8), LoaderOptions{});
    QVERIFY_EXCEPTION_THROWN(loader.next(), std::logic_error);
    // An empty dataset has an empty epoch.
    DataLoader empty(std::make_shared<EncodedDataset>(0, 8), LoaderOptions{});
    QCOMPARE(empty.batchesPerEpoch(), std::size_t(0));
    empty.startEpoch(1);
    QVERIFY(!empty.next().has_value());
}

QTEST_GUILESS_MAIN(tst_DataLoaderLifecycle)
#include "tst_data_loader_lifecycle.moc"
