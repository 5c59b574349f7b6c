#pragma once

// FNV-1a, 64 bit: the manifest digest of every dataset (Dataset::manifestHash). It streams, so
// hashing A and then B from A's result equals hashing the bytes of A followed by B.

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace seplab::data {

constexpr std::uint64_t kFnv1aOffset = 14695981039346656037ULL;
constexpr std::uint64_t kFnv1aPrime = 1099511628211ULL;

inline std::uint64_t fnv1a(std::string_view bytes, std::uint64_t hash = kFnv1aOffset)
{
    for (const char c : bytes) {
        hash ^= std::uint64_t(static_cast<unsigned char>(c));
        hash *= kFnv1aPrime;
    }
    return hash;
}

// 16 lower-case hex digits.
inline std::string hex16(std::uint64_t value)
{
    char text[17];
    std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(value));
    return text;
}

} // namespace seplab::data
