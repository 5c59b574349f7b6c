#pragma once

// One row of the search-space editor as the user typed it, and what core's parameter parser
// makes of it. The row's cells are texts; the spec sent to sweep::Parameter::fromJson is built
// from them by the distribution's keys, so every check (min < max, positive log bounds, empty
// values, probabilities summing to 1, ...) is core's, with core's sentence. No Qt.

#include "core/sweep/parameter.h"
#include "core/sweep/search_space.h"

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace seplab::ui {

struct SpaceRow
{
    std::string name;
    std::string distribution = "uniform";
    std::string low;     // min, or mu (normal forms), or a (beta)
    std::string high;    // max, or sigma, or b
    std::string q;       // q forms only; empty = 1
    std::string values;  // constant: the value; categorical: "a, b, c" or "[a, b, c]"
    std::string weights; // categorical_w_probabilities: the probabilities, as values
};

// The cells a distribution reads: "low", "high", "q", "values", "weights".
bool rowUses(const std::string &distribution, const std::string &cell);
// What the low and high cells mean for a distribution: "min"/"max", "mu"/"sigma", "a"/"b".
std::pair<std::string, std::string> boundNames(const std::string &distribution);

// The W&B spec the row describes. Numbers are read as YAML scalars (1e-4, 64, true).
nlohmann::json rowSpec(const SpaceRow &row);

struct RowCheck
{
    std::optional<sweep::Parameter> parameter;
    std::string error; // one sentence, empty when valid
    std::string cell;  // the cell the error is about ("name", "low", ...), empty when unknown
};
RowCheck checkRow(const SpaceRow &row);

// The row that shows a parsed parameter.
SpaceRow rowFromParameter(const sweep::NamedParameter &parameter);

// The log/linear twin of a distribution ("uniform" <-> "log_uniform_values", "normal" <->
// "log_normal", their q forms); empty when it has none.
std::string logTwin(const std::string &distribution);

} // namespace seplab::ui
