#include "core/data/corpus/row_mixer.h"

#include "core/data/corpus/room_reverb.h"
#include "core/data/corpus/speech_track.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace seplab::data::corpus {

namespace {

// Separate random streams per concern, so that changing, say, the event generator leaves the
// speakers and scenes of every row as they were.
enum Stream : std::uint64_t { kChoices = 1, kSpeech1, kSpeech2, kScene, kEvents, kRoom };

double fromDb(double db)
{
    return std::pow(10.0, db / 20.0);
}

std::vector<float> toFloat(const Signal &x)
{
    return std::vector<float>(x.begin(), x.end());
}

// The voices of a babble scene: up to `count` voices other than the row's two speakers.
std::vector<int> babbleVoices(Rng &rng, int voices, int speaker1, int speaker2, int count)
{
    std::vector<int> others;
    for (int v = 0; v < voices; ++v) {
        if (v != speaker1 && v != speaker2)
            others.push_back(v);
    }
    for (int i = int(others.size()) - 1; i > 0; --i)
        std::swap(others[std::size_t(i)], others[std::size_t(rng.uniformInt(0, i))]);
    others.resize(std::min<std::size_t>(others.size(), std::size_t(count)));
    return others;
}

} // namespace

CorpusRow makeRow(const SpeechPool &pool,
                  std::uint64_t seed,
                  int split,
                  int row,
                  std::size_t frames,
                  double indoorFraction,
                  const MixLevels &levels)
{
    const int voices = int(pool.utterances.size());
    if (voices < 2)
        throw std::invalid_argument("makeRow: the speech pool needs at least two voices");
    const int rate = pool.rate;
    const auto stream = [&](Stream which) {
        return Rng::derive({seed, std::uint64_t(split), std::uint64_t(row), which});
    };

    CorpusRow out;
    Rng choices = stream(kChoices);
    out.layers.indoor = choices.chance(indoorFraction);
    out.speaker1 = choices.uniformInt(0, voices - 1);
    out.speaker2 = choices.uniformInt(0, voices - 2);
    if (out.speaker2 >= out.speaker1)
        ++out.speaker2;

    // Speakers: speaker 1 at a sampled level, speaker 2 within ±speakerRatioDb of it.
    Rng speech1 = stream(kSpeech1), speech2 = stream(kSpeech2);
    Signal s1 = speechTrack(speech1, pool.utterances[std::size_t(out.speaker1)], rate, frames);
    Signal s2 = speechTrack(speech2, pool.utterances[std::size_t(out.speaker2)], rate, frames);
    normalizeRms(s1);
    normalizeRms(s2);
    const double level1 = fromDb(choices.uniform(levels.speechDbfsLo, levels.speechDbfsHi));
    const double level2 = level1
                          * fromDb(choices.uniform(-levels.speakerRatioDb, levels.speakerRatioDb));
    scale(s1, level1);
    scale(s2, level2);
    const double speechPower = 0.5 * (level1 * level1 + level2 * level2);

    Rng sceneRng = stream(kScene);
    out.scene = drawSceneKind(sceneRng);
    std::vector<Signal> talkers;
    if (out.scene == SceneKind::Babble) {
        const int count = sceneRng.uniformInt(3, 5);
        for (int voice : babbleVoices(sceneRng, voices, out.speaker1, out.speaker2, count))
            talkers.push_back(
                speechTrack(sceneRng, pool.utterances[std::size_t(voice)], rate, frames, true));
    }
    Signal scene = makeScene(sceneRng, out.scene, rate, frames, talkers);
    scale(scene,
          std::sqrt(speechPower) / fromDb(choices.uniform(levels.sceneSnrLo, levels.sceneSnrHi)));

    Rng eventRng = stream(kEvents);
    EventLayer events = makeEventLayer(eventRng, rate, frames);
    out.events = events.kinds;
    Signal event = std::move(events.samples);
    double eventPower = 0.0;
    for (double v : event)
        eventPower += v * v;
    eventPower /= double(std::max<std::size_t>(1, events.activeSamples));
    if (eventPower > 0.0)
        scale(event,
              std::sqrt(speechPower / eventPower)
                  / fromDb(choices.uniform(levels.eventSnrLo, levels.eventSnrHi)));

    Signal r1, r2, re;
    if (out.layers.indoor) {
        // One room per row; each source stands somewhere else in it, hence its own response
        // and direct-to-reverberant ratio.
        Rng room = stream(kRoom);
        out.rt60 = room.uniform(levels.rt60Lo, levels.rt60Hi);
        std::vector<RoomImpulseResponse> responses;
        responses.push_back(
            makeRoomImpulseResponse(room,
                                    rate,
                                    out.rt60,
                                    room.uniform(levels.speechDrrLo, levels.speechDrrHi)));
        responses.push_back(
            makeRoomImpulseResponse(room,
                                    rate,
                                    out.rt60,
                                    room.uniform(levels.speechDrrLo, levels.speechDrrHi)));
        responses.push_back(
            makeRoomImpulseResponse(room,
                                    rate,
                                    out.rt60,
                                    room.uniform(levels.eventDrrLo, levels.eventDrrHi)));
        std::vector<Signal> wet = reverbComponents({s1, s2, event}, responses);
        r1 = std::move(wet[0]);
        r2 = std::move(wet[1]);
        re = std::move(wet[2]);
    }

    // No layer and no mixture may reach full scale: find the loudest, then scale every layer
    // alike (before rounding to float, so the float mix below is the sum of what is stored).
    std::vector<Signal *> parts = {&s1, &s2, &scene, &event};
    if (out.layers.indoor)
        parts.insert(parts.end(), {&r1, &r2, &re});
    double loudest = 0.0;
    for (std::size_t i = 0; i < frames; ++i) {
        double sum = 0.0;
        for (const Signal *part : parts) {
            sum += (*part)[i];
            loudest = std::max(loudest, std::fabs((*part)[i]));
        }
        loudest = std::max(loudest, std::fabs(sum));
    }
    if (loudest > levels.peakLimit) {
        for (Signal *part : parts)
            scale(*part, levels.peakLimit / loudest);
    }

    PolsessLayers &layers = out.layers;
    layers.speaker1 = toFloat(s1);
    layers.speaker2 = toFloat(s2);
    layers.scene = toFloat(scene);
    layers.event = toFloat(event);
    if (layers.indoor) {
        layers.reverb1 = toFloat(r1);
        layers.reverb2 = toFloat(r2);
        layers.reverbEvent = toFloat(re);
    }
    // The spec's signal model, in float32 and in its order: y = s1+s2+r1+r2+b+e+re indoors,
    // s1+s2+b+e outdoors. Every MM-IPC subtraction of stored layers is then exact to float
    // rounding.
    layers.mix.resize(frames);
    for (std::size_t i = 0; i < frames; ++i) {
        float y = layers.speaker1[i] + layers.speaker2[i];
        if (layers.indoor)
            y = y + layers.reverb1[i] + layers.reverb2[i];
        y = y + layers.scene[i] + layers.event[i];
        if (layers.indoor)
            y = y + layers.reverbEvent[i];
        layers.mix[i] = y;
    }
    return out;
}

} // namespace seplab::data::corpus
