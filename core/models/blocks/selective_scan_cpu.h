#pragma once

// The selective scan's fused CPU kernels: the same recurrence, chunking and saved states as the
// tensor-op path in selective_scan.cpp, but one loop per (sequence, channel) over raw memory.
// The tensor-op path materialises [b, d, chunk, N] decay and state tensors and dispatches a few
// ops per time step; on a CPU that traffic and overhead dominate SPMamba's training step. Here a
// channel's N states live in registers or L1 while the loop walks time, and the work is spread
// over LibTorch's intra-op threads. The loops themselves are in selective_scan_kernels.h.
//
// Every tensor is CPU, contiguous and in the compute dtype (float or double):
//   u, delta, slope, z, g: [b, d, L];  A: [d, N];  B, C: [b, L, N] (time-major);  D: [d];
//   boundary: [chunks, b, d, N], the state before each chunk. z may be undefined (no gate).

#include <ATen/core/Tensor.h>
#include <cstdint>

namespace seplab::models {

struct ScanCpuOutput
{
    at::Tensor y;        // [b, d, L], gate applied
    at::Tensor boundary; // [chunks, b, d, N]
};

ScanCpuOutput selectiveScanForwardCpu(const at::Tensor &u,
                                      const at::Tensor &delta,
                                      const at::Tensor &A,
                                      const at::Tensor &B,
                                      const at::Tensor &C,
                                      const at::Tensor &D,
                                      const at::Tensor &z,
                                      std::int64_t chunk);

// The scan's gradients in the compute dtype; the LibTorch-op path fills the same struct.
struct ScanGrads
{
    at::Tensor u, deltaRaw; // [b, d, L]; deltaRaw is d/d(delta) times the softplus slope
    at::Tensor A;           // [d, N]
    at::Tensor B, C;        // [b, L, N]
    at::Tensor D;           // [d]
    at::Tensor z;           // [b, d, L], undefined without a gate
};

ScanGrads selectiveScanBackwardCpu(const at::Tensor &u,
                                   const at::Tensor &delta,
                                   const at::Tensor &slope,
                                   const at::Tensor &A,
                                   const at::Tensor &B,
                                   const at::Tensor &C,
                                   const at::Tensor &D,
                                   const at::Tensor &z,
                                   const at::Tensor &boundary,
                                   const at::Tensor &g,
                                   std::int64_t chunk);

} // namespace seplab::models
