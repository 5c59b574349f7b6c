#include "core/metrics/si_sdr.h"

#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>
#include <torch/torch.h>

namespace seplab::metrics {

namespace {

// torch.finfo(dtype).eps, which torchmetrics adds; the value changes the result of near-perfect
// estimates, so it must follow the estimate's dtype rather than be a constant.
double machineEpsilon(at::ScalarType type)
{
    switch (type) {
    case at::kDouble:
        return std::numeric_limits<double>::epsilon();
    case at::kFloat:
        return std::numeric_limits<float>::epsilon();
    case at::kHalf:
        return 0.0009765625; // 2^-10
    case at::kBFloat16:
        return 0.0078125; // 2^-7
    default:
        throw std::invalid_argument(std::string("SI-SDR needs a floating-point estimate, not ")
                                    + c10::toString(type) + ".");
    }
}

// 10 log10(x). CUDA evaluates log10 of half/bfloat16 in float anyway, but some CPU builds
// (LibTorch 1.13) have no reduced-precision log10 kernel, so do the same explicitly there.
at::Tensor decibels(const at::Tensor &x)
{
    if (x.scalar_type() == at::kHalf || x.scalar_type() == at::kBFloat16)
        return (10.0 * torch::log10(x.to(at::kFloat))).to(x.scalar_type());
    return 10.0 * torch::log10(x);
}

} // namespace

at::Tensor siSdrZeroMean(const at::Tensor &est, const at::Tensor &ref, double eps)
{
    const at::Tensor e = est - est.mean(-1, /*keepdim=*/true);
    const at::Tensor r = ref - ref.mean(-1, /*keepdim=*/true);
    const at::Tensor dot = (e * r).sum(-1, /*keepdim=*/true);
    const at::Tensor refEnergy = r.pow(2).sum(-1, /*keepdim=*/true) + eps;
    const at::Tensor proj = dot / refEnergy * r;
    const at::Tensor noise = e - proj;
    const at::Tensor ratio = proj.pow(2).sum(-1) / (noise.pow(2).sum(-1) + eps);
    return decibels(ratio + eps);
}

at::Tensor siSdrPlain(const at::Tensor &est, const at::Tensor &ref)
{
    const double eps = machineEpsilon(est.scalar_type());
    const at::Tensor alpha = ((est * ref).sum(-1, /*keepdim=*/true) + eps)
                             / (ref.pow(2).sum(-1, /*keepdim=*/true) + eps);
    const at::Tensor targetScaled = alpha * ref;
    const at::Tensor noise = targetScaled - est;
    const at::Tensor val = (targetScaled.pow(2).sum(-1) + eps) / (noise.pow(2).sum(-1) + eps);
    return decibels(val);
}

at::Tensor pairwiseSiSdrZeroMean(const at::Tensor &est, const at::Tensor &ref, double eps)
{
    if (est.dim() != 3 || ref.dim() != 3 || est.size(0) != ref.size(0)
        || est.size(2) != ref.size(2)) {
        std::ostringstream msg;
        msg << "pairwise SI-SDR needs estimates [B, Ce, T] and references [B, Cr, T], but got "
            << est.sizes() << " and " << ref.sizes() << ".";
        throw std::invalid_argument(msg.str());
    }
    // [B, Ce, 1, T] against [B, 1, Cr, T] broadcasts to every (estimate, reference) pair.
    return siSdrZeroMean(est.unsqueeze(2), ref.unsqueeze(1), eps);
}

} // namespace seplab::metrics
