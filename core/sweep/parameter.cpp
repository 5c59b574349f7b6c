// Sampling a parameter: its kind, its grid values, and the inverse CDF (one uniform number to
// a value) and the CDF (a value back to [0, 1]) of every distribution. Reading and writing the
// W&B spec is parameter_spec.cpp; the normal and beta functions are distribution_math.cpp.

#include "core/sweep/parameter.h"

#include <algorithm>
#include <cmath>

namespace seplab::sweep {

namespace {

using nlohmann::json;

double clamp01(double x)
{
    if (std::isnan(x))
        return x;
    return std::min(1.0, std::max(0.0, x));
}

// Index of a discrete uniform over n outcomes at u: scipy's randint.ppf, ceil(u*n) - 1, kept
// inside [0, n).
std::size_t discreteIndex(double u, std::size_t n)
{
    const double k = std::ceil(u * double(n)) - 1.0;
    if (k <= 0.0)
        return 0;
    return std::min(n - 1, std::size_t(k));
}

} // namespace

bool Parameter::isCategorical() const
{
    return m_distribution == Distribution::Categorical
           || m_distribution == Distribution::CategoricalWProbabilities;
}

bool Parameter::isLog() const
{
    switch (m_distribution) {
    case Distribution::LogUniform:
    case Distribution::LogUniformValues:
    case Distribution::QLogUniform:
    case Distribution::QLogUniformValues:
    case Distribution::InvLogUniform:
    case Distribution::InvLogUniformValues:
    case Distribution::LogNormal:
    case Distribution::QLogNormal:
        return true;
    default:
        return false;
    }
}

bool Parameter::isQuantized() const
{
    switch (m_distribution) {
    case Distribution::QUniform:
    case Distribution::QLogUniform:
    case Distribution::QLogUniformValues:
    case Distribution::QNormal:
    case Distribution::QLogNormal:
    case Distribution::QBeta:
        return true;
    default:
        return false;
    }
}

bool Parameter::isInteger() const
{
    return m_distribution == Distribution::IntUniform || (isQuantized() && m_qInteger);
}

bool Parameter::isGridable() const
{
    return m_distribution == Distribution::Constant || m_distribution == Distribution::Categorical
           || m_distribution == Distribution::IntUniform
           || m_distribution == Distribution::QUniform;
}

std::vector<json> Parameter::gridValues() const
{
    switch (m_distribution) {
    case Distribution::Constant:
        return {m_value};
    case Distribution::Categorical:
        return m_values;
    case Distribution::IntUniform: {
        std::vector<json> list;
        for (auto k = std::int64_t(m_min); k <= std::int64_t(m_max); ++k)
            list.emplace_back(k);
        return list;
    }
    case Distribution::QUniform: {
        // numpy.arange(min, max, q): ceil((max - min) / q) values start + i*step.
        const auto count = std::int64_t(std::ceil((m_max - m_min) / m_q));
        const bool ints = m_qInteger && m_minJson.is_number_integer()
                          && m_maxJson.is_number_integer();
        std::vector<json> list;
        for (std::int64_t i = 0; i < count; ++i) {
            const double x = m_min + double(i) * m_q;
            if (ints)
                list.emplace_back(std::int64_t(std::llround(x)));
            else
                list.emplace_back(x);
        }
        return list;
    }
    default:
        throw std::logic_error(distributionName(m_distribution)
                               + " has no grid values; a grid takes value, values, int_uniform "
                                 "or q_uniform.");
    }
}

json Parameter::sample(data::SplitMix64 &rng) const
{
    if (isConstant())
        return m_value;
    return ppf(uniformOpen01(rng));
}

double Parameter::continuousPpf(double u) const
{
    switch (m_distribution) {
    case Distribution::Uniform:
    case Distribution::QUniform:
        return m_min + u * (m_max - m_min);
    case Distribution::LogUniform:
    case Distribution::QLogUniform:
        return std::exp(m_min + u * (m_max - m_min));
    case Distribution::LogUniformValues:
    case Distribution::QLogUniformValues: {
        const double lo = std::log(m_min), hi = std::log(m_max);
        return std::exp(lo + u * (hi - lo));
    }
    case Distribution::InvLogUniform:
        return std::exp(-(m_min + (1.0 - u) * (m_max - m_min)));
    case Distribution::InvLogUniformValues: {
        const double lo = std::log(1.0 / m_max), hi = std::log(1.0 / m_min);
        return std::exp(-(lo + (1.0 - u) * (hi - lo)));
    }
    case Distribution::Normal:
    case Distribution::QNormal:
        return m_mu + m_sigma * normalPpf(u);
    case Distribution::LogNormal:
    case Distribution::QLogNormal:
        return std::exp(m_mu + m_sigma * normalPpf(u));
    case Distribution::Beta:
    case Distribution::QBeta:
        return betaPpf(u, m_a, m_b);
    default:
        return 0.0;
    }
}

json Parameter::quantize(double x) const
{
    // numpy.round: halves to even, as nearbyint does in the default rounding mode.
    const double r = std::nearbyint(x / m_q) * m_q;
    if (m_qInteger)
        return std::int64_t(std::llround(r));
    return r;
}

json Parameter::ppf(double u) const
{
    if (!(u >= 0.0 && u <= 1.0))
        throw std::invalid_argument("The inverse CDF takes a number from 0 to 1, not "
                                    + json(u).dump() + ".");
    switch (m_distribution) {
    case Distribution::Constant:
        return m_value;
    case Distribution::Categorical:
        return m_values[discreteIndex(u, m_values.size())];
    case Distribution::CategoricalWProbabilities: {
        // numpy.searchsorted(cumsum(probabilities), u): the first cumulative value >= u.
        double cumulative = 0.0;
        for (std::size_t i = 0; i < m_values.size(); ++i) {
            cumulative += m_probabilities[i];
            if (cumulative >= u)
                return m_values[i];
        }
        return m_values.back();
    }
    case Distribution::IntUniform: {
        const auto n = std::size_t(std::int64_t(m_max) - std::int64_t(m_min) + 1);
        return std::int64_t(m_min) + std::int64_t(discreteIndex(u, n));
    }
    case Distribution::Uniform:
    case Distribution::LogUniform:
    case Distribution::LogUniformValues:
    case Distribution::InvLogUniform:
    case Distribution::InvLogUniformValues:
    case Distribution::Normal:
    case Distribution::LogNormal:
    case Distribution::Beta:
        return continuousPpf(u);
    default:
        return quantize(continuousPpf(u));
    }
}

std::optional<std::size_t> Parameter::indexOf(const json &value) const
{
    for (std::size_t i = 0; i < m_values.size(); ++i) {
        const json &v = m_values[i];
        if (v == value)
            return i;
        // 3 and 3.0 are the same value.
        if (v.is_number() && value.is_number() && v.get<double>() == value.get<double>())
            return i;
    }
    return std::nullopt;
}

double Parameter::cdfOfIndex(std::size_t index) const
{
    if (!isCategorical() || index >= m_values.size())
        throw std::invalid_argument("Index " + std::to_string(index)
                                    + " is not one of this parameter's values.");
    if (m_distribution == Distribution::Categorical)
        return double(index + 1) / double(m_values.size());
    double cumulative = 0.0;
    for (std::size_t i = 0; i <= index; ++i)
        cumulative += m_probabilities[i];
    return std::min(1.0, cumulative);
}

double Parameter::cdf(const json &value) const
{
    if (isConstant())
        return 0.0;
    if (isCategorical()) {
        const auto index = indexOf(value);
        if (!index)
            throw std::invalid_argument(value.dump() + " is not one of the values "
                                        + json(m_values).dump() + ".");
        return cdfOfIndex(*index);
    }
    if (!value.is_number())
        throw std::invalid_argument("The CDF of " + distributionName(m_distribution)
                                    + " takes a number, not " + value.dump() + ".");
    const double x = value.get<double>();
    switch (m_distribution) {
    case Distribution::IntUniform: {
        const double n = m_max - m_min + 1.0;
        return clamp01((std::floor(x) - m_min + 1.0) / n);
    }
    case Distribution::Uniform:
    case Distribution::QUniform:
        return clamp01((x - m_min) / (m_max - m_min));
    case Distribution::LogUniform:
    case Distribution::QLogUniform:
        return x <= 0.0 ? 0.0 : clamp01((std::log(x) - m_min) / (m_max - m_min));
    case Distribution::LogUniformValues:
    case Distribution::QLogUniformValues: {
        const double lo = std::log(m_min), hi = std::log(m_max);
        return x <= 0.0 ? 0.0 : clamp01((std::log(x) - lo) / (hi - lo));
    }
    case Distribution::InvLogUniform:
        return x <= 0.0 ? 0.0 : 1.0 - clamp01((std::log(1.0 / x) - m_min) / (m_max - m_min));
    case Distribution::InvLogUniformValues: {
        const double lo = std::log(1.0 / m_max), hi = std::log(1.0 / m_min);
        return x <= 0.0 ? 0.0 : 1.0 - clamp01((std::log(1.0 / x) - lo) / (hi - lo));
    }
    case Distribution::Normal:
    case Distribution::QNormal:
        return normalCdf((x - m_mu) / m_sigma);
    case Distribution::LogNormal:
    case Distribution::QLogNormal:
        return x <= 0.0 ? 0.0 : normalCdf((std::log(x) - m_mu) / m_sigma);
    case Distribution::Beta:
    case Distribution::QBeta:
        return betaCdf(x, m_a, m_b);
    default:
        return 0.0;
    }
}

} // namespace seplab::sweep
