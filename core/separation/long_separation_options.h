#pragma once

// The knobs of long-recording separation (long_separation.h), torch-free so that the GUI and the
// CLI can hold them without the tensor headers.

namespace seplab::separation {

enum class Crossfade {
    Linear,      // w = (i+1)/(n+1)
    RaisedCosine // w = (1 - cos(pi (i+1)/(n+1))) / 2 (default)
};

struct LongSeparationOptions
{
    double chunkSeconds = 8.0;   // longer inputs are separated in chunks of this length
    double overlapSeconds = 1.0; // at least this much is shared by consecutive chunks
    Crossfade crossfade = Crossfade::RaisedCosine;
};

} // namespace seplab::separation
