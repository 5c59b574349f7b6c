#pragma once

// Which MM-IPC variant a row gets (spec models.md §3.1, "Variant choice").

#include "core/data/mmipc.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace seplab::data {

// allowed ∩ the environment's list, in the order (and with the repeats) of `allowed`, as the
// original's list comprehension builds it; every variant of the environment when `allowed` is
// empty. May be empty.
std::vector<Variant> variantCandidates(const std::vector<Variant> &allowed, bool indoor);

// Validation/test: exactly Python's random.Random(index).choice(candidates), so per-variant
// validation sets match the original's. Candidates must not be empty.
Variant chooseVariantPerIndex(const std::vector<Variant> &candidates, std::size_t index);

// Training: a draw that depends only on (seed, epoch, index), whichever thread asks.
Variant chooseVariantPerEpoch(const std::vector<Variant> &candidates,
                              std::uint64_t seed,
                              int epoch,
                              std::size_t index);

} // namespace seplab::data
