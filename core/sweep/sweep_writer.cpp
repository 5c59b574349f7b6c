#include "core/sweep/sweep_writer.h"

#include "core/train/yaml_json.h"

#include <yaml-cpp/yaml.h>

namespace seplab::sweep {

using nlohmann::json;

json metricJson(const MetricSpec &metric)
{
    json out = {{"name", metric.name}, {"goal", metric.goal}};
    if (metric.target)
        out["target"] = *metric.target;
    if (metric.impute != "worst")
        out["impute"] = metric.impute;
    if (metric.imputeWhileRunning != "false")
        out["impute_while_running"] = metric.imputeWhileRunning;
    return out;
}

json earlyTerminateJson(const EarlyTerminate &et)
{
    json out;
    switch (et.type) {
    case EarlyTerminate::Type::Hyperband:
        out["type"] = "hyperband";
        if (et.minIter)
            out["min_iter"] = *et.minIter;
        if (et.maxIter)
            out["max_iter"] = *et.maxIter;
        if (et.s)
            out["s"] = *et.s;
        out["eta"] = et.eta;
        out["strict"] = et.strict;
        break;
    case EarlyTerminate::Type::Asha:
        out["type"] = "asha";
        if (et.minIter)
            out["min_iter"] = *et.minIter;
        if (et.maxIter)
            out["max_iter"] = *et.maxIter;
        out["eta"] = et.eta;
        break;
    case EarlyTerminate::Type::MedianStopping:
        out["type"] = "median_stopping";
        out["min_run_time"] = et.minRunTime;
        out["min_step"] = et.minStep;
        out["patience"] = et.patience;
        break;
    }
    return out;
}

std::string emitYaml(const YAML::Node &root)
{
    YAML::Emitter out;
    out << root;
    return std::string(out.c_str()) + "\n";
}

std::string wandbYamlFromSweep(const SweepConfig &sweep, const std::string &header)
{
    YAML::Node root;
    if (!sweep.name.empty())
        root["name"] = sweep.name;
    if (!sweep.description.empty())
        root["description"] = sweep.description;
    if (!sweep.project.empty())
        root["project"] = sweep.project;
    if (!sweep.entity.empty())
        root["entity"] = sweep.entity;
    if (!sweep.program.empty())
        root["program"] = sweep.program;
    root["method"] = sweep.method;
    if (sweep.metric)
        root["metric"] = train::jsonToYaml(metricJson(*sweep.metric));
    if (sweep.earlyTerminate)
        root["early_terminate"] = train::jsonToYaml(earlyTerminateJson(*sweep.earlyTerminate));
    root["parameters"] = train::jsonToYaml(sweep.parameters.toJson());
    if (sweep.runCap)
        root["run_cap"] = *sweep.runCap;
    else if (sweep.count)
        root["run_cap"] = *sweep.count;
    if (!sweep.command.empty())
        root["command"] = train::jsonToYaml(json(sweep.command));
    for (const auto &[key, value] : sweep.other.items())
        root[key] = train::jsonToYaml(value);
    return (header.empty() ? std::string() : "# " + header + "\n") + emitYaml(root);
}

} // namespace seplab::sweep
