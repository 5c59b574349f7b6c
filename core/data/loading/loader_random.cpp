#include "core/data/loading/loader_random.h"

#include <numeric>
#include <utility>

namespace seplab::data {

namespace {

std::uint64_t rotateLeft(std::uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

} // namespace

std::uint64_t splitMix64(std::uint64_t &state)
{
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

std::uint64_t mixSeed(std::initializer_list<std::uint64_t> values)
{
    // Each value is absorbed by feeding it through a SplitMix64 step, so the order matters and
    // (a, b) never collides with (b, a) by construction.
    std::uint64_t state = 0x5345504c41424c44ULL; // "SEPLABLD"
    for (std::uint64_t value : values) {
        state ^= value;
        state = splitMix64(state);
    }
    return state;
}

Xoshiro256::Xoshiro256(std::uint64_t seed)
{
    for (std::uint64_t &word : m_state)
        word = splitMix64(seed);
}

Xoshiro256::Xoshiro256(const std::array<std::uint64_t, 4> &state)
    : m_state(state)
{}

std::uint64_t Xoshiro256::next()
{
    const std::uint64_t result = rotateLeft(m_state[1] * 5, 7) * 9;
    const std::uint64_t t = m_state[1] << 17;
    m_state[2] ^= m_state[0];
    m_state[3] ^= m_state[1];
    m_state[1] ^= m_state[2];
    m_state[0] ^= m_state[3];
    m_state[2] ^= t;
    m_state[3] = rotateLeft(m_state[3], 45);
    return result;
}

std::uint64_t uniformBelow(Xoshiro256 &rng, std::uint64_t bound)
{
    // Values below `threshold` would make some residues one more likely than others; with
    // 2^64 mod bound of them out of 2^64 draws, a retry is almost never needed.
    const std::uint64_t threshold = (0 - bound) % bound;
    for (;;) {
        const std::uint64_t x = rng.next();
        if (x >= threshold)
            return x % bound;
    }
}

std::vector<std::size_t> shuffledOrder(std::size_t count, std::uint64_t seed)
{
    std::vector<std::size_t> order(count);
    std::iota(order.begin(), order.end(), std::size_t(0));
    Xoshiro256 rng(seed);
    for (std::size_t i = count; i > 1; --i) {
        const std::size_t j = std::size_t(uniformBelow(rng, i));
        std::swap(order[i - 1], order[j]);
    }
    return order;
}

} // namespace seplab::data
