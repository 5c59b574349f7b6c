#pragma once

// Scale-invariant SDR in the two conventions the original project mixes (spec models.md §4).
// All functions are batched LibTorch ops over the last (time) dimension and differentiable,
// so the training loss and the reports share this code.

#include <ATen/core/Tensor.h>

namespace seplab::metrics {

// Epsilon of asteroid's pairwise_neg_sisdr, used by the separation (SB) loss.
constexpr double kSiSdrEps = 1e-8;

// Zero-mean SI-SDR (asteroid): both signals are mean-removed, then
//   a = <est, ref> / (|ref|^2 + eps),  SDR = 10 log10(|a ref|^2 / (|est - a ref|^2 + eps) + eps).
// est and ref broadcast over leading dims; the result drops the last dim. dB.
at::Tensor siSdrZeroMean(const at::Tensor &est, const at::Tensor &ref, double eps = kSiSdrEps);

// torchmetrics scale_invariant_signal_distortion_ratio with zero_mean=False:
//   a = (<est, ref> + eps) / (|ref|^2 + eps),  SDR = 10 log10((|a ref|^2 + eps) / (|a ref - est|^2 + eps)),
// where eps is the machine epsilon of est's dtype (finfo(dtype).eps). dB.
at::Tensor siSdrPlain(const at::Tensor &est, const at::Tensor &ref);

// Zero-mean SI-SDR of every estimate against every reference.
// est [B, Ce, T], ref [B, Cr, T] -> [B, Ce, Cr] with entry (b, i, j) = SI-SDR(est_i, ref_j).
at::Tensor pairwiseSiSdrZeroMean(const at::Tensor &est,
                                 const at::Tensor &ref,
                                 double eps = kSiSdrEps);

} // namespace seplab::metrics
