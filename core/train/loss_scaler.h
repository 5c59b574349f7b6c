#pragma once

// Dynamic loss scaling for fp16 autocast, as torch.cuda.amp.GradScaler does it (LibTorch has no
// C++ GradScaler): multiply the loss by the scale before backward, unscale the gradients before
// clipping, skip the optimiser step when any gradient is Inf or NaN and halve the scale; double
// it after `growthInterval` clean steps in a row. The original starts at 256 (spec models.md §2).
// Plain tensor ops, so it runs (and is tested) on the CPU too.

#include <ATen/core/Tensor.h>
#include <nlohmann/json.hpp>
#include <vector>

namespace seplab::train {

class LossScaler
{
public:
    explicit LossScaler(double initScale = 256.0,
                        double growthFactor = 2.0,
                        double backoffFactor = 0.5,
                        int growthInterval = 2000);

    at::Tensor scale(const at::Tensor &loss) const { return loss * m_scale; }

    // Divides every defined gradient by the scale in place. Returns whether they are all
    // finite; the one host sync of the step.
    bool unscale(const std::vector<at::Tensor> &parameters) const;

    // After each optimiser step attempt: `finite` is what unscale() returned.
    void update(bool finite);

    double currentScale() const { return m_scale; }
    int growthTracker() const { return m_growthTracker; }

    nlohmann::json state() const;
    void restore(const nlohmann::json &state);

private:
    double m_scale;
    double m_growthFactor, m_backoffFactor;
    int m_growthInterval;
    int m_growthTracker = 0;
};

} // namespace seplab::train
