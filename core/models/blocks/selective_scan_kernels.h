#pragma once

// The loops of the fused CPU selective scan (selective_scan_cpu.h), over raw memory and without
// LibTorch, so that their file alone is built with -O3 -ffast-math: that lets GCC vectorise the
// loop over the N states, exp included (glibc's libmvec), which is most of the scan's time.
// Shapes and layouts are those of selective_scan_cpu.h; every pointer is to contiguous memory.

#include <cstdint>

namespace seplab::models::scan_kernels {

struct Shape
{
    std::int64_t batch, d, L, N, chunk, chunks;
};

template<typename T>
struct Tensors
{
    // Inputs.
    const T *u, *delta, *slope, *A, *B, *C, *D, *z,
        *g; // slope and g: backward only; z: may be null
    // Forward outputs: y, and the state before each chunk (read back by the backward).
    T *y, *boundary;
    // Backward outputs. gB and gC sum over channels and must start at zero; gAParts ([b, d, N])
    // and gDParts ([b, d]) are per sequence, summed over sequences by the caller.
    T *gu, *gDeltaRaw, *gB, *gC, *gz, *gAParts, *gDParts;
};

// Channels (sequence * d + channel) [begin, end) of the forward.
template<typename T>
void forwardChannels(const Shape &s, const Tensors<T> &t, std::int64_t begin, std::int64_t end);

// Sequences [begin, end) of the backward: a sequence's channels all add into its gB and gC rows.
template<typename T>
void backwardSequences(const Shape &s, const Tensors<T> &t, std::int64_t begin, std::int64_t end);

} // namespace seplab::models::scan_kernels
