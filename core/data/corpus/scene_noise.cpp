#include "core/data/corpus/scene_noise.h"

#include <algorithm>
#include <cmath>

namespace seplab::data::corpus {

namespace {

constexpr double kPi = 3.14159265358979323846;
// Scenes carry no DC or sub-audio rumble: a loudspeaker could not play it, and it would
// dominate the RMS used to set the scene's SNR.
constexpr double kRumbleCutHz = 30.0;

NoiseColour drawColour(Rng &rng)
{
    return NoiseColour(rng.uniformInt(0, 2));
}

Signal filteredNoise(Rng &rng, int rate, std::size_t n)
{
    Signal noise = colouredNoise(rng, drawColour(rng), n);
    if (rng.chance(0.6))
        onePoleLowpass(noise, rng.uniform(300.0, 0.4 * rate), rate);
    onePoleHighpass(noise, rng.chance(0.4) ? rng.uniform(100.0, 400.0) : kRumbleCutHz, rate);
    return noise;
}

Signal modulatedNoise(Rng &rng, int rate, std::size_t n)
{
    Signal noise = filteredNoise(rng, rate, n);
    // Two slow sinusoids give an irregular swell rather than an obvious tremolo.
    const double f1 = rng.uniform(0.1, 0.8), f2 = rng.uniform(0.8, 3.0);
    const double p1 = rng.uniform(0.0, 2.0 * kPi), p2 = rng.uniform(0.0, 2.0 * kPi);
    const double d1 = rng.uniform(0.3, 0.7), d2 = rng.uniform(0.1, 0.3);
    for (std::size_t i = 0; i < n; ++i) {
        const double t = double(i) / rate;
        const double envelope = 1.0 + d1 * std::sin(2.0 * kPi * f1 * t + p1)
                                + d2 * std::sin(2.0 * kPi * f2 * t + p2);
        noise[i] *= std::max(0.05, envelope);
    }
    return noise;
}

Signal babble(Rng &rng, int rate, std::size_t n, const std::vector<Signal> &talkers)
{
    Signal sum(n, 0.0);
    for (const Signal &talker : talkers)
        addAt(sum, talker, 0, rng.uniform(0.5, 1.0) / std::max(rms(talker), 1e-9));
    // Distant talkers lose their highs.
    onePoleLowpass(sum, rng.uniform(1000.0, std::min(3000.0, 0.4 * rate)), rate);
    return sum;
}

Signal hum(Rng &rng, int rate, std::size_t n)
{
    const double fundamental = rng.chance(0.5) ? 50.0 : 60.0;
    const double detune = rng.uniform(-0.5, 0.5);
    Signal out(n, 0.0);
    for (int k = 1; k <= 8 && k * fundamental < 0.45 * rate; ++k) {
        const double amplitude = rng.uniform(0.2, 1.0) / k;
        const double phase = rng.uniform(0.0, 2.0 * kPi);
        const double f = k * (fundamental + detune);
        for (std::size_t i = 0; i < n; ++i)
            out[i] += amplitude * std::sin(2.0 * kPi * f * double(i) / rate + phase);
    }
    normalizeRms(out);
    Signal noise = colouredNoise(rng, NoiseColour::Brown, n);
    addAt(out, noise, 0, rng.uniform(0.1, 0.5));
    onePoleHighpass(out, kRumbleCutHz, rate);
    return out;
}

} // namespace

std::string sceneKindName(SceneKind kind)
{
    switch (kind) {
    case SceneKind::ColouredNoise:
        return "noise";
    case SceneKind::ModulatedNoise:
        return "modulated";
    case SceneKind::Babble:
        return "babble";
    case SceneKind::Hum:
        return "hum";
    }
    return "scene";
}

SceneKind drawSceneKind(Rng &rng)
{
    const double u = rng.uniform();
    if (u < 0.35)
        return SceneKind::ColouredNoise;
    if (u < 0.6)
        return SceneKind::ModulatedNoise;
    if (u < 0.85)
        return SceneKind::Babble;
    return SceneKind::Hum;
}

Signal colouredNoise(Rng &rng, NoiseColour colour, std::size_t n)
{
    Signal out(n);
    // Paul Kellet's economy pink filter (three leaky integrators); brown is one leaky
    // integrator, leaky so that it cannot wander off.
    double b0 = 0.0, b1 = 0.0, b2 = 0.0, brown = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        const double white = rng.normal();
        switch (colour) {
        case NoiseColour::White:
            out[i] = white;
            break;
        case NoiseColour::Pink:
            b0 = 0.99765 * b0 + white * 0.0990460;
            b1 = 0.96300 * b1 + white * 0.2965164;
            b2 = 0.57000 * b2 + white * 1.0526913;
            out[i] = b0 + b1 + b2 + white * 0.1848;
            break;
        case NoiseColour::Brown:
            brown = 0.98 * brown + white;
            out[i] = brown;
            break;
        }
    }
    normalizeRms(out);
    return out;
}

Signal makeScene(
    Rng &rng, SceneKind kind, int rate, std::size_t n, const std::vector<Signal> &talkers)
{
    Signal scene;
    switch (kind) {
    case SceneKind::ColouredNoise:
        scene = filteredNoise(rng, rate, n);
        break;
    case SceneKind::ModulatedNoise:
        scene = modulatedNoise(rng, rate, n);
        break;
    case SceneKind::Babble:
        scene = talkers.empty() ? filteredNoise(rng, rate, n) : babble(rng, rate, n, talkers);
        break;
    case SceneKind::Hum:
        scene = hum(rng, rate, n);
        break;
    }
    normalizeRms(scene);
    return scene;
}

} // namespace seplab::data::corpus
