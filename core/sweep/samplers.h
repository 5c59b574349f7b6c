#pragma once

// W&B's grid and random search (spec hpo.md §1(c)), seeded.
//
// A configuration is a JSON object {name: value}, nested parameters as nested objects.
// Parameters are taken in W&B's order: names sorted, the last varying fastest in a grid.

#include "core/sweep/search_space.h"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

namespace seplab::sweep {

// The number of grid configurations (the product of every parameter's grid values). Throws
// std::invalid_argument naming the first parameter a grid cannot take (any form but value,
// values, int_uniform and q_uniform; values with probabilities included).
std::uint64_t gridSize(const SearchSpace &space);

// Every grid configuration in order. Throws as gridSize does.
std::vector<nlohmann::json> gridConfigurations(const SearchSpace &space);

// The index-th grid configuration (0-based), or nullopt past the end.
std::optional<nlohmann::json> gridConfiguration(const SearchSpace &space, std::uint64_t index);

// Random search: every parameter drawn independently through its inverse CDF from one uniform
// number. Trial `trial` of seed `seed` is the same configuration wherever and whenever it is
// drawn, so a resumed sweep continues the same sequence; each parameter draws from its own
// stream (seed, trial, name), so adding a parameter leaves the others' values unchanged.
class RandomSampler
{
public:
    RandomSampler(SearchSpace space, std::uint64_t seed);

    // The configuration of trial `trial` (0-based).
    nlohmann::json configuration(std::uint64_t trial) const;
    // The next configuration (trial 0, 1, 2, ...).
    nlohmann::json next();

    const SearchSpace &space() const { return m_space; }
    std::uint64_t seed() const { return m_seed; }
    std::uint64_t drawn() const { return m_next; }

private:
    SearchSpace m_space;
    std::uint64_t m_seed;
    std::uint64_t m_next = 0;
};

} // namespace seplab::sweep
