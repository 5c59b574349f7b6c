#pragma once

// Sound events: short foreground sounds at random times (PolSESS's "event" layer).

#include "core/data/corpus/rng.h"
#include "core/data/corpus/signal_utils.h"

#include <string>

namespace seplab::data::corpus {

enum class EventKind {
    Knock,     // a few knocks: decaying resonances with a short noisy attack
    Click,     // a handful of sharp clicks (pen, switch, clock)
    Tone,      // beeps or a decaying two-tone chime
    NoiseBurst // a band-limited noise burst with an attack and a decay (slam, rustle)
};

std::string eventKindName(EventKind kind); // "knock", "click", "tone", "burst"
EventKind drawEventKind(Rng &rng);

// One event with unit peak; its length depends on the kind (tens of ms to about a second).
Signal makeEvent(Rng &rng, EventKind kind, int rate);

struct EventLayer
{
    Signal samples;                // n samples, silent between events
    std::size_t activeSamples = 0; // samples covered by an event, for a level that ignores silence
    std::vector<EventKind> kinds;  // in placement order
};

// One to three events placed at random times in n samples.
EventLayer makeEventLayer(Rng &rng, int rate, std::size_t n);

} // namespace seplab::data::corpus
