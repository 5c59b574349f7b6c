// AudioCache against real WAV files: exact hit, miss and byte counts for a known sequence of
// loads, the budget, and concurrent loads that must agree and count every file's bytes once.

#include "audio/io/audio_error.h"
#include "audio/io/audio_file.h"
#include "core/data/loading/audio_cache.h"

#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <thread>

using namespace seplab;
using namespace seplab::data;

namespace {

constexpr int kRate = 8000;

// A ramp whose values name the file, so a mix-up between files shows in the samples.
std::vector<float> ramp(int length, int fileNumber)
{
    std::vector<float> samples(static_cast<std::size_t>(length));
    for (int t = 0; t < length; ++t)
        samples[std::size_t(t)] = float(fileNumber) * 0.1f + float(t) / 65536.0f;
    return samples;
}

} // namespace

class tst_AudioCache : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void countsASequenceOfLoads();
    void zeroBudgetStreamsEverything();
    void missingFileThrowsAndCountsNothing();
    void concurrentLoadsAgree_data();
    void concurrentLoadsAgree();

private:
    std::string writeFile(const QString &name, int length, int fileNumber);

    QTemporaryDir m_dir;
    std::vector<std::string> m_files;           // 100, 200 and 300 samples
    std::vector<std::vector<float>> m_contents; // what each file holds
    std::vector<std::string> m_manyFiles;       // 12 files for the concurrent test
    std::vector<std::vector<float>> m_manyContents;
};

std::string tst_AudioCache::writeFile(const QString &name, int length, int fileNumber)
{
    const std::string path = m_dir.filePath(name).toStdString();
    audio::writeWav(path, ramp(length, fileNumber), 1, kRate, audio::SampleFormat::Float32);
    return path;
}

void tst_AudioCache::initTestCase()
{
    QVERIFY(m_dir.isValid());
    for (int i = 0; i < 3; ++i) {
        m_files.push_back(writeFile(QStringLiteral("f%1.wav").arg(i), 100 * (i + 1), i));
        m_contents.push_back(ramp(100 * (i + 1), i));
    }
    for (int i = 0; i < 12; ++i) {
        m_manyFiles.push_back(writeFile(QStringLiteral("many%1.wav").arg(i), 500 + 10 * i, i));
        m_manyContents.push_back(ramp(500 + 10 * i, i));
    }
}

void tst_AudioCache::countsASequenceOfLoads()
{
    // Room for f0 and f1 (100 + 200 samples of 4 bytes), not for f2 as well.
    AudioCache cache(1200);
    QCOMPARE(cache.budgetBytes(), std::size_t(1200));
    int rate = 0;

    const auto a = cache.load(m_files[0], &rate); // miss, inserted: 400 bytes
    QCOMPARE(rate, kRate);
    QCOMPARE(*a, m_contents[0]);
    QCOMPARE(cache.misses(), std::size_t(1));
    QCOMPARE(cache.hits(), std::size_t(0));
    QCOMPARE(cache.bytesUsed(), std::size_t(400));

    rate = 0;
    const auto again = cache.load(m_files[0], &rate); // hit: the very same buffer
    QCOMPARE(rate, kRate);
    QCOMPARE(again.get(), a.get());
    QCOMPARE(cache.hits(), std::size_t(1));

    QCOMPARE(*cache.load(m_files[1]), m_contents[1]); // miss, inserted: 400 + 800 = budget
    QCOMPARE(cache.bytesUsed(), std::size_t(1200));

    const auto c1 = cache.load(m_files[2]); // miss, over budget: read, not kept
    const auto c2 = cache.load(m_files[2]); // so a miss again, with a fresh buffer
    QCOMPARE(*c1, m_contents[2]);
    QCOMPARE(*c2, m_contents[2]);
    QVERIFY(c1.get() != c2.get());
    QCOMPARE(cache.bytesUsed(), std::size_t(1200));

    QCOMPARE(*cache.load(m_files[1]), m_contents[1]); // hit

    QCOMPARE(cache.hits(), std::size_t(2));
    QCOMPARE(cache.misses(), std::size_t(4));
    QCOMPARE(cache.bytesUsed(), std::size_t(1200));
}

void tst_AudioCache::zeroBudgetStreamsEverything()
{
    AudioCache cache(0);
    for (int round = 0; round < 3; ++round) {
        for (std::size_t i = 0; i < m_files.size(); ++i)
            QCOMPARE(*cache.load(m_files[i]), m_contents[i]);
    }
    QCOMPARE(cache.hits(), std::size_t(0));
    QCOMPARE(cache.misses(), std::size_t(9));
    QCOMPARE(cache.bytesUsed(), std::size_t(0));
}

void tst_AudioCache::missingFileThrowsAndCountsNothing()
{
    AudioCache cache(1 << 20);
    const std::string missing = m_dir.filePath(QStringLiteral("absent.wav")).toStdString();
    QVERIFY_EXCEPTION_THROWN(cache.load(missing), audio::AudioError);
    QCOMPARE(cache.misses(), std::size_t(0));
    QCOMPARE(cache.hits(), std::size_t(0));
    QCOMPARE(cache.bytesUsed(), std::size_t(0));
}

void tst_AudioCache::concurrentLoadsAgree_data()
{
    QTest::addColumn<bool>("everythingFits");
    QTest::newRow("budget for all") << true;
    QTest::newRow("budget for some") << false;
}

void tst_AudioCache::concurrentLoadsAgree()
{
    QFETCH(bool, everythingFits);
    std::size_t totalBytes = 0;
    for (const auto &content : m_manyContents)
        totalBytes += content.size() * sizeof(float);
    // The tight budget (three times 620 samples) holds exactly three of the files of 500 ... 610
    // samples: the first three inserted.
    const std::size_t budget = everythingFits ? totalBytes : 3 * 620 * sizeof(float);
    AudioCache cache(budget);

    constexpr int kThreads = 4;
    constexpr int kRounds = 5;
    std::atomic<int> mismatches{0};
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (int round = 0; round < kRounds; ++round) {
                for (std::size_t k = 0; k < m_manyFiles.size(); ++k) {
                    // Each thread walks the files from its own starting point, so that threads
                    // race on the same file as well as on different ones.
                    const std::size_t i = (k + std::size_t(t) * 3) % m_manyFiles.size();
                    try {
                        int rate = 0;
                        const auto samples = cache.load(m_manyFiles[i], &rate);
                        if (*samples != m_manyContents[i] || rate != kRate)
                            ++mismatches;
                    } catch (...) {
                        ++failures;
                    }
                }
            }
        });
    }
    for (std::thread &thread : threads)
        thread.join();

    QCOMPARE(failures.load(), 0);
    QCOMPARE(mismatches.load(), 0);
    const std::size_t loads = std::size_t(kThreads * kRounds) * m_manyFiles.size();
    QCOMPARE(cache.hits() + cache.misses(), loads);
    QVERIFY(cache.misses() >= m_manyFiles.size()); // every file was read at least once
    if (everythingFits) {
        // Each file's bytes counted once, whichever threads raced on it.
        QCOMPARE(cache.bytesUsed(), totalBytes);
        // After the first round every file is cached: at most 12 misses per thread for the
        // races of the first round, then hits only.
        QVERIFY(cache.misses() <= std::size_t(kThreads) * m_manyFiles.size());
    } else {
        QVERIFY(cache.bytesUsed() <= budget);
        QVERIFY(cache.bytesUsed() >= 3 * 500 * sizeof(float));
    }
}

QTEST_GUILESS_MAIN(tst_AudioCache)
#include "tst_audio_cache.moc"
