// The Audition info panel shows what audio/io reads, with levels computed from the samples.

#include "audio/io/audio_file.h"
#include "ui/audition/audio_info_panel.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace seplab;

class tst_AudioInfoPanel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }
    void monoFile();
    void stereoFileIsMeasuredOnTheDownmix();
    void unreadableFileShowsTheError();

private:
    QTemporaryDir m_dir;
};

void tst_AudioInfoPanel::monoFile()
{
    // 4000 frames at 8 kHz: half of them 0.5, half 0. Peak 0.5 = -6.02 dBFS;
    // RMS sqrt(0.125) = 0.35355 = -9.03 dBFS.
    std::vector<float> samples(4000, 0.0f);
    std::fill(samples.begin(), samples.begin() + 2000, 0.5f);
    const QString path = m_dir.filePath("mono.wav");
    audio::writeWav(path.toStdString(), samples, 1, 8000, audio::SampleFormat::Pcm16);

    ui::AudioInfoPanel panel;
    QSignalSpy shown(&panel, &ui::AudioInfoPanel::fileShown);
    QVERIFY(panel.showFile(path));
    QCOMPARE(shown.count(), 1);
    QCOMPARE(panel.currentFile(), path);
    const QString summary = panel.summaryText();
    QVERIFY2(summary.contains("File: mono.wav"), qPrintable(summary));
    QVERIFY2(summary.contains("Sample rate: 8000 Hz"), qPrintable(summary));
    QVERIFY2(summary.contains("Channels: 1 channel"), qPrintable(summary));
    QVERIFY2(summary.contains("Duration: 0.500 s (4000 frames)"), qPrintable(summary));
    QVERIFY2(summary.contains("Peak: -6.02 dBFS"), qPrintable(summary));
    QVERIFY2(summary.contains("RMS: -9.03 dBFS"), qPrintable(summary));
}

void tst_AudioInfoPanel::stereoFileIsMeasuredOnTheDownmix()
{
    // Left 0.8, right 0.4: the mono downmix is 0.6 everywhere, 20 log10(0.6) = -4.44 dBFS.
    std::vector<float> interleaved;
    for (int i = 0; i < 1600; ++i) {
        interleaved.push_back(0.8f);
        interleaved.push_back(0.4f);
    }
    const QString path = m_dir.filePath("stereo.wav");
    audio::writeWav(path.toStdString(), interleaved, 2, 16000);

    ui::AudioInfoPanel panel;
    QVERIFY(panel.showFile(path));
    const QString summary = panel.summaryText();
    QVERIFY2(summary.contains("Sample rate: 16000 Hz"), qPrintable(summary));
    QVERIFY2(summary.contains("Channels: 2 channels"), qPrintable(summary));
    QVERIFY2(summary.contains("Duration: 0.100 s (1600 frames)"), qPrintable(summary));
    QVERIFY2(summary.contains("Peak: -4.44 dBFS"), qPrintable(summary));
    QVERIFY2(summary.contains("RMS: -4.44 dBFS"), qPrintable(summary));
}

void tst_AudioInfoPanel::unreadableFileShowsTheError()
{
    const QString good = m_dir.filePath("good.wav");
    audio::writeWav(good.toStdString(), std::vector<float>(80, 0.1f), 1, 8000);
    const QString missing = m_dir.filePath("missing.wav");

    ui::AudioInfoPanel panel;
    QVERIFY(panel.showFile(good));
    QSignalSpy shown(&panel, &ui::AudioInfoPanel::fileShown);
    QVERIFY(!panel.showFile(missing));
    QCOMPARE(shown.count(), 0);
    // The previous file stays current, and the error names the missing one.
    QCOMPARE(panel.currentFile(), good);
    QVERIFY2(panel.summaryText().startsWith(missing + ": file does not exist"),
             qPrintable(panel.summaryText()));
}

QTEST_MAIN(tst_AudioInfoPanel)
#include "tst_audio_info_panel.moc"
