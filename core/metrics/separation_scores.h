#pragma once

// The scores a report or a validation epoch prints for a batch of separated signals, with the
// original project's conventions (spec models.md §4):
//  * C >= 2 sources: PIT zero-mean SI-SDR; SI-SDRi subtracts the mean over references of the
//    plain (not zero-mean) SI-SDR of the mixture against each reference.
//  * C == 1 source: plain SI-SDR; SI-SDRi = SI-SDR(est, ref) - SI-SDR(mix, ref), both plain.

#include <ATen/core/Tensor.h>

namespace seplab::metrics {

struct SeparationScores
{
    at::Tensor siSdr;       // [B], dB
    at::Tensor perSource;   // [B, C], dB, in reference order
    at::Tensor permutation; // [B, C] int64: estimate index matched to each reference
    at::Tensor siSdri;      // [B], dB; undefined when no mixture was given
};

// est, ref: [B, C, T]; mix: [B, T] or an undefined tensor.
SeparationScores scoreSeparation(const at::Tensor &est,
                                 const at::Tensor &ref,
                                 const at::Tensor &mix = {});

} // namespace seplab::metrics
