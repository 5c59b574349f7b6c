#include "audio/audio_test_support.h"
#include "audio/dsp/resample.h"

#include <QtTest>

using namespace seplab::audio;
using namespace seplab::audio::test;

Q_DECLARE_METATYPE(seplab::audio::ResampleQuality)

class tst_Resample : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void keepsSineFrequencyAndAmplitude_data();
    void keepsSineFrequencyAndAmplitude();
    void removesContentAboveNewNyquist();
    void outputLengthIsRounded_data();
    void outputLengthIsRounded();
    void equalRatesReturnInput();
    void emptyInput();
    void invalidRates_data();
    void invalidRates();
};

void tst_Resample::keepsSineFrequencyAndAmplitude_data()
{
    QTest::addColumn<int>("fromRate");
    QTest::addColumn<int>("toRate");
    QTest::addColumn<double>("frequency");
    QTest::addColumn<ResampleQuality>("quality");

    QTest::newRow("440 Hz 16k->8k") << 16000 << 8000 << 440.0 << ResampleQuality::Best;
    QTest::newRow("1000 Hz 16k->8k") << 16000 << 8000 << 1000.0 << ResampleQuality::Best;
    QTest::newRow("440 Hz 8k->16k") << 8000 << 16000 << 440.0 << ResampleQuality::Best;
    QTest::newRow("1000 Hz 8k->16k") << 8000 << 16000 << 1000.0 << ResampleQuality::Best;
    QTest::newRow("440 Hz 44.1k->16k") << 44100 << 16000 << 440.0 << ResampleQuality::Best;
    QTest::newRow("1000 Hz 16k->8k medium") << 16000 << 8000 << 1000.0 << ResampleQuality::Medium;
    QTest::newRow("1000 Hz 16k->8k fast") << 16000 << 8000 << 1000.0 << ResampleQuality::Fast;
    QTest::newRow("2000 Hz 8k->16k fast") << 8000 << 16000 << 2000.0 << ResampleQuality::Fast;
}

void tst_Resample::keepsSineFrequencyAndAmplitude()
{
    QFETCH(int, fromRate);
    QFETCH(int, toRate);
    QFETCH(double, frequency);
    QFETCH(ResampleQuality, quality);

    const double amplitude = 0.5;
    const std::vector<float> in = sine(frequency, fromRate, fromRate, amplitude); // 1 s
    const std::vector<float> out = resample(in, fromRate, toRate, quality);
    QCOMPARE(out.size(), std::size_t(toRate));

    // Judge the steady middle only: the filter rings at the abrupt start and end.
    const std::size_t first = out.size() / 10;
    const std::size_t last = out.size() - first;
    const double measured = zeroCrossingFrequency(out, toRate, first, last);
    QVERIFY2(std::abs(measured - frequency) < 1.0, qPrintable(QString::number(measured)));

    const double measuredRms = rms(out, first, last);
    QVERIFY2(std::abs(measuredRms - amplitude / std::sqrt(2.0)) < 0.01 * amplitude,
             qPrintable(QString::number(measuredRms)));
    double peak = 0.0;
    for (std::size_t i = first; i < last; ++i)
        peak = std::max(peak, std::abs(double(out[i])));
    QVERIFY2(std::abs(peak - amplitude) < 0.02 * amplitude, qPrintable(QString::number(peak)));
}

void tst_Resample::removesContentAboveNewNyquist()
{
    // 6 kHz cannot exist at 8 kHz; a band-limited converter removes it instead of folding it
    // down to 2 kHz as plain decimation would.
    const std::vector<float> out = resample(sine(6000.0, 16000, 16000, 0.5), 16000, 8000);
    QCOMPARE(out.size(), std::size_t(8000));
    const double residual = rms(out, 800, 7200);
    QVERIFY2(residual < 0.005, qPrintable(QString::number(residual)));
}

void tst_Resample::outputLengthIsRounded_data()
{
    QTest::addColumn<int>("inputLength");
    QTest::addColumn<int>("fromRate");
    QTest::addColumn<int>("toRate");
    QTest::addColumn<int>("outputLength");

    QTest::newRow("exact") << 16000 << 16000 << 8000 << 8000;
    QTest::newRow("8000.5 rounds up") << 16001 << 16000 << 8000 << 8001;
    QTest::newRow("1.5 rounds up") << 3 << 16000 << 8000 << 2;
    QTest::newRow("72.56 rounds up") << 100 << 22050 << 16000 << 73;
    QTest::newRow("2.76 rounds up") << 1 << 16000 << 44100 << 3;
    QTest::newRow("4478.9 rounds up") << 12345 << 44100 << 16000 << 4479;
    QTest::newRow("2057.5 rounds up") << 12345 << 48000 << 8000 << 2058;
    QTest::newRow("1666.67 rounds up") << 10000 << 48000 << 8000 << 1667;
    QTest::newRow("1666.5 rounds up") << 9999 << 48000 << 8000 << 1667;
    QTest::newRow("1666.33 rounds down") << 9998 << 48000 << 8000 << 1666;
    QTest::newRow("0.17 rounds to nothing") << 1 << 48000 << 8000 << 0;
    QTest::newRow("upsampling 8k->16k") << 4001 << 8000 << 16000 << 8002;
}

void tst_Resample::outputLengthIsRounded()
{
    QFETCH(int, inputLength);
    QFETCH(int, fromRate);
    QFETCH(int, toRate);
    QFETCH(int, outputLength);

    const std::vector<float> in = sine(100.0, fromRate, inputLength, 0.5);
    QCOMPARE(resample(in, fromRate, toRate).size(), std::size_t(outputLength));
    QCOMPARE(resample(in, fromRate, toRate, ResampleQuality::Fast).size(),
             std::size_t(outputLength));
}

void tst_Resample::equalRatesReturnInput()
{
    const std::vector<float> in = sine(440.0, 16000, 1000, 0.7);
    QCOMPARE(resample(in, 16000, 16000), in);
}

void tst_Resample::emptyInput()
{
    QVERIFY(resample({}, 16000, 8000).empty());
}

void tst_Resample::invalidRates_data()
{
    QTest::addColumn<int>("fromRate");
    QTest::addColumn<int>("toRate");
    QTest::addColumn<QString>("problem");

    QTest::newRow("zero source rate") << 0 << 8000 << "sample rates must be positive";
    QTest::newRow("negative target rate") << 16000 << -8000 << "sample rates must be positive";
    QTest::newRow("ratio below 1/256") << 16000 << 10 << "ratios from 1/256 to 256";
}

void tst_Resample::invalidRates()
{
    QFETCH(int, fromRate);
    QFETCH(int, toRate);
    QFETCH(QString, problem);

    const QString message = audioErrorOf(
        [&] { resample(std::vector<float>(100, 0.1f), fromRate, toRate); });
    QVERIFY2(message.startsWith(
                 QStringLiteral("cannot resample from %1 Hz to %2 Hz: ").arg(fromRate).arg(toRate)),
             qPrintable(message));
    QVERIFY2(message.contains(problem), qPrintable(message));
}

QTEST_GUILESS_MAIN(tst_Resample)

#include "tst_resample.moc"
