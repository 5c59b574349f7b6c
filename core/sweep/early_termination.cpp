#include "core/sweep/early_termination.h"

#include "core/sweep/asha_stopping.h"
#include "core/sweep/hyperband_stopping.h"
#include "core/sweep/median_stopping.h"

#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace seplab::sweep {

std::vector<double> smallerIsBetter(const std::vector<double> &values, bool maximize)
{
    std::vector<double> out = values;
    if (maximize)
        for (double &v : out)
            v = -v;
    return out;
}

std::vector<int> geometricLadder(int first, double eta, int limit)
{
    std::vector<int> ladder;
    // W&B stops after 100 rungs; with eta > 1 the float passes any int limit long before that.
    double rung = first;
    for (int k = 0; k < 100 && std::floor(rung) <= double(limit); ++k, rung *= eta) {
        const int value = int(rung);
        if (ladder.empty() || ladder.back() != value)
            ladder.push_back(value);
    }
    return ladder;
}

std::string formatNumber(double value)
{
    if (std::isfinite(value) && value == std::floor(value) && std::fabs(value) < 1e15)
        return std::to_string(std::int64_t(value));
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.6g", value);
    return buffer;
}

std::unique_ptr<EarlyStopper> makeEarlyStopper(const EarlyTerminate &config, bool maximize)
{
    if (!(config.eta > 1.0))
        throw std::invalid_argument("early_terminate 'eta' must be greater than 1, not "
                                    + formatNumber(config.eta) + ".");
    switch (config.type) {
    case EarlyTerminate::Type::Hyperband:
        return std::make_unique<HyperbandStopper>(config, maximize);
    case EarlyTerminate::Type::Asha:
        return std::make_unique<AshaStopper>(config, maximize);
    case EarlyTerminate::Type::MedianStopping:
        return std::make_unique<MedianStopper>(config, maximize);
    }
    throw std::invalid_argument("early_terminate 'type' is not one SepLab knows.");
}

} // namespace seplab::sweep
