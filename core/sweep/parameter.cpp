#include "core/sweep/parameter.h"

#include "core/data/deterministic_random.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>

namespace seplab::sweep {

namespace {

using nlohmann::json;

const std::vector<std::pair<Distribution, const char *>> kNames = {
    {Distribution::Constant, "constant"},
    {Distribution::Categorical, "categorical"},
    {Distribution::CategoricalWProbabilities, "categorical_w_probabilities"},
    {Distribution::IntUniform, "int_uniform"},
    {Distribution::Uniform, "uniform"},
    {Distribution::QUniform, "q_uniform"},
    {Distribution::LogUniform, "log_uniform"},
    {Distribution::LogUniformValues, "log_uniform_values"},
    {Distribution::QLogUniform, "q_log_uniform"},
    {Distribution::QLogUniformValues, "q_log_uniform_values"},
    {Distribution::InvLogUniform, "inv_log_uniform"},
    {Distribution::InvLogUniformValues, "inv_log_uniform_values"},
    {Distribution::Normal, "normal"},
    {Distribution::QNormal, "q_normal"},
    {Distribution::LogNormal, "log_normal"},
    {Distribution::QLogNormal, "q_log_normal"},
    {Distribution::Beta, "beta"},
    {Distribution::QBeta, "q_beta"},
};

const std::set<std::string> kAllKeys = {
    "distribution", "value", "values", "probabilities", "min", "max", "q", "mu", "sigma", "a", "b"};

struct KeySet
{
    std::vector<std::string> required;
    std::vector<std::string> optional;
};

KeySet keysOf(Distribution d)
{
    switch (d) {
    case Distribution::Constant:
        return {{"value"}, {}};
    case Distribution::Categorical:
        return {{"values"}, {"probabilities"}};
    case Distribution::CategoricalWProbabilities:
        return {{"values", "probabilities"}, {}};
    case Distribution::IntUniform:
    case Distribution::Uniform:
    case Distribution::LogUniform:
    case Distribution::LogUniformValues:
    case Distribution::InvLogUniform:
    case Distribution::InvLogUniformValues:
        return {{"min", "max"}, {}};
    case Distribution::QUniform:
    case Distribution::QLogUniform:
    case Distribution::QLogUniformValues:
        return {{"min", "max"}, {"q"}};
    case Distribution::Normal:
    case Distribution::LogNormal:
        return {{}, {"mu", "sigma"}};
    case Distribution::QNormal:
    case Distribution::QLogNormal:
        return {{}, {"mu", "sigma", "q"}};
    case Distribution::Beta:
        return {{}, {"a", "b"}};
    case Distribution::QBeta:
        return {{}, {"a", "b", "q"}};
    }
    return {};
}

bool has(const std::vector<std::string> &keys, const std::string &key)
{
    return std::find(keys.begin(), keys.end(), key) != keys.end();
}

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

// Continued fraction of the incomplete beta function (Lentz's method).
double betaContinuedFraction(double x, double a, double b)
{
    constexpr double kTiny = 1e-300;
    const double qab = a + b, qap = a + 1.0, qam = a - 1.0;
    double c = 1.0;
    double d = 1.0 - qab * x / qap;
    if (std::fabs(d) < kTiny)
        d = kTiny;
    d = 1.0 / d;
    double h = d;
    for (int m = 1; m <= 1000; ++m) {
        const int m2 = 2 * m;
        double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 + aa * d;
        if (std::fabs(d) < kTiny)
            d = kTiny;
        c = 1.0 + aa / c;
        if (std::fabs(c) < kTiny)
            c = kTiny;
        d = 1.0 / d;
        h *= d * c;
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 + aa * d;
        if (std::fabs(d) < kTiny)
            d = kTiny;
        c = 1.0 + aa / c;
        if (std::fabs(c) < kTiny)
            c = kTiny;
        d = 1.0 / d;
        const double del = d * c;
        h *= del;
        if (std::fabs(del - 1.0) < 1e-15)
            break;
    }
    return h;
}

} // namespace

std::string distributionName(Distribution distribution)
{
    for (const auto &[d, name] : kNames)
        if (d == distribution)
            return name;
    return {};
}

std::optional<Distribution> distributionFromName(const std::string &name)
{
    for (const auto &[d, n] : kNames)
        if (name == n)
            return d;
    return std::nullopt;
}

const std::vector<Distribution> &allDistributions()
{
    static const std::vector<Distribution> all = [] {
        std::vector<Distribution> list;
        for (const auto &entry : kNames)
            list.push_back(entry.first);
        return list;
    }();
    return all;
}

double uniformOpen01(data::SplitMix64 &rng)
{
    return (double(rng.next() >> 11) + 0.5) * 0x1.0p-53;
}

double normalCdf(double x)
{
    return 0.5 * std::erfc(-x / std::sqrt(2.0));
}

double normalPpf(double u)
{
    if (u <= 0.0)
        return -std::numeric_limits<double>::infinity();
    if (u >= 1.0)
        return std::numeric_limits<double>::infinity();
    // Acklam's approximation.
    static const double a[] = {-3.969683028665376e+01,
                               2.209460984245205e+02,
                               -2.759285104469687e+02,
                               1.383577518672690e+02,
                               -3.066479806614716e+01,
                               2.506628277459239e+00};
    static const double b[] = {-5.447609879822406e+01,
                               1.615858368580409e+02,
                               -1.556989798598866e+02,
                               6.680131188771972e+01,
                               -1.328068155288572e+01};
    static const double c[] = {-7.784894002430293e-03,
                               -3.223964580411365e-01,
                               -2.400758277161838e+00,
                               -2.549732539343734e+00,
                               4.374664141464968e+00,
                               2.938163982698783e+00};
    static const double d[] = {7.784695709041462e-03,
                               3.224671290700398e-01,
                               2.445134137142996e+00,
                               3.754408661907416e+00};
    constexpr double kLow = 0.02425;
    double x;
    if (u < kLow) {
        const double q = std::sqrt(-2.0 * std::log(u));
        x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
            / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0);
    } else if (u <= 1.0 - kLow) {
        const double q = u - 0.5;
        const double r = q * q;
        x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
            / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1.0);
    } else {
        const double q = std::sqrt(-2.0 * std::log(1.0 - u));
        x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
            / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0);
    }
    // One Halley step against the exact CDF.
    const double e = normalCdf(x) - u;
    const double step = e * std::sqrt(2.0 * 3.14159265358979323846) * std::exp(0.5 * x * x);
    return x - step / (1.0 + 0.5 * x * step);
}

double betaCdf(double x, double a, double b)
{
    if (x <= 0.0)
        return 0.0;
    if (x >= 1.0)
        return 1.0;
    const double front = std::exp(std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b)
                                  + a * std::log(x) + b * std::log1p(-x));
    if (x < (a + 1.0) / (a + b + 2.0))
        return front * betaContinuedFraction(x, a, b) / a;
    return 1.0 - front * betaContinuedFraction(1.0 - x, b, a) / b;
}

double betaPpf(double u, double a, double b)
{
    if (u <= 0.0)
        return 0.0;
    if (u >= 1.0)
        return 1.0;
    // The CDF is increasing: bisection to the last bit.
    double lo = 0.0, hi = 1.0;
    for (int i = 0; i < 100 && hi - lo > 1e-16; ++i) {
        const double mid = 0.5 * (lo + hi);
        (betaCdf(mid, a, b) < u ? lo : hi) = mid;
    }
    return 0.5 * (lo + hi);
}

// ---------------------------------------------------------------------------------------------

Parameter Parameter::constant(json value)
{
    Parameter p;
    p.m_distribution = Distribution::Constant;
    p.m_value = std::move(value);
    return p;
}

Parameter Parameter::categorical(std::vector<json> values, std::vector<double> probabilities)
{
    json spec = json::object();
    spec["values"] = values;
    if (!probabilities.empty())
        spec["probabilities"] = probabilities;
    return fromJson(spec);
}

Parameter Parameter::fromJson(const json &spec, const std::string &name)
{
    const std::string prefix = "parameter '" + name + "': ";
    auto fail = [&](const std::string &problem, const std::string &key = {}) -> void {
        throw ParameterError(prefix + problem + ".", key);
    };
    if (!spec.is_object()) {
        fail("must be a mapping of keys such as 'distribution', 'values', 'min' and 'max'");
    }
    for (const auto &item : spec.items())
        if (!kAllKeys.count(item.key()))
            fail("unknown key '" + item.key() + "'", item.key());

    Parameter p;
    // The distribution, given or inferred as W&B's schema `anyOf` does.
    if (spec.contains("distribution")) {
        const json &d = spec.at("distribution");
        if (!d.is_string())
            fail("'distribution' must be a name such as 'uniform', not " + d.dump(), "distribution");
        const auto parsed = distributionFromName(d.get<std::string>());
        if (!parsed)
            fail("unknown distribution '" + d.get<std::string>() + "'", "distribution");
        p.m_distribution = *parsed;
        if (p.m_distribution == Distribution::Categorical && spec.contains("probabilities"))
            p.m_distribution = Distribution::CategoricalWProbabilities;
    } else if (spec.contains("values")) {
        p.m_distribution = spec.contains("probabilities") ? Distribution::CategoricalWProbabilities
                                                          : Distribution::Categorical;
    } else if (spec.contains("value")) {
        p.m_distribution = Distribution::Constant;
    } else if (spec.contains("min") && spec.contains("max")) {
        const bool ints = spec.at("min").is_number_integer() && spec.at("max").is_number_integer();
        p.m_distribution = ints ? Distribution::IntUniform : Distribution::Uniform;
    } else {
        fail("needs 'value', 'values', or 'min' and 'max', or a 'distribution'");
    }

    const std::string dname = distributionName(p.m_distribution);
    const KeySet keys = keysOf(p.m_distribution);
    for (const auto &item : spec.items()) {
        if (item.key() != "distribution" && !has(keys.required, item.key())
            && !has(keys.optional, item.key()))
            fail(dname + " takes no '" + item.key() + "'", item.key());
    }
    for (const auto &key : keys.required)
        if (!spec.contains(key))
            fail(dname + " needs '" + key + "'");

    auto number = [&](const std::string &key, double fallback) {
        if (!spec.contains(key))
            return fallback;
        const json &v = spec.at(key);
        if (!v.is_number())
            fail("'" + key + "' must be a number, not " + v.dump(), key);
        return v.get<double>();
    };
    auto positive = [&](const std::string &key, double fallback) {
        const double v = number(key, fallback);
        if (!(v > 0.0) || !std::isfinite(v))
            fail("'" + key + "' must be positive, not " + spec.at(key).dump(), key);
        return v;
    };

    switch (p.m_distribution) {
    case Distribution::Constant:
        p.m_value = spec.at("value");
        break;
    case Distribution::Categorical:
    case Distribution::CategoricalWProbabilities: {
        const json &values = spec.at("values");
        if (!values.is_array())
            fail("'values' must be a list, not " + values.dump(), "values");
        if (values.empty())
            fail("'values' must not be empty", "values");
        p.m_values.assign(values.begin(), values.end());
        if (p.m_distribution == Distribution::CategoricalWProbabilities) {
            const json &probs = spec.at("probabilities");
            if (!probs.is_array())
                fail("'probabilities' must be a list, not " + probs.dump(), "probabilities");
            if (probs.size() != values.size())
                fail("'probabilities' must have one entry per value ("
                         + std::to_string(values.size()) + "), not " + std::to_string(probs.size()),
                     "probabilities");
            double sum = 0.0;
            for (const json &v : probs) {
                if (!v.is_number() || v.get<double>() < 0.0)
                    fail("'probabilities' must be numbers from 0 to 1, not " + v.dump(),
                         "probabilities");
                p.m_probabilities.push_back(v.get<double>());
                sum += v.get<double>();
            }
            if (std::fabs(sum - 1.0) > 1e-6)
                fail("'probabilities' must sum to 1, not " + json(sum).dump(), "probabilities");
        }
        break;
    }
    default:
        break;
    }

    if (spec.contains("min")) {
        p.m_min = number("min", 0.0);
        p.m_max = number("max", 0.0);
        p.m_minJson = spec.at("min");
        p.m_maxJson = spec.at("max");
        if (!std::isfinite(p.m_min) || !std::isfinite(p.m_max))
            fail("min and max must be finite", "min");
        if (p.m_distribution == Distribution::IntUniform
            && !(p.m_minJson.is_number_integer() && p.m_maxJson.is_number_integer()))
            fail("int_uniform needs integer min and max, not " + p.m_minJson.dump() + " and "
                     + p.m_maxJson.dump(),
                 p.m_minJson.is_number_integer() ? "max" : "min");
        if (!(p.m_min < p.m_max))
            fail("min (" + p.m_minJson.dump() + ") must be less than max (" + p.m_maxJson.dump()
                     + ")",
                 "min");
        const bool logBounds = p.m_distribution == Distribution::LogUniformValues
                               || p.m_distribution == Distribution::QLogUniformValues
                               || p.m_distribution == Distribution::InvLogUniformValues;
        if (logBounds && !(p.m_min > 0.0))
            fail(dname + " needs a positive min, not " + p.m_minJson.dump(), "min");
    }
    if (has(keys.optional, "q")) {
        p.m_q = positive("q", 1.0);
        p.m_qInteger = !spec.contains("q") || spec.at("q").is_number_integer();
    }
    if (has(keys.optional, "mu")) {
        p.m_mu = number("mu", 0.0);
        if (!std::isfinite(p.m_mu))
            fail("'mu' must be finite", "mu");
        p.m_sigma = positive("sigma", 1.0);
    }
    if (has(keys.optional, "a")) {
        p.m_a = positive("a", 1.0);
        p.m_b = positive("b", 1.0);
    }
    return p;
}

json Parameter::toJson() const
{
    json spec = json::object();
    spec["distribution"] = distributionName(m_distribution);
    switch (m_distribution) {
    case Distribution::Constant:
        spec["value"] = m_value;
        return spec;
    case Distribution::Categorical:
        spec["values"] = m_values;
        return spec;
    case Distribution::CategoricalWProbabilities:
        spec["values"] = m_values;
        spec["probabilities"] = m_probabilities;
        return spec;
    default:
        break;
    }
    const KeySet keys = keysOf(m_distribution);
    if (has(keys.required, "min")) {
        spec["min"] = m_minJson;
        spec["max"] = m_maxJson;
    }
    if (has(keys.optional, "q")) {
        if (m_qInteger)
            spec["q"] = std::int64_t(m_q);
        else
            spec["q"] = m_q;
    }
    if (has(keys.optional, "mu")) {
        spec["mu"] = m_mu;
        spec["sigma"] = m_sigma;
    }
    if (has(keys.optional, "a")) {
        spec["a"] = m_a;
        spec["b"] = m_b;
    }
    return spec;
}

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
