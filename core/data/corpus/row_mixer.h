#pragma once

// One corpus row: every PolSESS layer of one clip, levelled and summed into the mixture.

#include "core/data/corpus/events.h"
#include "core/data/corpus/scene_noise.h"
#include "core/data/mmipc.h"

#include <cstdint>
#include <vector>

namespace seplab::data::corpus {

// Every voice's utterances at the corpus rate: utterances[voice][sentence].
struct SpeechPool
{
    int rate = 0;
    std::vector<std::vector<std::vector<float>>> utterances;
};

struct CorpusRow
{
    PolsessLayers layers; // float32 exactly as written; mix is the float sum of the others
    int speaker1 = 0;     // voice indices into corpusVoices()
    int speaker2 = 0;
    SceneKind scene = SceneKind::ColouredNoise;
    std::vector<EventKind> events;
    double rt60 = 0.0; // 0 outdoors
};

// Ranges the levels are drawn from (dB). The SNRs are speech power over the layer's power;
// events are measured where they sound, not over the whole clip.
struct MixLevels
{
    double speechDbfsLo = -29.0, speechDbfsHi = -23.0; // speaker 1's RMS over the clip
    double speakerRatioDb = 5.0;                       // speaker 2 within ±this of speaker 1
    double sceneSnrLo = 5.0, sceneSnrHi = 20.0;
    double eventSnrLo = 0.0, eventSnrHi = 12.0;
    double rt60Lo = 0.2, rt60Hi = 0.8; // seconds
    double speechDrrLo = 0.0, speechDrrHi = 8.0;
    double eventDrrLo = -3.0, eventDrrHi = 6.0;
    double peakLimit = 0.9; // the whole row is scaled down so that no layer and no mix exceeds it
};

// Row `row` of split `split`: a pure function of (pool, seed, split, row, frames), whichever
// thread makes it and in whatever order.
CorpusRow makeRow(const SpeechPool &pool,
                  std::uint64_t seed,
                  int split,
                  int row,
                  std::size_t frames,
                  double indoorFraction,
                  const MixLevels &levels = {});

} // namespace seplab::data::corpus
