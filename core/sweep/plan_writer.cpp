#include "core/sweep/plan_writer.h"

#include "core/train/yaml_json.h"

#include <algorithm>
#include <sstream>
#include <utility>
#include <yaml-cpp/yaml.h>

namespace seplab::sweep {

using nlohmann::json;

std::string planYamlFromSweep(const SweepConfig &sweep, const std::string &baseConfig)
{
    const Plan plan = planFromSweep(sweep, ".");
    const StagePlan &stage = plan.stages.front();
    json parameters = sweep.parameters.toJson();
    if (!baseConfig.empty())
        parameters.erase("config");

    YAML::Node root;
    root["name"] = plan.name;
    root["metric"] = train::jsonToYaml(metricJson(plan.metric));
    if (!baseConfig.empty())
        root["base_config"] = baseConfig;
    YAML::Node body;
    body["name"] = stage.name;
    body["method"] = sweep.method;
    if (stage.trials)
        body["trials"] = *stage.trials;
    if (stage.epochs)
        body["epochs"] = *stage.epochs;
    if (!sweep.program.empty())
        body["program"] = sweep.program;
    if (!sweep.command.empty())
        body["command"] = train::jsonToYaml(json(sweep.command));
    if (sweep.earlyTerminate)
        body["early_terminate"] = train::jsonToYaml(earlyTerminateJson(*sweep.earlyTerminate));
    body["parameters"] = train::jsonToYaml(parameters);
    YAML::Node stages(YAML::NodeType::Sequence);
    stages.push_back(body);
    root["stages"] = stages;
    return "# One-stage SepLab plan imported from " + sweep.source + "\n" + emitYaml(root);
}

std::string wandbYamlFromStage(const Plan &plan,
                               const StagePlan &stage,
                               const std::optional<SearchSpace> &space)
{
    YAML::Node root;
    if (!stage.sweep.program.empty())
        root["program"] = stage.sweep.program;
    root["method"] = stage.sweep.method == "tpe" ? "bayes" : stage.sweep.method;
    root["metric"] = train::jsonToYaml(metricJson(plan.metric));
    if (stage.sweep.earlyTerminate
        && stage.sweep.earlyTerminate->type == EarlyTerminate::Type::Hyperband)
        root["early_terminate"] = train::jsonToYaml(earlyTerminateJson(*stage.sweep.earlyTerminate));
    json parameters = (space ? *space : stage.sweep.parameters).toJson();
    if (!parameters.contains("config") && !plan.baseConfig.empty())
        parameters["config"] = {{"value", plan.baseConfig}};
    // What the plan and the stage `set` are fixed values to a W&B agent (the stage's wins).
    for (const json *set : {&plan.set, &stage.set})
        for (const auto &[key, value] : set->items())
            if (!parameters.contains(key))
                parameters[key] = {{"value", value}};
    if (stage.epochs)
        parameters["num_epochs"] = {{"value", *stage.epochs}};
    if (stage.trainSamples)
        parameters["train_max_samples"] = {{"value", *stage.trainSamples}};
    root["parameters"] = train::jsonToYaml(parameters);
    // W&B's schema has no `count` (that is `wandb agent --count`); run_cap is the same cap.
    if (stage.trials)
        root["run_cap"] = *stage.trials;
    root["name"] = plan.name + "-" + stage.name;
    if (!stage.sweep.command.empty())
        root["command"] = train::jsonToYaml(json(stage.sweep.command));
    std::string note = "# W&B sweep exported by SepLab from plan '" + plan.name + "', stage '"
                       + stage.name + "'";
    if (stage.sweep.method == "tpe")
        note += " (SepLab's tpe has no W&B equivalent; written as bayes)";
    if (stage.sweep.earlyTerminate
        && stage.sweep.earlyTerminate->type != EarlyTerminate::Type::Hyperband)
        note += " (W&B has only hyperband early termination; the stage's rule is left out)";
    return note + "\n" + emitYaml(root);
}

} // namespace seplab::sweep

namespace seplab::sweep {

namespace {

json promotionJson(const StagePromotion &promotion)
{
    return {{"from", promotion.from},
            {"top_k", promotion.topK},
            {"diverse", promotion.diverse},
            {"min_distance", promotion.minDistance},
            {"per_group", promotion.perGroup}};
}

json executorJson(const ExecutorPlan &executor)
{
    if (executor.type != "local")
        return executor.other; // every key as written, `type` included
    return {{"type", executor.type},
            {"gpus", executor.gpus},
            {"slots_per_gpu", executor.slotsPerGpu},
            {"cpu_slots", executor.cpuSlots},
            {"mps", executor.mps},
            {"threads", executor.threads},
            {"kill_delay", executor.killDelay}};
}

// A mapping with `order`'s keys first, as a person reads a plan, then any others.
YAML::Node orderedYaml(const json &object, const std::vector<std::string> &order)
{
    YAML::Node node(YAML::NodeType::Map);
    for (const std::string &key : order)
        if (object.contains(key))
            node[key] = train::jsonToYaml(object.at(key));
    for (const auto &[key, value] : object.items())
        if (std::find(order.begin(), order.end(), key) == order.end())
            node[key] = train::jsonToYaml(value);
    return node;
}

const std::vector<std::string> kStageOrder = {"name",
                                              "method",
                                              "train_samples",
                                              "epochs",
                                              "trials",
                                              "parallel",
                                              "review",
                                              "narrow_from",
                                              "promote",
                                              "for_each",
                                              "validate",
                                              "early_terminate",
                                              "metric",
                                              "program",
                                              "command",
                                              "set",
                                              "parameters"};
const std::vector<std::string> kPlanOrder
    = {"name", "description", "metric", "base_config", "data", "seed", "set", "executor"};

} // namespace

json stageJson(const StagePlan &stage)
{
    json out = {{"name", stage.name}};
    const SweepConfig &sweep = stage.sweep;
    if (stage.kind != StagePlan::Kind::Validate)
        out["method"] = sweep.method;
    if (stage.trainSamples)
        out["train_samples"] = *stage.trainSamples;
    if (stage.epochs)
        out["epochs"] = *stage.epochs;
    if (stage.trials && stage.kind == StagePlan::Kind::Search)
        out["trials"] = *stage.trials;
    if (stage.parallel > 0)
        out["parallel"] = stage.parallel;
    if (stage.review)
        out["review"] = true;
    if (stage.narrowFrom) {
        const StageNarrowing &narrowing = *stage.narrowFrom;
        out["narrow_from"] = {{"stage", narrowing.stage},
                              {"top_fraction", narrowing.topFraction},
                              {"margin", narrowing.margin}};
        if (narrowing.lowQuantile != 0.0 || narrowing.highQuantile != 1.0)
            out["narrow_from"]["quantiles"] = {narrowing.lowQuantile, narrowing.highQuantile};
    }
    if (stage.kind == StagePlan::Kind::ForEach) {
        out["promote"] = promotionJson(*stage.promote);
        out["for_each"] = "promoted";
    }
    if (stage.kind == StagePlan::Kind::Validate) {
        out["validate"] = promotionJson(*stage.promote);
        out["validate"]["seeds"] = stage.seeds;
    }
    if (sweep.earlyTerminate)
        out["early_terminate"] = earlyTerminateJson(*sweep.earlyTerminate);
    if (sweep.metric)
        out["metric"] = metricJson(*sweep.metric);
    if (!sweep.program.empty())
        out["program"] = sweep.program;
    if (!sweep.command.empty())
        out["command"] = sweep.command;
    if (!stage.set.empty())
        out["set"] = stage.set;
    for (const auto &[key, text] : {std::pair{"description", &sweep.description},
                                    std::pair{"project", &sweep.project},
                                    std::pair{"entity", &sweep.entity}})
        if (!text->empty())
            out[key] = *text;
    for (const auto &[key, value] : sweep.other.items())
        out[key] = value;
    if (stage.parametersGiven && stage.kind != StagePlan::Kind::Validate)
        out["parameters"] = sweep.parameters.toJson();
    return out;
}

json planJson(const Plan &plan)
{
    json out = {{"name", plan.name}, {"metric", metricJson(plan.metric)}};
    if (!plan.description.empty())
        out["description"] = plan.description;
    if (!plan.baseConfig.empty())
        out["base_config"] = plan.baseConfig;
    if (!plan.data.empty())
        out["data"] = plan.data;
    out["seed"] = plan.seed;
    if (!plan.set.empty())
        out["set"] = plan.set;
    out["executor"] = executorJson(plan.executor);
    json stages = json::array();
    for (const StagePlan &stage : plan.stages)
        stages.push_back(stageJson(stage));
    out["stages"] = stages;
    if (plan.scale.empty() && !plan.scaleDefinitions.empty())
        out["scales"] = plan.scaleDefinitions;
    return out;
}

std::string planYaml(const Plan &plan, const std::string &header)
{
    json document = planJson(plan);
    const json stageList = document.at("stages");
    const json scales = document.value("scales", json());
    document.erase("stages");
    document.erase("scales");
    YAML::Node root = orderedYaml(document, kPlanOrder);
    YAML::Node stages(YAML::NodeType::Sequence);
    for (const json &stage : stageList)
        stages.push_back(orderedYaml(stage, kStageOrder));
    root["stages"] = stages;
    if (!scales.is_null())
        root["scales"] = train::jsonToYaml(scales);
    std::string comment;
    if (!header.empty()) {
        std::istringstream lines(header);
        for (std::string line; std::getline(lines, line);)
            comment += "# " + line + "\n";
    }
    return comment + emitYaml(root);
}

} // namespace seplab::sweep
