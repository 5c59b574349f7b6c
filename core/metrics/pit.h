#pragma once

// Permutation-invariant SI-SDR, as asteroid's PITLossWrapper(pairwise_neg_sisdr, "pw_mtx").

#include <ATen/core/Tensor.h>
#include <vector>

namespace seplab::metrics {

struct PitResult
{
    at::Tensor siSdr;       // [B]: mean over sources of the best assignment, dB, differentiable
    at::Tensor perSource;   // [B, C]: SI-SDR of the estimate matched to each reference, dB
    at::Tensor permutation; // [B, C] int64 (CPU): permutation[b][j] = estimate index for reference j
    at::Tensor reordered;   // [B, C, T]: estimates in reference order, est[b][permutation[b][j]]
};

// est, ref: [B, C, T] with the same C. For C <= 3 the assignment maximising the mean SI-SDR is
// found by trying every permutation (as asteroid does); larger C uses the Hungarian algorithm,
// which finds the same optimum in O(C^3).
PitResult pitSiSdr(const at::Tensor &est, const at::Tensor &ref);

// The SB training loss: minus the batch mean of pitSiSdr(est, ref).siSdr. Scalar.
at::Tensor pitNegSiSdrLoss(const at::Tensor &est, const at::Tensor &ref);

// Best assignment for one [C, C] score matrix (row = estimate, column = reference), maximising
// the sum of matched scores. Returns perm with perm[j] = row matched to column j.
std::vector<int> bestAssignment(const std::vector<std::vector<double>> &scores);

} // namespace seplab::metrics
