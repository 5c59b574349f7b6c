#include "audio/audio_test_support.h"
#include "audio/io/audio_file.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <random>

using namespace seplab::audio;
using namespace seplab::audio::test;

namespace {

// Deterministic test signal: a sine plus seeded noise, strictly inside (-1, 1).
std::vector<float> testSignal(int frames, int sampleRate)
{
    std::vector<float> x = sine(300.0, sampleRate, frames, 0.5);
    std::mt19937 rng(1234);
    std::uniform_real_distribution<float> noise(-0.45f, 0.45f);
    for (float &v : x)
        v += noise(rng);
    return x;
}

// Cuts `bytes` bytes off the end of a file, the way an interrupted copy leaves it.
bool chop(const QString &path, qint64 bytes)
{
    QFile file(path);
    return file.resize(file.size() - bytes);
}

} // namespace

class tst_AudioFile : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();

    void roundTrip_data();
    void roundTrip();
    void pcm16Quantisation();
    void multiChannel_data();
    void multiChannel();
    void channelOutOfRange_data();
    void channelOutOfRange();
    void readResamplesToTargetRate();

    void writeLeavesNoTemporaryFile();
    void sameSamplesGiveIdenticalBytes();
    void writeReplacesExistingFile();
    void writeIntoMissingFolderFails();
    void failedRenameRemovesTemporaryFile();
    void writeRefusesNonFinite_data();
    void writeRefusesNonFinite();

    void missingFile();
    void emptyFile();
    void unsupportedFormat_data();
    void unsupportedFormat();
    void truncatedWav_data();
    void truncatedWav();
    void truncatedFlac();
    void zeroFrames();
    void nonFiniteSample_data();
    void nonFiniteSample();

private:
    QString file(const char *name) const { return m_dir->filePath(QLatin1String(name)); }

    std::unique_ptr<QTemporaryDir> m_dir;
};

void tst_AudioFile::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void tst_AudioFile::roundTrip_data()
{
    QTest::addColumn<int>("sampleRate");
    QTest::addColumn<bool>("pcm16");
    QTest::addColumn<QString>("formatName");

    QTest::newRow("8k float32") << 8000 << false << "WAV float32";
    QTest::newRow("16k float32") << 16000 << false << "WAV float32";
    QTest::newRow("8k pcm16") << 8000 << true << "WAV PCM16";
    QTest::newRow("16k pcm16") << 16000 << true << "WAV PCM16";
}

void tst_AudioFile::roundTrip()
{
    QFETCH(int, sampleRate);
    QFETCH(bool, pcm16);
    QFETCH(QString, formatName);

    const int frames = sampleRate / 2 + 17;
    const std::vector<float> written = testSignal(frames, sampleRate);
    const std::string path = file("round.wav").toStdString();
    writeWav(path, Audio{written, sampleRate}, pcm16 ? SampleFormat::Pcm16 : SampleFormat::Float32);

    const AudioInfo info = probeAudio(path);
    QCOMPARE(info.sampleRate, sampleRate);
    QCOMPARE(info.channels, 1);
    QCOMPARE(info.frames, std::int64_t(frames));
    QCOMPARE(QString::fromStdString(info.format), formatName);
    QCOMPARE(info.seconds(), double(frames) / sampleRate);

    const Audio read = readAudio(path);
    QCOMPARE(read.sampleRate, sampleRate);
    QCOMPARE(read.samples.size(), written.size());
    double maxError = 0.0;
    for (std::size_t i = 0; i < written.size(); ++i)
        maxError = std::max(maxError, std::abs(double(read.samples[i]) - written[i]));
    if (pcm16) {
        // Rounding to the nearest of 32768 steps per unit: at most half a step away.
        QVERIFY2(maxError <= 0.5 / 32768 + 1e-9, qPrintable(QString::number(maxError)));
        QVERIFY(maxError > 0.0); // the values really were quantised
    } else {
        QCOMPARE(maxError, 0.0);
    }
}

void tst_AudioFile::pcm16Quantisation()
{
    const std::vector<float> values
        = {0.5f, -0.5f, 0.25f, 0.0f, 0.3f, 3.0f / 32768, 1.0f, -1.0f, 1.5f, -3.0f};
    // round(v * 32768), clipped to the int16 range.
    const std::vector<std::int16_t> expected
        = {16384, -16384, 8192, 0, 9830, 3, 32767, -32768, 32767, -32768};
    const std::string path = file("q.wav").toStdString();
    writeWav(path, values, 1, 16000, SampleFormat::Pcm16);

    QCOMPARE(readRawPcm16(path), expected);
    const Audio read = readAudio(path);
    QCOMPARE(read.samples.size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i)
        QCOMPARE(read.samples[i], float(expected[i]) / 32768.0f);
}

void tst_AudioFile::multiChannel_data()
{
    QTest::addColumn<int>("channel");
    QTest::newRow("downmix") << -1;
    QTest::newRow("channel 0") << 0;
    QTest::newRow("channel 1") << 1;
    QTest::newRow("channel 2") << 2;
}

void tst_AudioFile::multiChannel()
{
    QFETCH(int, channel);
    // Three channels with different values per frame; frame i is {a_i, b_i, c_i}.
    const int frames = 1000;
    std::vector<float> interleaved;
    std::vector<std::vector<float>> perChannel(3);
    for (int i = 0; i < frames; ++i) {
        const float a = 0.001f * i - 0.5f;
        const float b = -0.25f;
        const float c = (i % 2) ? 0.75f : -0.125f;
        for (float v : {a, b, c})
            interleaved.push_back(v);
        perChannel[0].push_back(a);
        perChannel[1].push_back(b);
        perChannel[2].push_back(c);
    }
    const std::string path = file("three.wav").toStdString();
    writeWav(path, interleaved, 3, 16000);
    QCOMPARE(probeAudio(path).channels, 3);

    ReadOptions options;
    options.channel = channel;
    const Audio read = readAudio(path, options);
    QCOMPARE(read.samples.size(), std::size_t(frames));
    for (int i = 0; i < frames; ++i) {
        const auto k = std::size_t(i);
        if (channel >= 0) {
            QCOMPARE(read.samples[k], perChannel[std::size_t(channel)][k]);
        } else {
            const double mean = (double(perChannel[0][k]) + perChannel[1][k] + perChannel[2][k])
                                / 3;
            QVERIFY(std::abs(read.samples[k] - mean) < 1e-6);
        }
    }
}

void tst_AudioFile::channelOutOfRange_data()
{
    QTest::addColumn<int>("channel");
    QTest::newRow("one past the last") << 2;
    QTest::newRow("far past") << 7;
    QTest::newRow("negative") << -2;
}

void tst_AudioFile::channelOutOfRange()
{
    QFETCH(int, channel);
    const QString path = file("stereo.wav");
    writeWav(path.toStdString(), std::vector<float>(200, 0.1f), 2, 8000);

    ReadOptions options;
    options.channel = channel;
    const QString message = audioErrorOf([&] { readAudio(path.toStdString(), options); });
    QVERIFY2(isOneSentenceAbout(message,
                                path,
                                QStringLiteral("channel %1 is out of range").arg(channel)),
             qPrintable(message));
    QVERIFY2(message.contains(QLatin1String("2 channels")), qPrintable(message));
}

void tst_AudioFile::readResamplesToTargetRate()
{
    const std::string path = file("sine16k.wav").toStdString();
    writeWav(path, Audio{sine(440.0, 16000, 16000, 0.5), 16000});

    ReadOptions options;
    options.targetRate = 8000;
    const Audio read = readAudio(path, options);
    QCOMPARE(read.sampleRate, 8000);
    QCOMPARE(read.samples.size(), std::size_t(8000));
    const double frequency = zeroCrossingFrequency(read.samples, 8000, 800, 7200);
    QVERIFY2(std::abs(frequency - 440.0) < 1.0, qPrintable(QString::number(frequency)));
    QVERIFY(std::abs(rms(read.samples, 800, 7200) - 0.5 / std::sqrt(2.0)) < 0.005);
}

void tst_AudioFile::writeLeavesNoTemporaryFile()
{
    writeWav(file("a.wav").toStdString(), Audio{sine(100, 8000, 800, 0.3), 8000});
    writeWav(file("b.wav").toStdString(),
             Audio{sine(100, 8000, 800, 0.3), 8000},
             SampleFormat::Pcm16);
    QCOMPARE(entriesOf(m_dir->path()), (QStringList{"a.wav", "b.wav"}));
}

void tst_AudioFile::sameSamplesGiveIdenticalBytes()
{
    // No timestamped PEAK chunk: a seeded corpus must be byte-identical across runs.
    const Audio audio{sine(100, 8000, 800, 0.3), 8000};
    writeWav(file("a.wav").toStdString(), audio);
    QTest::qSleep(1100); // the PEAK timestamp has a resolution of one second
    writeWav(file("b.wav").toStdString(), audio);
    QFile a(file("a.wav"));
    QFile b(file("b.wav"));
    QVERIFY(a.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly));
    const QByteArray bytesA = a.readAll();
    QCOMPARE(bytesA, b.readAll());
    QVERIFY(!bytesA.contains("PEAK"));
}

void tst_AudioFile::writeReplacesExistingFile()
{
    const std::string path = file("same.wav").toStdString();
    writeWav(path, std::vector<float>(100, 0.25f), 1, 8000);
    writeWav(path, std::vector<float>(50, -0.5f), 1, 16000);

    const Audio read = readAudio(path);
    QCOMPARE(read.sampleRate, 16000);
    QCOMPARE(read.samples, std::vector<float>(50, -0.5f));
    QCOMPARE(entriesOf(m_dir->path()), QStringList{"same.wav"});
}

void tst_AudioFile::writeIntoMissingFolderFails()
{
    const QString path = file("no/such/folder/out.wav");
    const QString message = audioErrorOf(
        [&] { writeWav(path.toStdString(), std::vector<float>(10, 0.f), 1, 8000); });
    QVERIFY2(isOneSentenceAbout(message, path, QStringLiteral("does not exist")),
             qPrintable(message));
    QVERIFY(entriesOf(m_dir->path()).isEmpty());
}

void tst_AudioFile::failedRenameRemovesTemporaryFile()
{
    // A non-empty folder under the target name makes the final rename fail after the
    // temporary file has been written in full.
    QVERIFY(QDir(m_dir->path()).mkpath(QStringLiteral("taken.wav/inside")));
    const QString path = file("taken.wav");
    const QString message = audioErrorOf(
        [&] { writeWav(path.toStdString(), std::vector<float>(10, 0.f), 1, 8000); });
    QVERIFY2(isOneSentenceAbout(message, path, QStringLiteral("cannot replace the file")),
             qPrintable(message));
    QCOMPARE(entriesOf(m_dir->path()), QStringList{"taken.wav"});
    QVERIFY(QFileInfo(path).isDir());
}

void tst_AudioFile::writeRefusesNonFinite_data()
{
    QTest::addColumn<float>("bad");
    QTest::addColumn<QString>("name");
    QTest::newRow("NaN") << std::numeric_limits<float>::quiet_NaN() << "NaN";
    QTest::newRow("+Inf") << std::numeric_limits<float>::infinity() << "+Inf";
    QTest::newRow("-Inf") << -std::numeric_limits<float>::infinity() << "-Inf";
}

void tst_AudioFile::writeRefusesNonFinite()
{
    QFETCH(float, bad);
    QFETCH(QString, name);
    // Stereo: interleaved index 85 is frame 42, channel 1.
    std::vector<float> interleaved(200, 0.1f);
    interleaved[85] = bad;
    interleaved[120] = bad;
    const QString path = file("bad.wav");
    const QString message = audioErrorOf(
        [&] { writeWav(path.toStdString(), interleaved, 2, 8000, SampleFormat::Pcm16); });
    QVERIFY2(isOneSentenceAbout(message, path, "sample 42 of channel 1 because it is " + name),
             qPrintable(message));
    QVERIFY(entriesOf(m_dir->path()).isEmpty());
}

void tst_AudioFile::missingFile()
{
    const QString path = file("absent.wav");
    for (const QString &message : {audioErrorOf([&] { probeAudio(path.toStdString()); }),
                                   audioErrorOf([&] { readAudio(path.toStdString()); })}) {
        QVERIFY2(isOneSentenceAbout(message, path, QStringLiteral("file does not exist")),
                 qPrintable(message));
    }
}

void tst_AudioFile::emptyFile()
{
    const QString path = file("empty.wav");
    QVERIFY(QFile(path).open(QIODevice::WriteOnly));
    const QString message = audioErrorOf([&] { readAudio(path.toStdString()); });
    QVERIFY2(isOneSentenceAbout(message, path, QStringLiteral("file is empty (0 bytes)")),
             qPrintable(message));
}

void tst_AudioFile::unsupportedFormat_data()
{
    QTest::addColumn<QByteArray>("content");
    QByteArray noise(4096, '\0');
    std::mt19937 rng(99);
    for (char &c : noise)
        c = char(rng() & 0xff);
    QTest::newRow("text") << QByteArray("this is not audio, just a line of text\n");
    QTest::newRow("random bytes") << noise;
}

void tst_AudioFile::unsupportedFormat()
{
    QFETCH(QByteArray, content);
    const QString path = file("fake.wav");
    QFile out(path);
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write(content);
    out.close();

    for (const QString &message : {audioErrorOf([&] { probeAudio(path.toStdString()); }),
                                   audioErrorOf([&] { readAudio(path.toStdString()); })}) {
        QVERIFY2(isOneSentenceAbout(message,
                                    path,
                                    QStringLiteral("cannot read audio: Format not recognised")),
                 qPrintable(message));
    }
}

void tst_AudioFile::truncatedWav_data()
{
    QTest::addColumn<int>("channels");
    QTest::addColumn<bool>("pcm16");
    QTest::addColumn<int>("choppedBytes");
    QTest::addColumn<int>("presentFrames");

    // 16000 frames are written; the header keeps declaring them after the cut.
    QTest::newRow("pcm16 mono, 1000 frames cut") << 1 << true << 1000 * 2 << 15000;
    QTest::newRow("pcm16 mono, half a frame more") << 1 << true << 1000 * 2 + 1 << 14999;
    QTest::newRow("float stereo, 12000 frames cut") << 2 << false << 12000 * 8 << 4000;
    QTest::newRow("float mono, all audio cut") << 1 << false << 16000 * 4 << 0;
}

void tst_AudioFile::truncatedWav()
{
    QFETCH(int, channels);
    QFETCH(bool, pcm16);
    QFETCH(int, choppedBytes);
    QFETCH(int, presentFrames);

    const QString path = file("cut.wav");
    writeWav(path.toStdString(),
             std::vector<float>(std::size_t(16000 * channels), 0.25f),
             channels,
             16000,
             pcm16 ? SampleFormat::Pcm16 : SampleFormat::Float32);
    QVERIFY(chop(path, choppedBytes));

    const QString expected
        = QStringLiteral(
              "file is truncated: its header declares 16000 frames but only %1 are present")
              .arg(presentFrames);
    for (const QString &message : {audioErrorOf([&] { probeAudio(path.toStdString()); }),
                                   audioErrorOf([&] { readAudio(path.toStdString()); })}) {
        QVERIFY2(isOneSentenceAbout(message, path, expected), qPrintable(message));
    }
}

void tst_AudioFile::truncatedFlac()
{
    // FLAC declares its length in STREAMINFO; the cut only shows when decoding runs dry.
    const QString path = file("cut.flac");
    QVERIFY(writeRaw(path.toStdString(),
                     sine(440.0, 16000, 16000, 0.5),
                     1,
                     16000,
                     SF_FORMAT_FLAC | SF_FORMAT_PCM_16));
    QCOMPARE(probeAudio(path.toStdString()).format, std::string("FLAC PCM16"));
    QVERIFY(chop(path, QFile(path).size() / 2));

    const QString message = audioErrorOf([&] { readAudio(path.toStdString()); });
    QVERIFY2(isOneSentenceAbout(message,
                                path,
                                QStringLiteral("file is truncated: its header declares 16000 "
                                               "frames but only ")),
             qPrintable(message));
}

void tst_AudioFile::zeroFrames()
{
    const QString path = file("silence.wav");
    QVERIFY(writeRaw(path.toStdString(), {}, 1, 16000, SF_FORMAT_WAV | SF_FORMAT_PCM_16));
    for (const QString &message : {audioErrorOf([&] { probeAudio(path.toStdString()); }),
                                   audioErrorOf([&] { readAudio(path.toStdString()); })}) {
        const QString problem = QStringLiteral("file holds no audio (0 frames)");
        QVERIFY2(isOneSentenceAbout(message, path, problem), qPrintable(message));
    }
}

void tst_AudioFile::nonFiniteSample_data()
{
    QTest::addColumn<int>("channels");
    QTest::addColumn<int>("frame");
    QTest::addColumn<int>("channel");
    QTest::addColumn<float>("bad");
    QTest::addColumn<QString>("name");

    const float inf = std::numeric_limits<float>::infinity();
    QTest::newRow("NaN, mono") << 1 << 123 << 0 << std::numeric_limits<float>::quiet_NaN() << "NaN";
    QTest::newRow("+Inf, stereo right") << 2 << 7 << 1 << inf << "+Inf";
    QTest::newRow("-Inf, beyond the first block") << 2 << 70000 << 0 << -inf << "-Inf";
}

void tst_AudioFile::nonFiniteSample()
{
    QFETCH(int, channels);
    QFETCH(int, frame);
    QFETCH(int, channel);
    QFETCH(float, bad);
    QFETCH(QString, name);

    std::vector<float> interleaved(std::size_t(80000 * channels), 0.1f);
    interleaved[std::size_t(frame * channels + channel)] = bad;
    interleaved[std::size_t((frame + 5) * channels)] = bad; // a later one is not reported
    const QString path = file("nonfinite.wav");
    const int format = SF_FORMAT_WAV | SF_FORMAT_FLOAT;
    QVERIFY(writeRaw(path.toStdString(), interleaved, channels, 16000, format));

    const QString message = audioErrorOf([&] { readAudio(path.toStdString()); });
    QVERIFY2(isOneSentenceAbout(
                 message,
                 path,
                 QStringLiteral("sample %1 of channel %2 is %3").arg(frame).arg(channel).arg(name)),
             qPrintable(message));
}

QTEST_GUILESS_MAIN(tst_AudioFile)

#include "tst_audio_file.moc"
