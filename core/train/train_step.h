#pragma once

// One optimisation step as the original trainer takes it (spec models.md §2): forward under
// autocast (CUDA only), the task's loss, backward through the loss scaler, and — on the last
// batch of an accumulation window — unscale, clip the global gradient norm, step, update the
// scale. Shared by the Trainer and `seplab-cli bench train`, so the benchmark times exactly
// what training runs.

#include "core/models/separator.h"
#include "core/train/loss_scaler.h"

#include <ATen/core/Tensor.h>
#include <c10/core/ScalarType.h>
#include <memory>

namespace torch::optim {
class Optimizer;
}

namespace seplab::train {

struct StepSettings
{
    double gradClipNorm = 5.0; // <= 0: no clipping
    int accumulationSteps = 1;
    bool autocast = false; // CUDA only
    c10::ScalarType autocastDtype = c10::ScalarType::Half;
    bool lossScaling = false; // fp16: a LossScaler guards the step
};

struct StepOutcome
{
    double loss = 0.0;    // the batch's loss before the accumulation division (host value)
    bool finite = true;   // false: the batch was skipped and any accumulated gradient dropped
    bool stepped = false; // the optimiser stepped (false on a skipped or overflowing step)
};

// The training loss: PIT negative zero-mean SI-SDR for 2+ sources, negative plain SI-SDR
// (torchmetrics) for one. est, ref: [B, C, T]. Scalar.
at::Tensor separationLoss(const at::Tensor &est, const at::Tensor &ref);

// Scales all gradients so that their global 2-norm is at most maxNorm, without a host sync
// (as torch.nn.utils.clip_grad_norm_ does with foreach). Returns the norm before clipping.
at::Tensor clipGradNorm(const std::vector<at::Tensor> &parameters, double maxNorm);

class TrainStep
{
public:
    TrainStep(models::Separator &model, torch::optim::Optimizer &optimizer, StepSettings settings);

    // mix [B, T] and targets [B, C, T] on the model's device. `lastOfWindow` closes the
    // accumulation window (the k-th batch, or the epoch's last).
    StepOutcome run(const at::Tensor &mix, const at::Tensor &targets, bool lastOfWindow);

    LossScaler *scaler() { return m_scaler.get(); }
    const StepSettings &settings() const { return m_settings; }

private:
    models::Separator &m_model;
    torch::optim::Optimizer &m_optimizer;
    StepSettings m_settings;
    std::unique_ptr<LossScaler> m_scaler;
    std::vector<at::Tensor> m_parameters;
};

} // namespace seplab::train
