#include "core/sweep/narrowing.h"

#include "core/sweep/early_termination.h" // formatNumber

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <stdexcept>

namespace seplab::sweep {

using nlohmann::json;

namespace {

// Where a bounded form is uniform: the axis its values are mapped to, and what min/max mean.
enum class Axis {
    Linear,      // uniform, q_uniform, int_uniform: min/max are values
    LogValues,   // *_log_uniform_values: axis ln x, min/max are values
    LogExponent, // log_uniform, q_log_uniform: axis ln x, min/max are the exponents
    InvExponent, // inv_log_uniform: axis ln(1/x), min/max are the exponents
};

std::optional<Axis> axisOf(Distribution distribution)
{
    switch (distribution) {
    case Distribution::IntUniform:
    case Distribution::Uniform:
    case Distribution::QUniform:
        return Axis::Linear;
    case Distribution::LogUniformValues:
    case Distribution::QLogUniformValues:
    case Distribution::InvLogUniformValues:
        return Axis::LogValues;
    case Distribution::LogUniform:
    case Distribution::QLogUniform:
        return Axis::LogExponent;
    case Distribution::InvLogUniform:
        return Axis::InvExponent;
    default:
        return std::nullopt;
    }
}

double toAxis(Axis axis, double x)
{
    switch (axis) {
    case Axis::Linear:
        return x;
    case Axis::LogValues:
    case Axis::LogExponent:
        return std::log(x);
    case Axis::InvExponent:
        return -std::log(x);
    }
    return x;
}

double fromAxis(Axis axis, double t)
{
    switch (axis) {
    case Axis::Linear:
        return t;
    case Axis::LogValues:
    case Axis::LogExponent:
        return std::exp(t);
    case Axis::InvExponent:
        return std::exp(-t);
    }
    return t;
}

// The spec's min/max on the axis, and back.
double boundToAxis(Axis axis, double bound)
{
    return axis == Axis::LogValues ? std::log(bound) : bound;
}

double axisToBound(Axis axis, double t)
{
    return axis == Axis::LogValues ? std::exp(t) : t;
}

std::string axisName(Axis axis)
{
    switch (axis) {
    case Axis::Linear:
        return "";
    case Axis::LogValues:
    case Axis::LogExponent:
        return " in log space";
    case Axis::InvExponent:
        return " in log(1/x) space";
    }
    return "";
}

std::string num(double value)
{
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.3g", value);
    return buffer;
}

// "[a, b]" of two axis points shown as values, ascending.
std::string valueInterval(Axis axis, double lo, double hi)
{
    double a = fromAxis(axis, lo), b = fromAxis(axis, hi);
    if (a > b)
        std::swap(a, b);
    return "[" + num(a) + ", " + num(b) + "]";
}

json boundJson(double value, bool integer)
{
    if (integer)
        return std::int64_t(std::llround(value));
    return value;
}

struct Narrowed
{
    Parameter parameter;
    std::string detail;
};

Narrowed narrowRange(const NamedParameter &named,
                     Axis axis,
                     std::vector<double> values,
                     const NarrowingSpec &spec)
{
    const Parameter &old = named.parameter;
    const double oldLo = boundToAxis(axis, old.min()), oldHi = boundToAxis(axis, old.max());
    std::vector<double> points;
    for (double v : values)
        if (axis == Axis::Linear || v > 0.0)
            points.push_back(toAxis(axis, v));
    if (points.empty())
        return {old, "no top trial has a positive value for this log form: unchanged"};
    std::sort(points.begin(), points.end());
    const double lo = quantile(points, spec.lowQuantile), hi = quantile(points, spec.highQuantile);
    std::string detail = "quantiles [" + formatNumber(spec.lowQuantile) + ", "
                         + formatNumber(spec.highQuantile) + "]" + axisName(axis) + " = "
                         + valueInterval(axis, lo, hi);
    double pad = spec.margin * (hi - lo);
    if (hi - lo <= 0.0) {
        // All top values equal: widen by the old width so the range stays a range.
        pad = spec.margin * (oldHi - oldLo);
        detail += " (all equal: margin " + formatNumber(spec.margin) + " of the old width)";
    } else {
        detail += ", margin " + formatNumber(spec.margin);
    }
    double newLo = std::max(oldLo, lo - pad), newHi = std::min(oldHi, hi + pad);
    if (newLo != lo - pad || newHi != hi + pad)
        detail += ", clamped to the old range";

    json after = old.toJson();
    const bool integer = old.distribution() == Distribution::IntUniform;
    if (integer) {
        // Outward, with a little slack so that 3.0000000001 stays 3.
        newLo = std::max(old.min(), std::floor(newLo + 1e-9));
        newHi = std::min(old.max(), std::ceil(newHi - 1e-9));
        detail += ", rounded outward";
    } else if (old.distribution() == Distribution::QUniform) {
        newLo = std::max(old.min(), std::floor(newLo / old.q() + 1e-9) * old.q());
        newHi = std::min(old.max(), std::ceil(newHi / old.q() - 1e-9) * old.q());
        detail += ", rounded outward to multiples of q";
    }
    if (!(newLo < newHi)) {
        json value = boundJson(fromAxis(axis, std::clamp(lo, oldLo, oldHi)),
                               integer || (old.isInteger() && axis == Axis::Linear));
        detail += " -> a single point: constant " + value.dump();
        return {Parameter::constant(value), detail};
    }
    after["min"] = boundJson(axisToBound(axis, newLo), integer);
    after["max"] = boundJson(axisToBound(axis, newHi), integer);
    detail += " -> " + valueInterval(axis, newLo, newHi);
    return {Parameter::fromJson(after, named.name), detail};
}

Narrowed narrowCategorical(const NamedParameter &named, const std::vector<json> &used)
{
    const Parameter &old = named.parameter;
    std::vector<bool> keep(old.values().size(), false);
    for (const json &value : used)
        if (const auto index = old.indexOf(value))
            keep[*index] = true;
    std::vector<json> values;
    std::vector<double> probabilities;
    double total = 0.0;
    for (std::size_t i = 0; i < keep.size(); ++i) {
        if (!keep[i])
            continue;
        values.push_back(old.values()[i]);
        if (!old.probabilities().empty()) {
            probabilities.push_back(old.probabilities()[i]);
            total += old.probabilities()[i];
        }
    }
    if (values.empty())
        return {old, "no top trial used one of its values: unchanged"};
    for (double &p : probabilities)
        p /= total;
    std::string detail = "values used " + json(values).dump() + " of " + json(old.values()).dump();
    if (!probabilities.empty())
        detail += ", probabilities renormalised";
    return {Parameter::categorical(values, probabilities), detail};
}

void checkSpec(const NarrowingSpec &spec)
{
    if (!(spec.topFraction > 0.0 && spec.topFraction <= 1.0))
        throw std::invalid_argument("narrow_from 'top_fraction' must be in (0, 1], not "
                                    + formatNumber(spec.topFraction) + ".");
    if (!(spec.margin >= 0.0) || !std::isfinite(spec.margin))
        throw std::invalid_argument("narrow_from 'margin' must be zero or positive, not "
                                    + formatNumber(spec.margin) + ".");
    if (!(spec.lowQuantile >= 0.0 && spec.lowQuantile <= spec.highQuantile
          && spec.highQuantile <= 1.0))
        throw std::invalid_argument(
            "narrow_from quantiles must satisfy 0 <= low <= high <= 1, not ["
            + formatNumber(spec.lowQuantile) + ", " + formatNumber(spec.highQuantile) + "].");
}

} // namespace

double quantile(const std::vector<double> &sorted, double q)
{
    if (sorted.empty())
        throw std::invalid_argument("a quantile needs at least one value.");
    const double position = q * double(sorted.size() - 1);
    const auto below = std::size_t(std::floor(position));
    if (below + 1 >= sorted.size())
        return sorted.back();
    const double fraction = position - double(below);
    return sorted[below] + fraction * (sorted[below + 1] - sorted[below]);
}

std::vector<std::size_t> rankTrials(const std::vector<RankedTrial> &trials, bool maximize)
{
    std::vector<std::size_t> order(trials.size());
    std::iota(order.begin(), order.end(), std::size_t(0));
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        const double va = trials[a].value, vb = trials[b].value;
        const bool fa = std::isfinite(va), fb = std::isfinite(vb);
        if (fa != fb)
            return fa;
        return fa && (maximize ? va > vb : va < vb);
    });
    return order;
}

std::optional<json> parameterValue(const json &config, const NamedParameter &parameter)
{
    if (!config.is_object())
        return std::nullopt;
    const json *node = &config;
    bool found = true;
    for (const std::string &part : parameter.path) {
        if (!node->is_object() || !node->contains(part)) {
            found = false;
            break;
        }
        node = &node->at(part);
    }
    if (found)
        return *node;
    if (config.contains(parameter.name))
        return config.at(parameter.name);
    return std::nullopt;
}

NarrowingResult narrowSearchSpace(const SearchSpace &space,
                                  const std::vector<RankedTrial> &trials,
                                  const NarrowingSpec &spec,
                                  bool maximize)
{
    if (trials.empty())
        throw std::invalid_argument("narrowing from stage '" + spec.stage
                                    + "' needs at least one finished trial.");
    checkSpec(spec);
    const std::size_t n = trials.size();
    const auto top = std::clamp<std::size_t>(std::size_t(
                                                 std::ceil(spec.topFraction * double(n) - 1e-9)),
                                             1,
                                             n);
    const std::vector<std::size_t> order = rankTrials(trials, maximize);
    const std::string prefix = "top " + std::to_string(top) + " of " + std::to_string(n)
                               + " finished trials of stage '" + spec.stage + "' (top_fraction "
                               + formatNumber(spec.topFraction) + "): ";

    NarrowingResult result;
    result.space.warnings = space.warnings;
    for (const NamedParameter &named : space.parameters()) {
        NamedParameter out = named;
        if (named.parameter.isConstant()) {
            result.space.add(std::move(out));
            continue;
        }
        std::vector<json> used;
        for (std::size_t i = 0; i < top; ++i)
            if (auto value = parameterValue(trials[order[i]].config, named))
                used.push_back(*value);
        Narrowed narrowed{named.parameter, ""};
        const auto axis = axisOf(named.parameter.distribution());
        if (used.empty()) {
            narrowed.detail = "no top trial has this parameter: unchanged";
        } else if (named.parameter.isCategorical()) {
            narrowed = narrowCategorical(named, used);
        } else if (axis) {
            std::vector<double> numbers;
            for (const json &value : used)
                if (value.is_number())
                    numbers.push_back(value.get<double>());
            narrowed = numbers.empty() ? Narrowed{named.parameter,
                                                  "no top trial has a number for it: unchanged"}
                                       : narrowRange(named, *axis, numbers, spec);
        } else {
            narrowed.detail = distributionName(named.parameter.distribution())
                              + " has no bounds to narrow: unchanged";
        }
        result.ranges.push_back({named.name,
                                 named.parameter.toJson(),
                                 narrowed.parameter.toJson(),
                                 prefix + narrowed.detail});
        out.parameter = std::move(narrowed.parameter);
        result.space.add(std::move(out));
    }
    return result;
}

} // namespace seplab::sweep
