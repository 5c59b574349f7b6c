#pragma once

// The corpus generator's own random numbers. std::uniform_*_distribution and
// std::normal_distribution are implemented differently by each standard library, so a corpus
// made with them would differ between libstdc++ and libc++ for the same --seed. Everything here
// is defined bit for bit: xoshiro256** seeded through splitmix64, and our own transforms.

#include <cmath>
#include <cstdint>
#include <initializer_list>

namespace seplab::data::corpus {

inline std::uint64_t splitmix64(std::uint64_t &state)
{
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

class Rng
{
public:
    explicit Rng(std::uint64_t seed) { reseed(seed); }

    // A stream that depends only on the given keys, e.g. (seed, split, row, component): the
    // numbers a row draws do not depend on which thread makes it or on the rows before it.
    static Rng derive(std::initializer_list<std::uint64_t> keys)
    {
        std::uint64_t state = 0x5eb1ab5eb1ab5eedULL;
        for (std::uint64_t key : keys) {
            state ^= key;
            state = splitmix64(state);
        }
        return Rng(state);
    }

    std::uint64_t next()
    {
        const std::uint64_t result = rotl(m_s[1] * 5, 7) * 9;
        const std::uint64_t t = m_s[1] << 17;
        m_s[2] ^= m_s[0];
        m_s[3] ^= m_s[1];
        m_s[1] ^= m_s[2];
        m_s[0] ^= m_s[3];
        m_s[2] ^= t;
        m_s[3] = rotl(m_s[3], 45);
        return result;
    }

    // [0, 1) with 53 random bits.
    double uniform() { return double(next() >> 11) * 0x1.0p-53; }
    double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }

    // An integer in [lo, hi], without modulo bias (rejection on the top of the range).
    int uniformInt(int lo, int hi)
    {
        const std::uint64_t span = std::uint64_t(std::int64_t(hi) - lo) + 1;
        const std::uint64_t limit = UINT64_MAX - UINT64_MAX % span;
        std::uint64_t value = next();
        while (value >= limit)
            value = next();
        return int(std::int64_t(lo) + std::int64_t(value % span));
    }

    bool chance(double probability) { return uniform() < probability; }

    // Standard normal by the Marsaglia polar method; the spare value is kept, so the sequence
    // is a pure function of the seed.
    double normal()
    {
        if (m_hasSpare) {
            m_hasSpare = false;
            return m_spare;
        }
        double u = 0.0, v = 0.0, s = 0.0;
        do {
            u = uniform(-1.0, 1.0);
            v = uniform(-1.0, 1.0);
            s = u * u + v * v;
        } while (s >= 1.0 || s == 0.0);
        const double factor = std::sqrt(-2.0 * std::log(s) / s);
        m_spare = v * factor;
        m_hasSpare = true;
        return u * factor;
    }

private:
    static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

    void reseed(std::uint64_t seed)
    {
        std::uint64_t state = seed;
        for (std::uint64_t &word : m_s)
            word = splitmix64(state);
    }

    std::uint64_t m_s[4] = {};
    double m_spare = 0.0;
    bool m_hasSpare = false;
};

} // namespace seplab::data::corpus
