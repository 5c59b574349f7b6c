#include "audio/audio_test_support.h"
#include "audio/io/audio_file.h"
#include "audio/io/audio_stream_reader.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <random>

using namespace seplab::audio;
using namespace seplab::audio::test;

namespace {

// More frames than one internal read block (65536), so ranges can straddle block edges.
constexpr int kFrames = 100000;

// Stereo float32 noise whose channels differ, so downmix and channel selection are told apart.
std::vector<float> stereoNoise()
{
    std::mt19937 rng(7);
    std::uniform_real_distribution<float> dist(-0.9f, 0.9f);
    std::vector<float> x(std::size_t(2 * kFrames));
    for (float &v : x)
        v = dist(rng);
    return x;
}

} // namespace

class tst_AudioStreamReader : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void info();
    void readMatchesFullRead_data();
    void readMatchesFullRead();
    void readsInAnyOrder();
    void readsFlac();
    void rangeOutsideFile_data();
    void rangeOutsideFile();
    void missingFile();
    void channelOutOfRange();
    void truncatedFile();
    void nonFiniteOnlyInsideRange();

private:
    QString file(const char *name) const { return m_dir.filePath(QLatin1String(name)); }

    QTemporaryDir m_dir;
    std::string m_float; // stereo float32
    std::string m_pcm;   // stereo PCM16
};

void tst_AudioStreamReader::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_float = file("float.wav").toStdString();
    m_pcm = file("pcm.wav").toStdString();
    writeWav(m_float, stereoNoise(), 2, 16000, SampleFormat::Float32);
    writeWav(m_pcm, stereoNoise(), 2, 16000, SampleFormat::Pcm16);
}

void tst_AudioStreamReader::info()
{
    AudioStreamReader reader(m_pcm, 1);
    QCOMPARE(reader.path(), m_pcm);
    QCOMPARE(reader.info().sampleRate, 16000);
    QCOMPARE(reader.info().channels, 2);
    QCOMPARE(reader.info().frames, std::int64_t(kFrames));
    QCOMPARE(reader.info().format, std::string("WAV PCM16"));
}

void tst_AudioStreamReader::readMatchesFullRead_data()
{
    QTest::addColumn<bool>("pcm16");
    QTest::addColumn<int>("channel");
    QTest::addColumn<qint64>("start");
    QTest::addColumn<qint64>("count");

    for (bool pcm16 : {false, true}) {
        for (int channel : {-1, 0, 1}) {
            const QByteArray tag = QByteArray(pcm16 ? "pcm16" : "float32") + " ch"
                                   + QByteArray::number(channel);
            QTest::newRow(tag + " head") << pcm16 << channel << qint64(0) << qint64(10);
            QTest::newRow(tag + " middle") << pcm16 << channel << qint64(1234) << qint64(5000);
            QTest::newRow(tag + " across blocks")
                << pcm16 << channel << qint64(60000) << qint64(20000);
            QTest::newRow(tag + " tail") << pcm16 << channel << qint64(kFrames - 7) << qint64(7);
            QTest::newRow(tag + " whole") << pcm16 << channel << qint64(0) << qint64(kFrames);
            QTest::newRow(tag + " empty at end")
                << pcm16 << channel << qint64(kFrames) << qint64(0);
        }
    }
}

void tst_AudioStreamReader::readMatchesFullRead()
{
    QFETCH(bool, pcm16);
    QFETCH(int, channel);
    QFETCH(qint64, start);
    QFETCH(qint64, count);

    const std::string &path = pcm16 ? m_pcm : m_float;
    ReadOptions options;
    options.channel = channel;
    const std::vector<float> full = readAudio(path, options).samples;
    QCOMPARE(full.size(), std::size_t(kFrames));

    AudioStreamReader reader(path, channel);
    const std::vector<float> range = reader.read(start, count);
    const std::vector<float> expected(full.begin() + start, full.begin() + start + count);
    QCOMPARE(range, expected);
}

void tst_AudioStreamReader::readsInAnyOrder()
{
    // Channel 0 of the file is every other value of the noise that was written.
    const std::vector<float> written = stereoNoise();
    AudioStreamReader reader(m_float, 0);
    for (std::int64_t start : {90000, 10, 70000, 70000, 0, 65530}) {
        const std::vector<float> got = reader.read(start, 100);
        QCOMPARE(got.size(), std::size_t(100));
        for (std::size_t i = 0; i < got.size(); ++i)
            QCOMPARE(got[i], written[std::size_t(2 * (start + std::int64_t(i)))]);
    }
}

void tst_AudioStreamReader::readsFlac()
{
    const std::string path = file("noise.flac").toStdString();
    QVERIFY(writeRaw(path, stereoNoise(), 2, 16000, SF_FORMAT_FLAC | SF_FORMAT_PCM_16));
    const std::vector<float> full = readAudio(path).samples;
    AudioStreamReader reader(path);
    const std::vector<float> range = reader.read(77777, 3000);
    QCOMPARE(range, std::vector<float>(full.begin() + 77777, full.begin() + 80777));
}

void tst_AudioStreamReader::rangeOutsideFile_data()
{
    QTest::addColumn<qint64>("start");
    QTest::addColumn<qint64>("count");
    QTest::addColumn<QString>("range");

    QTest::newRow("negative start") << qint64(-1) << qint64(10) << "[-1, 9)";
    QTest::newRow("one frame past the end")
        << qint64(kFrames - 5) << qint64(6) << "[99995, 100001)";
    QTest::newRow("starts past the end") << qint64(kFrames + 1) << qint64(0) << "[100001, 100001)";
    QTest::newRow("negative count") << qint64(10) << qint64(-1) << "[10, 9)";
}

void tst_AudioStreamReader::rangeOutsideFile()
{
    QFETCH(qint64, start);
    QFETCH(qint64, count);
    QFETCH(QString, range);

    AudioStreamReader reader(m_float);
    const QString message = audioErrorOf([&] { reader.read(start, count); });
    QVERIFY2(isOneSentenceAbout(message,
                                QString::fromStdString(m_float),
                                "frames " + range + " lie outside the file's 100000 frames"),
             qPrintable(message));
    // The reader stays usable after a refused range.
    QCOMPARE(reader.read(0, 3).size(), std::size_t(3));
}

void tst_AudioStreamReader::missingFile()
{
    const QString path = file("absent.wav");
    const QString message = audioErrorOf([&] { AudioStreamReader reader(path.toStdString()); });
    QVERIFY2(isOneSentenceAbout(message, path, QStringLiteral("file does not exist")),
             qPrintable(message));
}

void tst_AudioStreamReader::channelOutOfRange()
{
    const QString message = audioErrorOf([&] { AudioStreamReader reader(m_float, 2); });
    QVERIFY2(isOneSentenceAbout(message,
                                QString::fromStdString(m_float),
                                QStringLiteral(
                                    "channel 2 is out of range: the file has 2 channels")),
             qPrintable(message));
}

void tst_AudioStreamReader::truncatedFile()
{
    const QString path = file("cut.wav");
    writeWav(path.toStdString(), std::vector<float>(8000, 0.5f), 1, 8000, SampleFormat::Pcm16);
    QFile cut(path);
    QVERIFY(cut.resize(cut.size() - 2 * 3000)); // 3000 PCM16 frames

    const QString message = audioErrorOf([&] { AudioStreamReader reader(path.toStdString()); });
    QVERIFY2(isOneSentenceAbout(message,
                                path,
                                QStringLiteral("file is truncated: its header declares 8000 frames "
                                               "but only 5000 are present")),
             qPrintable(message));
}

void tst_AudioStreamReader::nonFiniteOnlyInsideRange()
{
    std::vector<float> x(2 * 1000, 0.25f);
    x[2 * 500 + 1] = std::numeric_limits<float>::quiet_NaN(); // frame 500, channel 1
    const QString path = file("nan.wav");
    QVERIFY(writeRaw(path.toStdString(), x, 2, 8000, SF_FORMAT_WAV | SF_FORMAT_FLOAT));

    AudioStreamReader reader(path.toStdString());
    QCOMPARE(reader.read(0, 500), std::vector<float>(500, 0.25f));
    QCOMPARE(reader.read(501, 499), std::vector<float>(499, 0.25f));
    const QString message = audioErrorOf([&] { reader.read(400, 200); });
    QVERIFY2(isOneSentenceAbout(message, path, QStringLiteral("sample 500 of channel 1 is NaN")),
             qPrintable(message));
}

QTEST_GUILESS_MAIN(tst_AudioStreamReader)

#include "tst_audio_stream_reader.moc"
