#pragma once

// Parameter values as W&B's agent writes them into argv (spec hpo.md §1(f)): Python's str() of
// the value the sweep config gave, so a script swept by W&B reads the same text here.

#include <nlohmann/json.hpp>
#include <string>

namespace seplab::exec {

// Python str(): True/False, None, ints, floats as repr (shortest round-trip: 0.001 -> "0.001",
// 1e-05 -> "1e-05", 1.0 -> "1.0", 1e16 -> "1e+16", nan, inf), strings as they are, lists and
// dicts as Python reprs ("[1, 'a']", "{'a': 1}"; keys in sorted order).
std::string pythonStr(const nlohmann::json &value);

// Python repr() of a float (what pythonStr gives for a number_float).
std::string pythonFloatRepr(double value);

// Python json.dumps() with its defaults: ", " and ": " separators, floats as repr, NaN and
// Infinity for non-finite floats, non-ASCII characters as \u escapes.
std::string pythonJsonDumps(const nlohmann::json &value);

} // namespace seplab::exec
