#pragma once

// Random choices that must come out the same on every machine and standard library, so they
// are written out here rather than taken from <random>'s distributions (whose algorithms the
// standard leaves to each library).

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace seplab::data {

// splitmix64 (Steele, Lea, Flood 2014): a tiny generator whose every seed is a good one.
class SplitMix64
{
public:
    explicit SplitMix64(std::uint64_t seed)
        : m_state(seed)
    {}

    std::uint64_t next();
    // Uniform in [0, n) by rejection, without modulo bias. n must be > 0.
    std::uint64_t below(std::uint64_t n);

private:
    std::uint64_t m_state;
};

// One 64-bit value from several, each mixed through splitmix64's finaliser, so nearby inputs
// such as consecutive epochs or indices give unrelated streams.
std::uint64_t mixSeed(std::uint64_t a, std::uint64_t b);
std::uint64_t mixSeed(std::uint64_t a, std::uint64_t b, std::uint64_t c);

// `count` distinct indices of [0, n) drawn by a partial Fisher-Yates shuffle seeded with `seed`,
// returned in ascending order. count >= n returns every index.
std::vector<std::size_t> seededSubset(std::size_t n, std::size_t count, std::uint64_t seed);

// CPython's random.Random for an integer seed: MT19937 seeded by init_by_array with the seed's
// 32-bit words, least significant first. Enough of it to reproduce random.Random(i).choice(seq).
class PythonRandom
{
public:
    explicit PythonRandom(std::uint64_t seed);

    std::uint32_t nextUint32();               // genrand_uint32
    std::uint64_t getrandbits(int bits);      // 1..64
    std::uint64_t randbelow(std::uint64_t n); // _randbelow_with_getrandbits; n > 0

private:
    void initGenrand(std::uint32_t seed);
    void initByArray(const std::vector<std::uint32_t> &key);

    static constexpr int kN = 624;
    std::array<std::uint32_t, kN> m_mt{};
    int m_index = kN + 1;
};

// The index random.Random(seed).choice(seq) picks from a sequence of n elements.
std::size_t pythonChoiceIndex(std::uint64_t seed, std::size_t n);

} // namespace seplab::data
