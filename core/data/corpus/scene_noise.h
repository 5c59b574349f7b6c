#pragma once

// Background scenes: the steady texture under the speakers (PolSESS's "scene" layer).

#include "core/data/corpus/rng.h"
#include "core/data/corpus/signal_utils.h"

#include <string>

namespace seplab::data::corpus {

enum class SceneKind {
    ColouredNoise,  // white, pink or brown noise through random low/high-pass filters
    ModulatedNoise, // coloured noise whose level swells and fades (wind, passing traffic)
    Babble,         // several distant talkers
    Hum             // mains/machine hum with harmonics over a little brown noise
};

std::string sceneKindName(SceneKind kind); // "noise", "modulated", "babble", "hum"
SceneKind drawSceneKind(Rng &rng);

enum class NoiseColour { White, Pink, Brown };

// Unit-RMS noise of n samples.
Signal colouredNoise(Rng &rng, NoiseColour colour, std::size_t n);

// A unit-RMS scene of n samples. Babble sums `talkers` (speech tracks of n samples from voices
// other than the row's speakers); the other kinds ignore them.
Signal makeScene(
    Rng &rng, SceneKind kind, int rate, std::size_t n, const std::vector<Signal> &talkers);

} // namespace seplab::data::corpus
