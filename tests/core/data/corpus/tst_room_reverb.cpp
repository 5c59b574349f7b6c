// Synthetic rooms: the impulse response decays at the requested RT60 (Schroeder backward
// integration, fitted here independently), carries the requested direct-to-reverberant ratio,
// and the FFT reverb equals a straight-loop convolution minus the dry signal.

#include "core/data/corpus/room_reverb.h"

#include <QTest>

#include <cmath>
#include <numeric>

using namespace seplab::data::corpus;

namespace {

// T20 as acoustics measures it: Schroeder's energy decay curve EDC(t) = sum_{k>=t} h[k]^2 in dB,
// a least-squares line through the part between -5 and -25 dB, extrapolated to -60 dB.
double schroederRt60(const Signal &h, int rate)
{
    std::vector<double> edc(h.size());
    double tail = 0.0;
    for (size_t i = h.size(); i-- > 0;) {
        tail += h[i] * h[i];
        edc[i] = tail;
    }
    double sumT = 0, sumY = 0, sumTT = 0, sumTY = 0;
    int points = 0;
    for (size_t i = 0; i < h.size(); ++i) {
        const double level = 10.0 * std::log10(edc[i] / edc[0]);
        if (level > -5.0 || level < -25.0)
            continue;
        const double t = double(i) / rate;
        sumT += t;
        sumY += level;
        sumTT += t * t;
        sumTY += t * level;
        ++points;
    }
    const double slope = (points * sumTY - sumT * sumY) / (points * sumTT - sumT * sumT);
    return -60.0 / slope;
}

} // namespace

class tst_RoomReverb : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void decayMatchesRt60_data();
    void decayMatchesRt60();
    void directPathAndRatio();
    void reverbEqualsDirectConvolutionMinusDry();
    void sameStreamSameResponse();
};

void tst_RoomReverb::decayMatchesRt60_data()
{
    QTest::addColumn<double>("rt60");
    QTest::addColumn<double>("drrDb");
    QTest::addColumn<int>("rate");
    QTest::addColumn<quint64>("seed");
    QTest::newRow("0.2 s, 8 kHz, dry room") << 0.2 << 8.0 << 8000 << quint64(1);
    QTest::newRow("0.35 s, 8 kHz") << 0.35 << 3.0 << 8000 << quint64(2);
    QTest::newRow("0.5 s, 16 kHz") << 0.5 << 0.0 << 16000 << quint64(3);
    QTest::newRow("0.8 s, 8 kHz, wet room") << 0.8 << -3.0 << 8000 << quint64(4);
    QTest::newRow("0.8 s, 8 kHz, close source") << 0.8 << 8.0 << 8000 << quint64(5);
}

void tst_RoomReverb::decayMatchesRt60()
{
    QFETCH(double, rt60);
    QFETCH(double, drrDb);
    QFETCH(int, rate);
    QFETCH(quint64, seed);
    for (std::uint64_t draw = 0; draw < 5; ++draw) {
        Rng rng = Rng::derive({seed, draw});
        const RoomImpulseResponse rir = makeRoomImpulseResponse(rng, rate, rt60, drrDb);
        const double measured = schroederRt60(rir.taps, rate);
        QVERIFY2(std::fabs(measured - rt60) <= 0.25 * rt60,
                 (std::to_string(measured) + " s for " + std::to_string(rt60) + " s").c_str());
    }
}

void tst_RoomReverb::directPathAndRatio()
{
    Rng rng(42);
    const RoomImpulseResponse rir = makeRoomImpulseResponse(rng, 8000, 0.4, 6.0);
    QCOMPARE(rir.taps.size(), size_t(3200)); // rt60 * rate
    QCOMPARE(rir.taps[0], 1.0);
    QCOMPARE(rir.rt60, 0.4);
    const double reverberant = std::inner_product(rir.taps.begin() + 1,
                                                  rir.taps.end(),
                                                  rir.taps.begin() + 1,
                                                  0.0);
    // 6 dB direct-to-reverberant: the tail carries 10^-0.6 of the direct path's energy.
    QVERIFY(std::fabs(reverberant - std::pow(10.0, -0.6)) < 1e-9);
    // Decaying: the last 10% holds far less energy than the first 10% after the direct path.
    const size_t tenth = rir.taps.size() / 10;
    const double early = std::inner_product(rir.taps.begin() + 1,
                                            rir.taps.begin() + 1 + long(tenth),
                                            rir.taps.begin() + 1,
                                            0.0);
    const double late = std::inner_product(rir.taps.end() - long(tenth),
                                           rir.taps.end(),
                                           rir.taps.end() - long(tenth),
                                           0.0);
    QVERIFY(late < 1e-4 * early);
}

void tst_RoomReverb::reverbEqualsDirectConvolutionMinusDry()
{
    Rng rng(7);
    std::vector<Signal> dry(3);
    std::vector<RoomImpulseResponse> rirs;
    const size_t lengths[3] = {1000, 2500, 777};
    for (int k = 0; k < 3; ++k) {
        dry[size_t(k)].resize(lengths[k]);
        for (double &v : dry[size_t(k)])
            v = rng.normal();
        rirs.push_back(makeRoomImpulseResponse(rng, 8000, 0.1 + 0.1 * k, 2.0 * k));
    }
    const std::vector<Signal> wet = reverbComponents(dry, rirs);
    QCOMPARE(wet.size(), size_t(3));
    for (size_t k = 0; k < 3; ++k) {
        QCOMPARE(wet[k].size(), dry[k].size());
        const Signal &h = rirs[k].taps;
        double worst = 0.0, energy = 0.0;
        for (size_t n = 0; n < dry[k].size(); ++n) {
            double y = 0.0; // straight-loop linear convolution, sample n
            for (size_t m = 0; m < h.size() && m <= n; ++m)
                y += h[m] * dry[k][n - m];
            const double expected = y - dry[k][n];
            worst = std::max(worst, std::fabs(wet[k][n] - expected));
            energy += expected * expected;
        }
        QVERIFY2(worst < 1e-9, std::to_string(worst).c_str());
        QVERIFY(energy > 0.0);
    }
}

void tst_RoomReverb::sameStreamSameResponse()
{
    Rng a(5), b(5), c(6);
    const Signal first = makeRoomImpulseResponse(a, 8000, 0.3, 4.0).taps;
    QCOMPARE(first, makeRoomImpulseResponse(b, 8000, 0.3, 4.0).taps);
    QVERIFY(first != makeRoomImpulseResponse(c, 8000, 0.3, 4.0).taps);
}

QTEST_GUILESS_MAIN(tst_RoomReverb)
#include "tst_room_reverb.moc"
