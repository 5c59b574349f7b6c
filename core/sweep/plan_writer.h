#pragma once

// Plans and W&B sweep files as YAML text: `sweep import-wandb` writes a one-stage plan from a
// W&B sweep, `sweep export-wandb` writes a stage back as a W&B sweep (with its derived ranges
// when the store has them), so that a plan can still be run with `wandb agent`.

#include "core/sweep/plan.h"
#include "core/sweep/search_space.h"
#include "core/sweep/sweep_writer.h"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace seplab::sweep {

// A one-stage plan for a W&B sweep: its name, metric, parameters, method, early_terminate,
// count as `trials`; `baseConfig`, when given, replaces the `config` parameter.
std::string planYamlFromSweep(const SweepConfig &sweep, const std::string &baseConfig);

// A stage as a W&B sweep file. `space` replaces the stage's own parameters (a derived stage's
// ranges as run); `trials` becomes `run_cap`.
std::string wandbYamlFromStage(const Plan &plan,
                               const StagePlan &stage,
                               const std::optional<SearchSpace> &space = std::nullopt);

} // namespace seplab::sweep
