#pragma once

// Separation of a recording of any length with a trained model. A clip up to the chunk length
// goes through the model in one pass. A longer one is cut into chunks that overlap by at least
// the overlap length; since a separator's output order is arbitrary per call, each chunk's
// sources are permuted to continue the sources stitched so far (the assignment that maximises
// the summed normalised correlation on the overlap), then cross-faded into them across the
// overlap. Inputs shorter than the model can take (its encoder kernel, the reflect padding of
// its dilated convolutions) are zero-padded and the estimates trimmed back.

#include "core/separation/long_separation_options.h"

#include <ATen/core/Tensor.h>
#include <cstdint>
#include <vector>

namespace seplab::models {
class Separator;
}

namespace seplab::separation {

// Start offsets of chunks of `chunk` samples covering [0, total): 0, hop, 2 hop, ... with
// hop = chunk - overlap, and a last chunk moved back to end exactly at `total` (so every chunk is
// full length and overlaps its predecessor by at least `overlap`). {0} when total <= chunk.
// Throws std::invalid_argument unless chunk >= 1 and 0 <= overlap < chunk.
std::vector<std::int64_t> planChunks(std::int64_t total, std::int64_t chunk, std::int64_t overlap);

// previous, current: [C, L], the same L samples seen by two chunks. Returns perm with perm[j] =
// the row of `current` that continues row j of `previous`, maximising the sum of normalised
// correlations (metrics::bestAssignment); ties, e.g. silence, keep the identity.
std::vector<int> alignSources(const at::Tensor &previous, const at::Tensor &current);

// The fade-in weights over an overlap of `length` samples, float32 [length], strictly between 0
// and 1; the outgoing chunk is weighted 1 - w, so the two always sum to one.
at::Tensor fadeInWeights(std::int64_t length, Crossfade shape);

struct Stitched
{
    at::Tensor sources;                         // [C, total], float32, CPU
    std::vector<std::vector<int>> permutations; // per chunk, perm[j] = chunk row used for output j
};

// Joins chunk estimates (each [C, length_k], starting at starts[k], in increasing order, the
// first at 0, the last ending at `total`, consecutive chunks overlapping or touching): chunk k
// is aligned with alignSources against the output stitched so far on their overlap, then
// cross-faded over it. Throws std::invalid_argument for chunks that leave a gap.
Stitched stitchChunks(const std::vector<at::Tensor> &chunks,
                      const std::vector<std::int64_t> &starts,
                      std::int64_t total,
                      Crossfade shape = Crossfade::RaisedCosine);

// The fewest input samples `model` accepts: its encoder kernel, and for Conv-TasNet enough
// frames for the reflect padding of its most dilated block.
std::int64_t minimumInputSamples(const models::Separator &model);

struct LongSeparation
{
    at::Tensor sources; // [C, T] float32 on the CPU, T = the mixture's length
    std::size_t chunks = 0;
    std::vector<std::vector<int>> permutations; // per chunk, as in Stitched
};

// mixture: [T] (any device, any float type) at the model's rate `sampleRate`, T >= 1. Runs the
// model on its own device in eval mode without gradients (restoring its training flag after).
// Throws std::invalid_argument for an empty mixture or bad chunk/overlap lengths.
LongSeparation separateLong(models::Separator &model,
                            const at::Tensor &mixture,
                            int sampleRate,
                            const LongSeparationOptions &options = {});

} // namespace seplab::separation
