#pragma once

// Plans and W&B sweep files as YAML text: `sweep import-wandb` writes a one-stage plan from a
// W&B sweep, `sweep export-wandb` writes a stage back as a W&B sweep (with its derived ranges
// when the store has them), so that a plan can still be run with `wandb agent`; the GUI's stage
// planner saves an edited plan with planYaml().

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

// A plan stage as the mapping a plan file holds (the keys plan.h documents). Values the parser
// fills in (an inherited method and trial count, `count` as `trials`) are written explicitly,
// so that parsing the written stage gives the same StagePlan.
nlohmann::json stageJson(const StagePlan &stage);
// The whole plan as a mapping: plan keys, executor, stages and, when no scale is applied, the
// `scales:` section as written. A plan read at a scale is written as resolved (the scale's
// values are in its stages) and without `scales`, which would apply them a second time.
nlohmann::json planJson(const Plan &plan);
// planJson() as YAML, keys in the order plan.h shows them; `header` becomes a leading comment.
// parsePlan(planYaml(p)) has the same stages, metric, executor, set, seed, data and base config.
std::string planYaml(const Plan &plan, const std::string &header = {});

} // namespace seplab::sweep
