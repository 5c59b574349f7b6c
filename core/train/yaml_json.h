#pragma once

// YAML <-> JSON for config sections: model hyperparameters travel as JSON (Separator::params,
// checkpoints, the store) but users write YAML. Scalars keep their YAML type: 64 -> integer,
// 0.5 and 1e-4 -> number, true/false -> bool, null/~ -> null, anything else -> string.

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

namespace seplab::train {

nlohmann::json yamlToJson(const YAML::Node &node);
YAML::Node jsonToYaml(const nlohmann::json &json);

} // namespace seplab::train
