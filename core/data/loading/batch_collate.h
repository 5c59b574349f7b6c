#pragma once

// Stacks the examples of one batch into tensors, cropping or padding each to the batch length
// the options call for. A pure function of its inputs, so whichever loader thread runs it, the
// batch is the same.

#include "core/data/dataset.h"
#include "core/data/loading/data_loader.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace seplab::data {

// The start of the crop window for a clip with `slack` samples more than the window holds:
// uniform in [0, slack], drawn from (seed, epoch, index) alone.
std::int64_t randomCropOffset(std::uint64_t seed, int epoch, std::size_t index, std::int64_t slack);

// The common length T of a batch whose longest clip has `longest` samples.
std::int64_t batchLength(const LoaderOptions &options, std::int64_t longest);

// examples[i] is dataset item indices[i] as read for `epoch`. Throws std::runtime_error naming
// the example when its targets disagree with its mixture in length or with the batch in count.
Batch collateBatch(std::vector<Example> examples,
                   const std::vector<std::size_t> &indices,
                   int epoch,
                   const LoaderOptions &options);

} // namespace seplab::data
