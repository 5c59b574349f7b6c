#pragma once

// Independent straight-loop SI-SDR in double precision, written from the formulas in
// spec models.md §4 without LibTorch, so tests can check the batched tensor code against it.

#include <cmath>
#include <cstddef>
#include <limits>
#include <vector>

namespace seplab::test {

inline double meanOf(const std::vector<double> &x)
{
    double sum = 0.0;
    for (double v : x)
        sum += v;
    return sum / static_cast<double>(x.size());
}

// asteroid's pairwise_neg_sisdr (negated back to SI-SDR), one pair at a time.
inline double referenceSiSdrZeroMean(const std::vector<double> &est,
                                     const std::vector<double> &ref,
                                     double eps = 1e-8)
{
    const double estMean = meanOf(est);
    const double refMean = meanOf(ref);
    double dot = 0.0;
    double refEnergy = 0.0;
    for (size_t i = 0; i < est.size(); ++i) {
        dot += (est[i] - estMean) * (ref[i] - refMean);
        refEnergy += (ref[i] - refMean) * (ref[i] - refMean);
    }
    const double alpha = dot / (refEnergy + eps);
    double projEnergy = 0.0;
    double noiseEnergy = 0.0;
    for (size_t i = 0; i < est.size(); ++i) {
        const double proj = alpha * (ref[i] - refMean);
        const double noise = (est[i] - estMean) - proj;
        projEnergy += proj * proj;
        noiseEnergy += noise * noise;
    }
    return 10.0 * std::log10(projEnergy / (noiseEnergy + eps) + eps);
}

// torchmetrics scale_invariant_signal_distortion_ratio(zero_mean=False), float64 epsilon.
inline double referenceSiSdrPlain(const std::vector<double> &est,
                                  const std::vector<double> &ref,
                                  double eps = std::numeric_limits<double>::epsilon())
{
    double dot = 0.0;
    double refEnergy = 0.0;
    for (size_t i = 0; i < est.size(); ++i) {
        dot += est[i] * ref[i];
        refEnergy += ref[i] * ref[i];
    }
    const double alpha = (dot + eps) / (refEnergy + eps);
    double scaledEnergy = 0.0;
    double noiseEnergy = 0.0;
    for (size_t i = 0; i < est.size(); ++i) {
        const double scaled = alpha * ref[i];
        scaledEnergy += scaled * scaled;
        noiseEnergy += (scaled - est[i]) * (scaled - est[i]);
    }
    return 10.0 * std::log10((scaledEnergy + eps) / (noiseEnergy + eps));
}

} // namespace seplab::test
