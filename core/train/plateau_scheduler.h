#pragma once

// PyTorch's ReduceLROnPlateau in mode "max" with a relative threshold, re-implemented because
// LibTorch's ReduceLROnPlateauScheduler keeps its state private and so cannot be checkpointed
// (spec models.md §2). Defaults are PyTorch's: threshold 1e-4 (relative), cooldown 0,
// min_lr 0, eps 1e-8. Torch-free: it only computes the next learning rate.

#include <nlohmann/json.hpp>

namespace seplab::train {

class PlateauScheduler
{
public:
    PlateauScheduler(double factor,
                     int patience,
                     double threshold = 1e-4,
                     int cooldown = 0,
                     double minLr = 0.0,
                     double eps = 1e-8);

    // One epoch's monitored value (higher is better); returns the learning rate to use next.
    double step(double metric, double lr);

    double best() const { return m_best; }
    int badEpochs() const { return m_badEpochs; }
    int reductions() const { return m_reductions; }

    nlohmann::json state() const;
    void restore(const nlohmann::json &state);

private:
    bool isBetter(double metric) const;

    double m_factor, m_threshold, m_minLr, m_eps;
    int m_patience, m_cooldown;
    double m_best;
    int m_badEpochs = 0;
    int m_cooldownCounter = 0;
    int m_reductions = 0;
};

} // namespace seplab::train
