#include "core/train/plateau_scheduler.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace seplab::train {

PlateauScheduler::PlateauScheduler(
    double factor, int patience, double threshold, int cooldown, double minLr, double eps)
    : m_factor(factor)
    , m_threshold(threshold)
    , m_minLr(minLr)
    , m_eps(eps)
    , m_patience(patience)
    , m_cooldown(cooldown)
    , m_best(-std::numeric_limits<double>::infinity())
{
    if (!(factor > 0.0 && factor < 1.0))
        throw std::invalid_argument("lr_factor must lie strictly between 0 and 1.");
    if (patience < 0)
        throw std::invalid_argument("lr_patience must be zero or positive.");
}

// PyTorch's rel/max rule, literally: best * (1 + threshold). For a negative best (SI-SDR often
// starts below 0 dB) this asks for *less* than a 1e-4 relative gain; kept as PyTorch has it so
// schedules match the original's.
bool PlateauScheduler::isBetter(double metric) const
{
    return metric > m_best * (1.0 + m_threshold);
}

double PlateauScheduler::step(double metric, double lr)
{
    if (isBetter(metric)) {
        m_best = metric;
        m_badEpochs = 0;
    } else {
        ++m_badEpochs;
    }
    if (m_cooldownCounter > 0) {
        --m_cooldownCounter;
        m_badEpochs = 0;
    }
    if (m_badEpochs > m_patience) {
        const double reduced = std::max(lr * m_factor, m_minLr);
        if (lr - reduced > m_eps) {
            lr = reduced;
            ++m_reductions;
        }
        m_cooldownCounter = m_cooldown;
        m_badEpochs = 0;
    }
    return lr;
}

nlohmann::json PlateauScheduler::state() const
{
    // -inf has no JSON form; null stands for "no epoch seen yet".
    return {{"best", std::isinf(m_best) ? nlohmann::json(nullptr) : nlohmann::json(m_best)},
            {"num_bad_epochs", m_badEpochs},
            {"cooldown_counter", m_cooldownCounter},
            {"reductions", m_reductions}};
}

void PlateauScheduler::restore(const nlohmann::json &state)
{
    const nlohmann::json &best = state.at("best");
    m_best = best.is_null() ? -std::numeric_limits<double>::infinity() : best.get<double>();
    m_badEpochs = state.at("num_bad_epochs").get<int>();
    m_cooldownCounter = state.at("cooldown_counter").get<int>();
    m_reductions = state.value("reductions", 0);
}

} // namespace seplab::train
