// Scenes and events: levels, lengths and spectral shape of the generated textures.

#include "core/data/corpus/events.h"
#include "core/data/corpus/scene_noise.h"
#include "core/data/corpus/speech_track.h"

#include <QTest>

#include <cmath>

using namespace seplab::data::corpus;

namespace {

// 2(1 - lag-1 autocorrelation): about 2 for white noise, near 0 for noise dominated by lows.
double differenceRatio(const Signal &x)
{
    double diff = 0.0;
    for (size_t i = 1; i < x.size(); ++i)
        diff += (x[i] - x[i - 1]) * (x[i] - x[i - 1]);
    return diff / (double(x.size()) * meanSquare(x));
}

bool finite(const Signal &x)
{
    for (double v : x) {
        if (!std::isfinite(v))
            return false;
    }
    return true;
}

} // namespace

class tst_CorpusSignals : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void noiseColours();
    void scenesHaveUnitRms_data();
    void scenesHaveUnitRms();
    void eventsHaveUnitPeak_data();
    void eventsHaveUnitPeak();
    void eventLayerPlacesEventsInside();
    void speechTrackFillsTheClip();
};

void tst_CorpusSignals::noiseColours()
{
    Rng rng(11);
    const size_t n = 80000;
    const Signal white = colouredNoise(rng, NoiseColour::White, n);
    const Signal pink = colouredNoise(rng, NoiseColour::Pink, n);
    const Signal brown = colouredNoise(rng, NoiseColour::Brown, n);
    for (const Signal *x : {&white, &pink, &brown}) {
        QCOMPARE(x->size(), n);
        QVERIFY(std::fabs(rms(*x) - 1.0) < 1e-12);
    }
    // White: 2 (independent samples). Brown (leaky integrator, pole 0.98): 2(1 - 0.98) = 0.04.
    QVERIFY2(std::fabs(differenceRatio(white) - 2.0) < 0.05,
             std::to_string(differenceRatio(white)).c_str());
    QVERIFY2(std::fabs(differenceRatio(brown) - 0.04) < 0.01,
             std::to_string(differenceRatio(brown)).c_str());
    const double pinkRatio = differenceRatio(pink);
    QVERIFY2(pinkRatio > 0.1 && pinkRatio < 1.5, std::to_string(pinkRatio).c_str());
}

void tst_CorpusSignals::scenesHaveUnitRms_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<int>("rate");
    for (int rate : {8000, 16000}) {
        for (int kind = 0; kind < 4; ++kind) {
            const std::string name = sceneKindName(SceneKind(kind)) + " " + std::to_string(rate);
            QTest::newRow(name.c_str()) << kind << rate;
        }
    }
}

void tst_CorpusSignals::scenesHaveUnitRms()
{
    QFETCH(int, kind);
    QFETCH(int, rate);
    Rng rng(std::uint64_t(kind * 100 + rate));
    const size_t n = size_t(rate); // one second
    std::vector<Signal> talkers;
    for (int t = 0; t < 3; ++t) {
        Signal talker(n);
        for (size_t i = 0; i < n; ++i)
            talker[i] = std::sin(0.01 * double(i) * (t + 1)) * (i % 3000 < 2000 ? 1.0 : 0.0);
        talkers.push_back(talker);
    }
    const Signal scene = makeScene(rng, SceneKind(kind), rate, n, talkers);
    QCOMPARE(scene.size(), n);
    QVERIFY(finite(scene));
    QVERIFY(std::fabs(rms(scene) - 1.0) < 1e-9);
    // No DC: every scene is high-passed (hum and noise) or made of zero-mean talkers.
    double mean = 0.0;
    for (double v : scene)
        mean += v;
    QVERIFY2(std::fabs(mean / double(n)) < 0.2, std::to_string(mean / double(n)).c_str());
}

void tst_CorpusSignals::eventsHaveUnitPeak_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<double>("maxSeconds");
    QTest::newRow("knock") << int(EventKind::Knock) << 1.2;
    QTest::newRow("click") << int(EventKind::Click) << 1.3;
    QTest::newRow("tone") << int(EventKind::Tone) << 2.6;
    QTest::newRow("burst") << int(EventKind::NoiseBurst) << 1.1;
}

void tst_CorpusSignals::eventsHaveUnitPeak()
{
    QFETCH(int, kind);
    QFETCH(double, maxSeconds);
    for (std::uint64_t seed = 0; seed < 20; ++seed) {
        Rng rng(seed);
        const Signal event = makeEvent(rng, EventKind(kind), 8000);
        QVERIFY(!event.empty());
        QVERIFY(finite(event));
        QVERIFY(std::fabs(peak(event) - 1.0) < 1e-12);
        QVERIFY2(double(event.size()) / 8000 <= maxSeconds, std::to_string(event.size()).c_str());
    }
}

void tst_CorpusSignals::eventLayerPlacesEventsInside()
{
    for (std::uint64_t seed = 0; seed < 30; ++seed) {
        Rng rng(seed);
        const size_t n = 8000;
        const EventLayer layer = makeEventLayer(rng, 8000, n);
        QCOMPARE(layer.samples.size(), n);
        QVERIFY(layer.kinds.size() >= 1 && layer.kinds.size() <= 3);
        QVERIFY(layer.activeSamples > 0 && layer.activeSamples <= n);
        size_t nonZero = 0;
        for (double v : layer.samples)
            nonZero += v != 0.0;
        QVERIFY(nonZero > 0 && nonZero <= layer.activeSamples);
        QVERIFY(peak(layer.samples) <= 3.0); // three unit-peak events at most, each scaled <= 1
    }
}

void tst_CorpusSignals::speechTrackFillsTheClip()
{
    // Two "utterances": 0.5 s and 1 s of constant 0.5 and -0.25.
    const std::vector<std::vector<float>> utterances = {std::vector<float>(4000, 0.5f),
                                                        std::vector<float>(8000, -0.25f)};
    Rng rng(4);
    const size_t n = 32000;
    const Signal track = speechTrack(rng, utterances, 8000, n);
    QCOMPARE(track.size(), n);
    size_t speaking = 0;
    for (double v : track) {
        QVERIFY(v <= 0.5 && v >= -0.25);
        speaking += v != 0.0;
    }
    // Lead-in <= 0.4 s and pauses of 0.15..0.6 s between 0.5..1 s sentences: at least a third
    // of the 4 s clip is speech, and some of it is pause.
    QVERIFY2(speaking > n / 3 && speaking < n, std::to_string(speaking).c_str());
    QCOMPARE(track.back(), 0.0); // faded out at the cut
}

QTEST_GUILESS_MAIN(tst_CorpusSignals)
#include "tst_corpus_signals.moc"
