#pragma once

// A speaker's track for one clip, built from that speaker's pooled utterances.

#include "core/data/corpus/rng.h"
#include "core/data/corpus/signal_utils.h"

namespace seplab::data::corpus {

// n samples of one voice: random sentences one after another with short pauses, after a short
// random lead-in, cut at n (with a fade so that the cut does not click). With
// startMidUtterance the track begins partway into its first sentence, as a talker in a crowd
// who was already speaking.
Signal speechTrack(Rng &rng,
                   const std::vector<std::vector<float>> &utterances,
                   int rate,
                   std::size_t n,
                   bool startMidUtterance = false);

} // namespace seplab::data::corpus
