#pragma once

// The loader's own random numbers: a 64-bit generator and uniform draws whose results are fixed
// by this code alone. std::shuffle and std::uniform_int_distribution are implementation-defined,
// so a run would not replay identically across standard libraries; these do, on every platform.

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <vector>

namespace seplab::data {

// One step of SplitMix64 (Steele, Lea & Flood 2014): advances `state` and returns the output.
std::uint64_t splitMix64(std::uint64_t &state);

// Folds several integers into one well-mixed 64-bit seed, so that (seed, epoch, index) tuples
// that differ in any field give unrelated streams.
std::uint64_t mixSeed(std::initializer_list<std::uint64_t> values);

// xoshiro256** (Blackman & Vigna 2018), seeded through SplitMix64 as its authors recommend.
class Xoshiro256
{
public:
    explicit Xoshiro256(std::uint64_t seed);
    // The raw state, for checking against the authors' reference outputs. Not all zero.
    explicit Xoshiro256(const std::array<std::uint64_t, 4> &state);
    std::uint64_t next();

private:
    std::array<std::uint64_t, 4> m_state;
};

// A uniform integer in [0, bound) by rejection (no modulo bias). bound must be > 0.
std::uint64_t uniformBelow(Xoshiro256 &rng, std::uint64_t bound);

// The identity permutation of 0..count-1 shuffled by Fisher-Yates with its own generator.
std::vector<std::size_t> shuffledOrder(std::size_t count, std::uint64_t seed);

} // namespace seplab::data
