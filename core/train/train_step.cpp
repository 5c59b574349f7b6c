#include "core/train/train_step.h"

#include "core/metrics/pit.h"
#include "core/metrics/si_sdr.h"
#include "core/train/autocast_scope.h"

#include <torch/torch.h>

namespace seplab::train {

at::Tensor separationLoss(const at::Tensor &est, const at::Tensor &ref)
{
    if (est.size(1) >= 2)
        return metrics::pitNegSiSdrLoss(est, ref);
    return -metrics::siSdrPlain(est.select(1, 0), ref.select(1, 0)).mean();
}

at::Tensor clipGradNorm(const std::vector<at::Tensor> &parameters, double maxNorm)
{
    torch::NoGradGuard noGrad;
    std::vector<at::Tensor> norms;
    for (const at::Tensor &parameter : parameters) {
        if (parameter.grad().defined())
            norms.push_back(parameter.grad().detach().norm(2).to(torch::kFloat));
    }
    if (norms.empty())
        return torch::zeros({});
    const at::Tensor total = torch::stack(norms).norm(2);
    // Never scales up: the coefficient is capped at 1, as PyTorch's is.
    const at::Tensor coefficient = (maxNorm / (total + 1e-6)).clamp_max(1.0);
    for (const at::Tensor &parameter : parameters) {
        at::Tensor grad = parameter.grad();
        if (grad.defined())
            grad.detach().mul_(coefficient.to(grad.scalar_type()));
    }
    return total;
}

TrainStep::TrainStep(models::Separator &model,
                     torch::optim::Optimizer &optimizer,
                     StepSettings settings)
    : m_model(model)
    , m_optimizer(optimizer)
    , m_settings(settings)
    , m_parameters(model.parameters())
{
    if (m_settings.lossScaling)
        m_scaler = std::make_unique<LossScaler>();
}

StepOutcome TrainStep::run(const at::Tensor &mix, const at::Tensor &targets, bool lastOfWindow)
{
    StepOutcome outcome;
    at::Tensor loss;
    {
        AutocastScope autocast(m_settings.autocast, m_settings.autocastDtype);
        const at::Tensor estimates = m_model.separate(mix);
        // The loss itself in fp32, as autocast would run the SI-SDR reductions.
        loss = separationLoss(estimates.to(torch::kFloat), targets);
    }
    // The one host sync of a batch: the original skips NaN/Inf losses before backward.
    outcome.loss = loss.detach().item<double>();
    outcome.finite = std::isfinite(outcome.loss);
    if (!outcome.finite) {
        m_optimizer.zero_grad();
        return outcome;
    }
    at::Tensor scaled = loss / double(m_settings.accumulationSteps);
    if (m_scaler)
        scaled = m_scaler->scale(scaled);
    scaled.backward();
    if (!lastOfWindow)
        return outcome;

    bool gradientsFinite = true;
    if (m_scaler)
        gradientsFinite = m_scaler->unscale(m_parameters);
    if (gradientsFinite) {
        if (m_settings.gradClipNorm > 0.0)
            clipGradNorm(m_parameters, m_settings.gradClipNorm);
        m_optimizer.step();
        outcome.stepped = true;
    }
    if (m_scaler)
        m_scaler->update(gradientsFinite);
    m_optimizer.zero_grad();
    return outcome;
}

} // namespace seplab::train
