#include "core/data/variant_choice.h"

#include "core/data/deterministic_random.h"

#include <stdexcept>

namespace seplab::data {

namespace {

// Keeps the training draws apart from other streams derived from the same user seed (the
// seeded subset uses another).
constexpr std::uint64_t kVariantStream = 0x76617269616e7473ULL; // "variants"

void requireCandidates(const std::vector<Variant> &candidates)
{
    if (candidates.empty())
        throw std::invalid_argument("no MM-IPC variant to choose from.");
}

} // namespace

std::vector<Variant> variantCandidates(const std::vector<Variant> &allowed, bool indoor)
{
    if (allowed.empty())
        return indoor ? indoorVariants() : outdoorVariants();
    std::vector<Variant> candidates;
    for (Variant variant : allowed) {
        if (variantApplies(variant, indoor))
            candidates.push_back(variant);
    }
    return candidates;
}

Variant chooseVariantPerIndex(const std::vector<Variant> &candidates, std::size_t index)
{
    requireCandidates(candidates);
    return candidates[pythonChoiceIndex(std::uint64_t(index), candidates.size())];
}

Variant chooseVariantPerEpoch(const std::vector<Variant> &candidates,
                              std::uint64_t seed,
                              int epoch,
                              std::size_t index)
{
    requireCandidates(candidates);
    SplitMix64 rng(mixSeed(mixSeed(seed, kVariantStream),
                           std::uint64_t(std::int64_t(epoch)),
                           std::uint64_t(index)));
    return candidates[std::size_t(rng.below(candidates.size()))];
}

} // namespace seplab::data
