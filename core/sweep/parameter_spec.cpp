// The W&B form of a parameter: the distribution names, which keys each distribution takes,
// reading a spec (with W&B's inference of the distribution and its checks) and writing it back.

#include "core/sweep/parameter.h"

#include <algorithm>
#include <cmath>
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

} // namespace seplab::sweep
