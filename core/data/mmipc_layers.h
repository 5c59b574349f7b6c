#pragma once

// Which stored PolSESS layers one (variant, task, environment) subtracts from the mixture: the
// single statement of spec models.md §3.1's table and task rules, shared by composeExample and
// by the dataset, which loads only the layers a draw needs.

#include "core/data/mmipc.h"

namespace seplab::data {

struct RemovedLayers
{
    bool scene = false;       // b
    bool event = false;       // e
    bool reverbEvent = false; // re (indoor only)
    bool reverb1 = false;     // r1 (indoor only)
    bool reverb2 = false;     // r2 (indoor only)
    bool speaker2 = false;    // s2 (task ES)
};

// Throws std::invalid_argument when the variant does not apply to the environment.
RemovedLayers removedLayers(Variant variant, Task task, bool indoor);

} // namespace seplab::data
