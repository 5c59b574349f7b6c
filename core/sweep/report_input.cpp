#include "core/sweep/report_input.h"

#include "core/data/mmipc.h"
#include "core/sweep/plan.h"
#include "core/train/train_config.h"

#include <cstdio>
#include <ctime>
#include <filesystem>

namespace seplab::sweep {

namespace {

using nlohmann::json;

std::string number(double value)
{
    char text[32];
    std::snprintf(text, sizeof text, "%g", value);
    return text;
}

std::string rangeText(const Parameter &parameter)
{
    if (parameter.isConstant())
        return "= " + parameter.value().dump();
    if (parameter.isCategorical()) {
        std::string text;
        for (const json &value : parameter.values())
            text += (text.empty() ? "" : ", ") + value.dump();
        return "[" + text + "]";
    }
    const std::string name = distributionName(parameter.distribution());
    switch (parameter.distribution()) {
    case Distribution::Normal:
    case Distribution::QNormal:
    case Distribution::LogNormal:
    case Distribution::QLogNormal:
        return name + "(mu " + number(parameter.mu()) + ", sigma " + number(parameter.sigma())
               + ")";
    case Distribution::Beta:
    case Distribution::QBeta:
        return name + "(a " + number(parameter.a()) + ", b " + number(parameter.b()) + ")";
    default:
        break;
    }
    return "[" + number(parameter.min()) + ", " + number(parameter.max()) + "] " + name;
}

void flatten(const json &params, const std::string &prefix, json &out)
{
    for (const auto &[key, value] : params.items()) {
        if (prefix.empty() && key == "config")
            continue;
        const std::string name = prefix.empty() ? key : prefix + "." + key;
        if (value.is_object())
            flatten(value, name, out);
        else
            out[name] = value;
    }
}

std::string nowText()
{
    const std::time_t now = std::time(nullptr);
    std::tm local{};
    localtime_r(&now, &local);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%d %H:%M", &local);
    return text;
}

} // namespace

report::ReportInput reportInputFromStore(const store::ExperimentStore &store,
                                         const std::string &planName)
{
    std::optional<store::PlanRecord> record;
    if (planName.empty()) {
        const auto plans = store.plans();
        if (!plans.empty())
            record = plans.back();
    } else {
        record = store.planByName(planName);
    }
    if (!record)
        throw std::runtime_error(store.path() + " has no plan"
                                 + (planName.empty() ? std::string() : " named '" + planName + "'")
                                 + " to report on.");
    const Plan plan = parsePlan(record->yaml,
                                record->sourcePath,
                                record->options.value("scale", std::string()));
    report::ReportInput input;
    input.planName = plan.name;
    input.metricName = plan.metric.name;
    input.maximize = plan.metric.maximize();
    input.generatedAt = nowText();
    const std::string baseConfig = record->options.value("base_config", std::string());
    const std::string configPath = plan.resolvePath(baseConfig.empty() ? plan.baseConfig
                                                                       : baseConfig);
    if (!configPath.empty() && std::filesystem::is_regular_file(configPath)) {
        try {
            const train::TrainConfig config = train::loadTrainConfig(configPath, {});
            input.model = config.model.modelType;
            input.task = data::taskName(config.data.task);
        } catch (const std::exception &) {
            // The report still stands without the model's name.
        }
    }

    const double now = store::nowSeconds();
    for (const store::StageRecord &stage : store.stages(record->id)) {
        report::ReportStage out;
        out.name = stage.name;
        out.kind = stage.kind;
        // A validate stage samples nothing: it has no method to show.
        if (stage.kind != "validate")
            out.method = stage.spec.value("method", std::string());
        out.earlyTerminate = stage.spec.value("early_terminate", std::string());
        out.trainSamples = stage.spec.value("train_samples", std::int64_t(0));
        out.epochs = stage.spec.value("epochs", 0);
        out.provenance = stage.spec.value("provenance_lines", std::vector<std::string>());
        if (stage.kind == "search" || stage.kind == "for_each") {
            const SearchSpace space = SearchSpace::fromJson(stage.spec.value("space",
                                                                             json::object()),
                                                            stage.name);
            for (const NamedParameter &parameter : space.parameters())
                out.space.push_back(
                    {parameter.name, parameter.parameter.isLog(), rangeText(parameter.parameter)});
        }
        if (const StagePlan *planned = plan.findStage(stage.name); planned && planned->promote)
            out.previousStage = planned->promote->from;
        const double end = stage.finishedAt > 0 ? stage.finishedAt : now;
        out.wallSeconds = stage.startedAt > 0 ? end - stage.startedAt : 0.0;
        for (const store::TrialRecord &trial : store.trials(stage.id)) {
            report::ReportTrial row;
            row.name = trial.name;
            row.state = store::trialStateName(trial.state);
            row.params = json::object();
            flatten(trial.params, "", row.params);
            row.best = trial.bestValue;
            for (const store::MetricRecord &metric : store.metrics(trial.id, plan.metric.name))
                row.curve.emplace_back(metric.step, metric.value);
            const double finished = trial.finishedAt > 0 ? trial.finishedAt : now;
            row.runtimeSeconds = trial.startedAt > 0 ? finished - trial.startedAt : 0.0;
            row.epochs = trial.epochs;
            row.seed = trial.seed;
            row.device = trial.device;
            row.group = trial.provenance.value("group", std::string());
            out.trials.push_back(std::move(row));
        }
        input.stages.push_back(std::move(out));
    }
    return input;
}

} // namespace seplab::sweep
