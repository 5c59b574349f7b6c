#pragma once

// Synthetic rooms: impulse responses with a chosen reverberation time, and the reverberation
// they add to a dry source (PolSESS stores it apart from the dry signal: sp1_reverb/ etc.).

#include "core/data/corpus/rng.h"
#include "core/data/corpus/signal_utils.h"

namespace seplab::data::corpus {

struct RoomImpulseResponse
{
    // taps[0] is the direct path, exactly 1: the dry signal is the source as heard along the
    // direct path, so wet − dry is everything the room adds.
    Signal taps;
    double rt60 = 0.0;  // seconds for the energy to fall by 60 dB
    double drrDb = 0.0; // direct-to-reverberant energy ratio
};

// A direct path, a few early reflections, then a noise tail whose energy decays by 60 dB in
// rt60 seconds (the textbook exponential model), scaled to the requested direct-to-reverberant
// ratio. The response is rt60 seconds long (the tail is -60 dB there).
RoomImpulseResponse makeRoomImpulseResponse(Rng &rng, int rate, double rt60, double drrDb);

// For each (dry, response) pair, (dry * response) − dry over the dry signal's length: the room's
// reverberation alone. FFT convolution (LibTorch), in double precision.
std::vector<Signal> reverbComponents(const std::vector<Signal> &dry,
                                     const std::vector<RoomImpulseResponse> &responses);

} // namespace seplab::data::corpus
