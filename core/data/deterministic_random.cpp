#include "core/data/deterministic_random.h"

#include <algorithm>
#include <numeric>
#include <stdexcept>

namespace seplab::data {

namespace {

std::uint64_t finalise(std::uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

constexpr std::uint64_t kGoldenGamma = 0x9e3779b97f4a7c15ULL;

int bitLength(std::uint64_t n)
{
    int bits = 0;
    while (n) {
        ++bits;
        n >>= 1;
    }
    return bits;
}

} // namespace

std::uint64_t SplitMix64::next()
{
    m_state += kGoldenGamma;
    return finalise(m_state);
}

std::uint64_t SplitMix64::below(std::uint64_t n)
{
    if (n == 0)
        throw std::invalid_argument("SplitMix64::below needs a positive bound.");
    // Values under 2^64 mod n would make the low residues more likely; redraw them.
    const std::uint64_t threshold = (0 - n) % n;
    for (;;) {
        const std::uint64_t x = next();
        if (x >= threshold)
            return x % n;
    }
}

std::uint64_t mixSeed(std::uint64_t a, std::uint64_t b)
{
    return finalise(finalise(a + kGoldenGamma) ^ (b + 2 * kGoldenGamma));
}

std::uint64_t mixSeed(std::uint64_t a, std::uint64_t b, std::uint64_t c)
{
    return mixSeed(mixSeed(a, b), c);
}

std::vector<std::size_t> seededSubset(std::size_t n, std::size_t count, std::uint64_t seed)
{
    std::vector<std::size_t> indices(n);
    std::iota(indices.begin(), indices.end(), std::size_t(0));
    if (count >= n)
        return indices;
    SplitMix64 rng(seed);
    for (std::size_t i = 0; i < count; ++i) {
        const std::size_t j = i + std::size_t(rng.below(n - i));
        std::swap(indices[i], indices[j]);
    }
    indices.resize(count);
    std::sort(indices.begin(), indices.end());
    return indices;
}

PythonRandom::PythonRandom(std::uint64_t seed)
{
    // random_seed(): the absolute value's 32-bit words, least significant first; [0] for 0.
    std::vector<std::uint32_t> key;
    do {
        key.push_back(std::uint32_t(seed & 0xffffffffULL));
        seed >>= 32;
    } while (seed);
    initByArray(key);
}

void PythonRandom::initGenrand(std::uint32_t seed)
{
    m_mt[0] = seed;
    for (int i = 1; i < kN; ++i)
        m_mt[i] = 1812433253U * (m_mt[i - 1] ^ (m_mt[i - 1] >> 30)) + std::uint32_t(i);
    m_index = kN;
}

void PythonRandom::initByArray(const std::vector<std::uint32_t> &key)
{
    initGenrand(19650218U);
    int i = 1;
    std::size_t j = 0;
    for (std::size_t k = std::max<std::size_t>(kN, key.size()); k; --k) {
        m_mt[i] = (m_mt[i] ^ ((m_mt[i - 1] ^ (m_mt[i - 1] >> 30)) * 1664525U)) + key[j]
                  + std::uint32_t(j);
        ++i;
        ++j;
        if (i >= kN) {
            m_mt[0] = m_mt[kN - 1];
            i = 1;
        }
        if (j >= key.size())
            j = 0;
    }
    for (int k = kN - 1; k; --k) {
        m_mt[i] = (m_mt[i] ^ ((m_mt[i - 1] ^ (m_mt[i - 1] >> 30)) * 1566083941U))
                  - std::uint32_t(i);
        ++i;
        if (i >= kN) {
            m_mt[0] = m_mt[kN - 1];
            i = 1;
        }
    }
    m_mt[0] = 0x80000000U;
}

std::uint32_t PythonRandom::nextUint32()
{
    constexpr int kM = 397;
    constexpr std::uint32_t kMatrixA = 0x9908b0dfU;
    constexpr std::uint32_t kUpper = 0x80000000U;
    constexpr std::uint32_t kLower = 0x7fffffffU;
    if (m_index >= kN) {
        for (int k = 0; k < kN; ++k) {
            const std::uint32_t y = (m_mt[k] & kUpper) | (m_mt[(k + 1) % kN] & kLower);
            m_mt[k] = m_mt[(k + kM) % kN] ^ (y >> 1) ^ ((y & 1U) ? kMatrixA : 0U);
        }
        m_index = 0;
    }
    std::uint32_t y = m_mt[m_index++];
    y ^= (y >> 11);
    y ^= (y << 7) & 0x9d2c5680U;
    y ^= (y << 15) & 0xefc60000U;
    y ^= (y >> 18);
    return y;
}

std::uint64_t PythonRandom::getrandbits(int bits)
{
    if (bits < 1 || bits > 64)
        throw std::invalid_argument("PythonRandom::getrandbits takes 1 to 64 bits.");
    // CPython fills 32-bit words least significant first; a partial last word keeps its top bits.
    std::uint64_t value = 0;
    for (int shift = 0; bits > 0; shift += 32, bits -= 32) {
        std::uint32_t word = nextUint32();
        if (bits < 32)
            word >>= (32 - bits);
        value |= std::uint64_t(word) << shift;
    }
    return value;
}

std::uint64_t PythonRandom::randbelow(std::uint64_t n)
{
    if (n == 0)
        throw std::invalid_argument("PythonRandom::randbelow needs a positive bound.");
    const int bits = bitLength(n); // n, not n - 1, as CPython does (so n == 1 works)
    std::uint64_t r = getrandbits(bits);
    while (r >= n)
        r = getrandbits(bits);
    return r;
}

std::size_t pythonChoiceIndex(std::uint64_t seed, std::size_t n)
{
    return std::size_t(PythonRandom(seed).randbelow(n));
}

} // namespace seplab::data
