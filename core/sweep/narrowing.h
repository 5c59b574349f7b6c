#pragma once

// Narrowing a search space to where an earlier stage's best finished trials are (a plan's
// `narrow_from: {stage, top_fraction, margin}`), and the ranking both narrowing and promotion
// use. The rule, per parameter of the old space:
//
// Top trials: the ceil(top_fraction · n) best finished trials (at least one), ranked by the
// stage metric's best value (higher first when maximizing; ties keep the given order).
// Bounded ranges (uniform, q_uniform, int_uniform and every log form): the low and high
// quantiles (linear interpolation, as numpy) of the top trials' values, taken where the form is
// uniform (log space for the log forms; log(1/x) for inv_log_uniform's exponents), widened by
// margin × their width on each side and clamped to the old range. When the top values are all
// equal (zero width) the widening is margin × the old range's width instead, so the range stays
// a range. int_uniform rounds the bounds outward to integers and q_uniform to multiples of q;
// a range that still collapses to one point becomes a constant. Exponent forms (log_uniform,
// q_log_uniform, inv_log_uniform) keep min and max as exponents.
// Categorical forms keep the values the top trials used, in the original order (weighted ones
// with their probabilities renormalised). Constants stay (and get no NarrowedRange).
// normal, log_normal and beta forms (and their q forms) have no bounds: unchanged, as the
// provenance says. A parameter that no top trial carries stays unchanged, as its provenance says.

#include "core/sweep/search_space.h"

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace seplab::sweep {

// A finished trial and the stage metric's best value.
struct RankedTrial
{
    std::string name;
    nlohmann::json config;
    double value = 0.0;
};

struct NarrowingSpec
{
    std::string stage;
    double topFraction = 0.25;
    double margin = 0.1;
    double lowQuantile = 0.0;
    double highQuantile = 1.0;
};

struct NarrowedRange
{
    std::string parameter;
    nlohmann::json before; // Parameter::toJson()
    nlohmann::json after;
    // One sentence, e.g. "top 10 of 40 finished trials of stage 'stage1' (top_fraction 0.25):
    // quantiles [0, 1] in log space = [0.00061, 0.0023], margin 0.1 -> [0.000535, 0.00262]".
    std::string provenance;
};

struct NarrowingResult
{
    SearchSpace space;
    std::vector<NarrowedRange> ranges;
};

// The new space (same names, order and lines). Throws std::invalid_argument when there are no
// trials or a spec field is out of range (top_fraction in (0, 1], margin >= 0, quantiles with
// 0 <= low <= high <= 1).
NarrowingResult narrowSearchSpace(const SearchSpace &space,
                                  const std::vector<RankedTrial> &trials,
                                  const NarrowingSpec &spec,
                                  bool maximize);

// Indices of `trials` from best to worst (non-finite values last; ties keep the given order).
std::vector<std::size_t> rankTrials(const std::vector<RankedTrial> &trials, bool maximize);

// The trial's value of a parameter (nested path, or the dotted name as a flat key), or nullopt.
std::optional<nlohmann::json> parameterValue(const nlohmann::json &config,
                                             const NamedParameter &parameter);

// The q-quantile of `sorted` (ascending, not empty) with linear interpolation.
double quantile(const std::vector<double> &sorted, double q);

} // namespace seplab::sweep
