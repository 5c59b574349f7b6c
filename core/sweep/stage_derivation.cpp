#include "core/sweep/stage_derivation.h"

#include "core/sweep/narrowing.h"
#include "core/sweep/promotion.h"
#include "core/sweep/samplers.h"

#include <algorithm>
#include <map>
#include <stdexcept>

namespace seplab::sweep {

namespace {

using nlohmann::json;

std::vector<RankedTrial> ranked(const std::vector<CompletedTrial> &trials)
{
    std::vector<RankedTrial> out;
    out.reserve(trials.size());
    for (const CompletedTrial &trial : trials)
        out.push_back({trial.name, trial.params, trial.value});
    return out;
}

bool better(double a, double b, bool maximize)
{
    return maximize ? a > b : a < b;
}

// Parameters given in the stage replace the narrowed ones of the same name; new ones are added.
SearchSpace overlay(const SearchSpace &narrowed, const SearchSpace &given)
{
    SearchSpace space;
    for (const NamedParameter &parameter : narrowed.parameters()) {
        const NamedParameter *replacement = given.find(parameter.name);
        space.add(replacement ? *replacement : parameter);
    }
    for (const NamedParameter &parameter : given.parameters())
        if (!narrowed.find(parameter.name))
            space.add(parameter);
    return space;
}

json merged(json base, const json &on)
{
    base.merge_patch(on);
    return base;
}

std::string describe(const json &params)
{
    std::string text;
    for (const auto &[key, value] : params.items())
        text += (text.empty() ? "" : ", ") + key + "=" + value.dump();
    return text;
}

} // namespace

std::vector<PromotedTrial> promoteFromStage(const Plan &plan,
                                            const StagePromotion &promotion,
                                            const EarlierStages &earlier)
{
    const int from = plan.stageIndex(promotion.from);
    std::vector<CompletedTrial> candidates = earlier.completed(from);
    const bool maximize = plan.metric.maximize();
    std::string groupNote;
    if (promotion.perGroup) {
        // Best trial of each group, then the top-k of those.
        std::map<std::string, CompletedTrial> best;
        for (const CompletedTrial &trial : candidates) {
            auto it = best.find(trial.group);
            if (it == best.end() || better(trial.value, it->second.value, maximize))
                best[trial.group] = trial;
        }
        candidates.clear();
        for (auto &[group, trial] : best)
            candidates.push_back(trial);
        groupNote = ", best of each of " + std::to_string(candidates.size()) + " groups";
    }
    if (candidates.empty())
        throw std::runtime_error("stage '" + promotion.from
                                 + "' has no finished trial to promote from.");
    PromotionSpec spec;
    spec.from = promotion.from;
    spec.topK = promotion.topK;
    spec.diverse = promotion.diverse;
    spec.minDistance = promotion.minDistance;
    const std::vector<Promoted> picked = promoteTopK(earlier.space(from),
                                                     ranked(candidates),
                                                     spec,
                                                     maximize);
    std::vector<PromotedTrial> out;
    for (const Promoted &p : picked)
        out.push_back({candidates[p.index], p.reason + groupNote});
    return out;
}

DerivedStage deriveStage(const Plan &plan, int stageIndex, const EarlierStages &earlier)
{
    const StagePlan &stage = plan.stages.at(std::size_t(stageIndex));
    DerivedStage derived;
    if (stage.kind == StagePlan::Kind::Search) {
        if (!stage.narrowFrom) {
            derived.space = stage.sweep.parameters;
            derived.provenance["space"] = "given";
            return derived;
        }
        const int from = plan.stageIndex(stage.narrowFrom->stage);
        const std::vector<CompletedTrial> completed = earlier.completed(from);
        if (completed.empty())
            throw std::runtime_error("stage '" + stage.name + "' narrows from stage '"
                                     + stage.narrowFrom->stage + "', which has no finished trial.");
        NarrowingSpec spec;
        spec.stage = stage.narrowFrom->stage;
        spec.topFraction = stage.narrowFrom->topFraction;
        spec.margin = stage.narrowFrom->margin;
        spec.lowQuantile = stage.narrowFrom->lowQuantile;
        spec.highQuantile = stage.narrowFrom->highQuantile;
        const NarrowingResult result = narrowSearchSpace(earlier.space(from),
                                                         ranked(completed),
                                                         spec,
                                                         plan.metric.maximize());
        derived.space = stage.parametersGiven ? overlay(result.space, stage.sweep.parameters)
                                              : result.space;
        json ranges = json::array();
        for (const NarrowedRange &range : result.ranges) {
            const bool overridden = stage.parametersGiven
                                    && stage.sweep.parameters.find(range.parameter);
            ranges.push_back({{"parameter", range.parameter},
                              {"before", range.before},
                              {"after", range.after},
                              {"provenance", range.provenance},
                              {"overridden_by_stage", overridden}});
            derived.lines.push_back(range.parameter + ": " + range.provenance
                                    + (overridden ? " (replaced by the stage's own range)" : ""));
        }
        derived.provenance["space"] = "derived";
        derived.provenance["narrow_from"] = stage.narrowFrom->stage;
        derived.provenance["ranges"] = ranges;
        return derived;
    }

    const std::vector<PromotedTrial> promoted = promoteFromStage(plan, *stage.promote, earlier);
    json promotedJson = json::array();
    for (const PromotedTrial &p : promoted) {
        promotedJson.push_back({{"trial", p.trial.name},
                                {"params", p.trial.params},
                                {"value", p.trial.value},
                                {"reason", p.reason}});
        derived.lines.push_back("promoted " + p.trial.name + " from stage '" + stage.promote->from
                                + "': " + p.reason);
    }
    derived.provenance["promoted_from"] = stage.promote->from;
    derived.provenance["promoted"] = promotedJson;

    if (stage.kind == StagePlan::Kind::Validate) {
        for (const PromotedTrial &p : promoted)
            for (std::int64_t seed : stage.seeds)
                derived.fixed.push_back({merged(p.trial.params, json{{"seed", seed}}),
                                         p.trial.name,
                                         "configuration of " + p.trial.name + " (stage '"
                                             + stage.promote->from + "'), seed "
                                             + std::to_string(seed)});
        return derived;
    }
    // for_each: the stage's grid around each promoted configuration.
    derived.space = stage.sweep.parameters;
    const std::vector<json> grid = gridConfigurations(stage.sweep.parameters);
    for (const PromotedTrial &p : promoted)
        for (const json &cell : grid)
            derived.fixed.push_back(
                {merged(p.trial.params, cell),
                 p.trial.name,
                 "configuration of " + p.trial.name + " with " + describe(cell)});
    return derived;
}

} // namespace seplab::sweep
