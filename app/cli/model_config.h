#pragma once

// The `--model NAME [--config F]` pair that model-info and import-weights share: a registered
// model built with the hyperparameters of a training config's `model.<NAME>` section (the
// original project's YAML layout, e.g. experiments/dprnn/dprnn_baseline.yaml).

#include "core/models/separator.h"

#include <nlohmann/json.hpp>
#include <string>

namespace seplab::cli {

struct ModelSpec
{
    std::string name;                                 // registry key, e.g. "dprnn"
    nlohmann::json params = nlohmann::json::object(); // model.<name>, as written
    std::string task;                                 // data.task of the config; empty without one
};

// Reads `model.<name>` and `data.task` from `configPath` (empty path: defaults, no task). As in
// the original project, data.task fixes the source count: C is 1 for ES and EB and 2 for SB when
// the section leaves C out, and a C that contradicts the task is an error. Throws UsageError for
// an unknown model name, and std::runtime_error naming the file (and line) for an unreadable or
// malformed config.
ModelSpec readModelSpec(const std::string &name, const std::string &configPath);

// createModel(spec.name, spec.params); a bad hyperparameter throws std::runtime_error naming
// `configPath` (or "the defaults") and the key.
models::SeparatorPtr buildModel(const ModelSpec &spec, const std::string &configPath);

} // namespace seplab::cli
