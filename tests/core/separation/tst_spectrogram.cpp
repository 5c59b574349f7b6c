#include "core/separation/spectrogram.h"

#include <QtTest>

#include <cmath>

using seplab::separation::computeSpectrogram;
using seplab::separation::Spectrogram;

class tst_Spectrogram : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sineLandsInItsBin();
    void shapeFollowsFftAndHop();
    void silenceIsFloored();
    void rejectsBadSettings();
};

void tst_Spectrogram::sineLandsInItsBin()
{
    // 1 kHz at 8 kHz with a 256-point FFT: bins are 31.25 Hz apart, so the peak is bin 32.
    std::vector<float> sine(8000);
    for (std::size_t i = 0; i < sine.size(); ++i)
        sine[i] = 0.5f * float(std::sin(2.0 * M_PI * 1000.0 * double(i) / 8000.0));
    const Spectrogram s = computeSpectrogram(sine, 8000, 256, 64);
    for (int frame = 4; frame < s.frames - 4; ++frame) {
        int peak = 0;
        for (int bin = 1; bin < s.bins; ++bin)
            if (s.at(frame, bin) > s.at(frame, peak))
                peak = bin;
        QCOMPARE(peak, 32);
    }
    // Periodic Hann: the window sums to N/2 = 128, so a bin-centred sine of amplitude A peaks
    // at A * 128 / 2 = 32, i.e. 20 log10(32) = 30.10 dB.
    QVERIFY2(std::abs(s.at(20, 32) - 30.103f) < 0.01f, qPrintable(QString::number(s.at(20, 32))));
    QVERIFY(std::abs(s.maxDb - 30.103f) < 0.01f);
}

void tst_Spectrogram::shapeFollowsFftAndHop()
{
    const std::vector<float> noise(1000, 0.1f);
    const Spectrogram s = computeSpectrogram(noise, 16000, 128, 32);
    QCOMPARE(s.bins, 65);
    QCOMPARE(s.frames, 1 + 1000 / 32); // centred frames: 32
    QCOMPARE(s.db.size(), std::size_t(65 * 32));
    QCOMPARE(s.hop, 32);
    QCOMPARE(s.sampleRate, 16000);
}

void tst_Spectrogram::silenceIsFloored()
{
    const Spectrogram s = computeSpectrogram(std::vector<float>(512, 0.0f), 8000);
    for (float value : s.db)
        QCOMPARE(value, -100.0f);
}

void tst_Spectrogram::rejectsBadSettings()
{
    const std::vector<float> x(1000, 0.0f);
    QVERIFY_EXCEPTION_THROWN(computeSpectrogram(x, 8000, 100, 50), std::invalid_argument);
    QVERIFY_EXCEPTION_THROWN(computeSpectrogram(x, 8000, 256, 0), std::invalid_argument);
    QVERIFY_EXCEPTION_THROWN(computeSpectrogram(x, 8000, 256, 300), std::invalid_argument);
    QVERIFY_EXCEPTION_THROWN(computeSpectrogram(std::vector<float>(100), 8000, 256, 64),
                             std::invalid_argument);
}

QTEST_GUILESS_MAIN(tst_Spectrogram)
#include "tst_spectrogram.moc"
