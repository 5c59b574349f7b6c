#pragma once

// How a stage gets its search space or its list of configurations from the stages before it:
// `narrow_from` (ranges from the best finished trials), `for_each: promoted` (a grid around each
// promoted configuration) and `validate` (each promoted configuration with every seed). The
// result carries its provenance, which the controller stores with the stage and each trial.

#include "core/sweep/plan.h"
#include "core/sweep/search_space.h"

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace seplab::sweep {

// A finished (or cleanly stopped) trial of an earlier stage, with the best value of the metric.
struct CompletedTrial
{
    std::string name;
    nlohmann::json params;
    double value = 0.0;
    std::string group; // the promoted configuration it ran around (for_each, validate)
};

// A configuration a stage runs as given (for_each, validate).
struct FixedTrial
{
    nlohmann::json params;
    std::string group;      // the promoted trial's name
    std::string provenance; // one sentence
};

struct DerivedStage
{
    SearchSpace space;             // search stages: the space as it will run
    std::vector<FixedTrial> fixed; // for_each and validate stages
    nlohmann::json provenance = nlohmann::json::object();
    std::vector<std::string> lines; // the provenance as sentences, for logs and the report
};

// What the derivation needs to know about earlier stages.
struct EarlierStages
{
    // The search space stage `index` ran with (its stored spec).
    std::function<SearchSpace(int index)> space;
    // Its finished and cleanly stopped trials.
    std::function<std::vector<CompletedTrial>(int index)> completed;
};

// Throws std::runtime_error (one sentence naming the stage) when an earlier stage left nothing
// to narrow from or promote.
DerivedStage deriveStage(const Plan &plan, int stageIndex, const EarlierStages &earlier);

// The trials a promotion picks (best first), with a reason each.
struct PromotedTrial
{
    CompletedTrial trial;
    std::string reason;
};
std::vector<PromotedTrial> promoteFromStage(const Plan &plan,
                                            const StagePromotion &promotion,
                                            const EarlierStages &earlier);

} // namespace seplab::sweep
