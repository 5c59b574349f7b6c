#pragma once

// SpeechBrain's dual-path chunking (dual_path.py `_Segmentation` / `_over_add`), shared by DPRNN
// and SepFormer. Chunks of K frames with hop P = K/2.

#include <ATen/core/Tensor.h>
#include <cstdint>

namespace seplab::models {

struct Segmented
{
    at::Tensor chunks;    // [B, N, K, S]
    std::int64_t gap = 0; // zeros appended at the end before chunking, in 1..K
};

// [B, N, L] -> [B, N, K, S]. Pads `gap = K - (P + L mod K) mod K` zeros at the end and P zeros on
// both sides, then interleaves the two half-shifted views so chunk j starts at j*P.
Segmented segment(const at::Tensor &frames, std::int64_t chunkSize);

// The inverse arrangement: [B, N, K, S] -> [B, N, L]. Every frame lies in two chunks, so
// overlapAdd(segment(x)) == 2 x.
at::Tensor overlapAdd(const at::Tensor &chunks, std::int64_t gap);

} // namespace seplab::models
