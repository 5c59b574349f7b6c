#include "core/metrics/separation_scores.h"

#include "core/metrics/pit.h"
#include "core/metrics/si_sdr.h"

#include <sstream>
#include <stdexcept>
#include <torch/torch.h>

namespace seplab::metrics {

namespace {

void checkShapes(const at::Tensor &est, const at::Tensor &ref, const at::Tensor &mix)
{
    std::ostringstream msg;
    if (est.dim() != 3 || est.size(1) < 1) {
        msg << "estimates have shape " << est.sizes() << " but must be [B, C, T] with C >= 1.";
    } else if (!est.sizes().equals(ref.sizes())) {
        msg << "estimates have shape " << est.sizes() << " but references have " << ref.sizes()
            << ".";
    } else if (mix.defined()
               && (mix.dim() != 2 || mix.size(0) != est.size(0) || mix.size(1) != est.size(2))) {
        msg << "the mixture has shape " << mix.sizes() << " but estimates of shape " << est.sizes()
            << " need a mixture of shape [" << est.size(0) << ", " << est.size(2) << "].";
    } else {
        return;
    }
    throw std::invalid_argument(msg.str());
}

} // namespace

SeparationScores scoreSeparation(const at::Tensor &est, const at::Tensor &ref, const at::Tensor &mix)
{
    checkShapes(est, ref, mix);
    SeparationScores scores;
    if (est.size(1) == 1) {
        const at::Tensor target = ref.select(1, 0);
        scores.siSdr = siSdrPlain(est.select(1, 0), target);
        scores.perSource = scores.siSdr.unsqueeze(1);
        scores.permutation = torch::zeros({est.size(0), 1}, torch::kLong);
        if (mix.defined())
            scores.siSdri = scores.siSdr - siSdrPlain(mix, target);
        return scores;
    }

    PitResult pit = pitSiSdr(est, ref);
    scores.siSdr = pit.siSdr;
    scores.perSource = pit.perSource;
    scores.permutation = pit.permutation;
    // The baseline is the plain SI-SDR even though the estimate is scored zero-mean: that is what
    // the original project reports, and the numbers must stay comparable with it.
    if (mix.defined())
        scores.siSdri = scores.siSdr - siSdrPlain(mix.unsqueeze(1), ref).mean(-1);
    return scores;
}

} // namespace seplab::metrics
