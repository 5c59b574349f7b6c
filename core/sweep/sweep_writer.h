#pragma once

// W&B sweep files as YAML text, and the pieces plans share with them: the metric and the
// early-termination section written back in W&B's form. Torch-free (seplab_space): the GUI's
// search-space editor exports through it.

#include "core/sweep/search_space.h"

#include <nlohmann/json.hpp>
#include <string>

namespace YAML {
class Node;
}

namespace seplab::sweep {

nlohmann::json metricJson(const MetricSpec &metric);
nlohmann::json earlyTerminateJson(const EarlyTerminate &earlyTerminate);

// A YAML document's text, ending in a newline.
std::string emitYaml(const YAML::Node &root);

// `sweep` as a W&B sweep file: parseSweepConfig(wandbYamlFromSweep(s)) has the same
// parameters, method, metric, early termination, program, command, name and count (as
// `run_cap` when the sweep had no run_cap: W&B's schema has no `count`), and the keys W&B knows
// that SepLab keeps without acting on them. `header` becomes a leading comment when not empty.
std::string wandbYamlFromSweep(const SweepConfig &sweep, const std::string &header = {});

} // namespace seplab::sweep
