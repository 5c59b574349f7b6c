#pragma once

// Mamba's selective scan (spec models.md §1.5) as a custom autograd function, so SPMamba trains
// wherever LibTorch runs, without mamba-ssm's CUDA kernel:
//
//   delta = softplus(delta_raw + delta_bias)                       (threshold 20)
//   h_t[d,n] = exp(delta_t[d] A[d,n]) h_{t-1}[d,n] + delta_t[d] B_t[n] u_t[d],   h_{-1} = 0
//   y_t[d]  = (sum_n C_t[n] h_t[d,n] + D[d] u_t[d]) * silu(z_t[d])
//
// The recurrence runs in fp32 (fp64 for fp64 input) and the result is cast back to u's dtype.
// Autograd would keep every step's [batch, d, N] state; instead the forward keeps only the state
// at the start of each chunk of steps, and the backward recomputes one chunk at a time and runs
// the reverse recurrence on it, so memory stays bounded by (steps / chunk + chunk) states.

#include <ATen/core/Tensor.h>
#include <cstdint>

namespace seplab::models {

// Which implementation runs. Automatic: the fused kernels of selective_scan_cpu.h for CPU
// tensors, LibTorch ops elsewhere (CUDA). TensorOps forces the LibTorch ops, so that tests check
// both paths against one reference on a CPU.
enum class ScanPath { Automatic, TensorOps };

// u, deltaRaw, z: [batch, d, L]; A: [d, N]; B, C: [batch, N, L]; D, deltaBias: [d].
// z may be undefined (no gate). chunk: steps between saved states; 0 picks one from the shapes.
at::Tensor selectiveScan(const at::Tensor &u,
                         const at::Tensor &deltaRaw,
                         const at::Tensor &A,
                         const at::Tensor &B,
                         const at::Tensor &C,
                         const at::Tensor &D,
                         const at::Tensor &z,
                         const at::Tensor &deltaBias,
                         std::int64_t chunk = 0,
                         ScanPath path = ScanPath::Automatic);

// The chunk length selectiveScan uses for `steps` steps of `stateElements` (batch * d * N) when
// asked for 0: about sqrt(3 L), fewer when one chunk's temporaries would pass 2^25 elements.
std::int64_t defaultScanChunk(std::int64_t steps, std::int64_t stateElements);

// Wall time spent inside the scan (forward and backward), for `bench train`. While enabled, each
// call synchronises the device before and after itself, so enable it only to measure.
void setScanTiming(bool enabled);
double scanSeconds();
void resetScanSeconds();

} // namespace seplab::models
