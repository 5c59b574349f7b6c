#include "core/train/loss_scaler.h"

#include <stdexcept>
#include <torch/torch.h>

namespace seplab::train {

LossScaler::LossScaler(double initScale,
                       double growthFactor,
                       double backoffFactor,
                       int growthInterval)
    : m_scale(initScale)
    , m_growthFactor(growthFactor)
    , m_backoffFactor(backoffFactor)
    , m_growthInterval(growthInterval)
{
    if (!(initScale > 0.0) || !(growthFactor > 1.0) || !(backoffFactor > 0.0 && backoffFactor < 1.0)
        || growthInterval < 1)
        throw std::invalid_argument("loss scaler: scale > 0, growth > 1, 0 < backoff < 1 and "
                                    "interval >= 1 are required.");
}

bool LossScaler::unscale(const std::vector<at::Tensor> &parameters) const
{
    torch::NoGradGuard noGrad;
    const double inverse = 1.0 / m_scale;
    at::Tensor allFinite;
    for (const at::Tensor &parameter : parameters) {
        at::Tensor grad = parameter.grad();
        if (!grad.defined())
            continue;
        grad.mul_(inverse);
        // Accumulated on the device; only the final flag crosses to the host.
        at::Tensor finite = torch::isfinite(grad).all();
        allFinite = allFinite.defined() ? allFinite.logical_and(finite) : finite;
    }
    return !allFinite.defined() || allFinite.item<bool>();
}

void LossScaler::update(bool finite)
{
    if (!finite) {
        m_scale *= m_backoffFactor;
        m_growthTracker = 0;
        return;
    }
    if (++m_growthTracker >= m_growthInterval) {
        m_scale *= m_growthFactor;
        m_growthTracker = 0;
    }
}

nlohmann::json LossScaler::state() const
{
    return {{"scale", m_scale}, {"growth_tracker", m_growthTracker}};
}

void LossScaler::restore(const nlohmann::json &state)
{
    m_scale = state.at("scale").get<double>();
    m_growthTracker = state.at("growth_tracker").get<int>();
}

} // namespace seplab::train
