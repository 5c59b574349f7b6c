#pragma once

// YAML <-> JSON for config sections: model hyperparameters travel as JSON (Separator::params,
// checkpoints, the store) but users write YAML. Scalars keep their YAML type: 64 -> integer,
// 0.5 and 1e-4 -> number, true/false -> bool, null/~ -> null, anything else -> string.

#include <nlohmann/json.hpp>
#include <string>
#include <yaml-cpp/yaml.h>

namespace seplab::train {

nlohmann::json yamlToJson(const YAML::Node &node);
YAML::Node jsonToYaml(const nlohmann::json &json);

// YAML::Load with a syntax error turned into one sentence naming the file, the line and the
// column: "FILE line L, column C: YAML syntax error: ...".
YAML::Node loadYamlText(const std::string &text, const std::string &source);

} // namespace seplab::train
