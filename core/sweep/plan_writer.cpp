#include "core/sweep/plan_writer.h"

#include "core/train/yaml_json.h"

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
