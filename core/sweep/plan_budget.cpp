#include "core/sweep/plan_budget.h"

#include "core/sweep/early_termination.h"
#include "core/sweep/samplers.h"
#include "core/train/yaml_json.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace seplab::sweep {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

int slotCount(const ExecutorPlan &executor)
{
    return executor.gpus.empty() ? std::max(1, executor.cpuSlots)
                                 : int(executor.gpus.size()) * std::max(1, executor.slotsPerGpu);
}

std::optional<std::int64_t> stageTrials(const StagePlan &stage)
{
    switch (stage.kind) {
    case StagePlan::Kind::Search:
        if (stage.trials)
            return stage.trials;
        if (stage.sweep.method == "grid" && stage.parametersGiven && !stage.narrowFrom)
            return std::int64_t(gridSize(stage.sweep.parameters));
        return std::nullopt;
    case StagePlan::Kind::ForEach:
        return std::int64_t(stage.promote->topK) * std::int64_t(gridSize(stage.sweep.parameters));
    case StagePlan::Kind::Validate:
        return std::int64_t(stage.promote->topK) * std::int64_t(stage.seeds.size());
    }
    return std::nullopt;
}

// Parses a stored plan as it ran; nullopt when its text no longer parses here.
std::optional<Plan> storedPlan(const store::PlanRecord &record)
{
    try {
        return parsePlan(record.yaml, record.sourcePath, record.options.value("scale", ""));
    } catch (const std::exception &) {
        return std::nullopt;
    }
}

int storedShare(const store::PlanRecord &record, const std::optional<Plan> &plan)
{
    ExecutorPlan executor = plan ? plan->executor : ExecutorPlan{};
    const json &options = record.options;
    if (options.contains("gpus"))
        executor.gpus = options["gpus"].get<std::vector<int>>();
    if (options.contains("slots_per_gpu"))
        executor.slotsPerGpu = options["slots_per_gpu"].get<int>();
    if (options.contains("cpu_slots"))
        executor.cpuSlots = options["cpu_slots"].get<int>();
    return trialsPerDevice(executor);
}

std::vector<EpochTiming> planTimings(const store::ExperimentStore &store, std::int64_t planId)
{
    std::vector<EpochTiming> timings;
    for (const store::StageRecord &stage : store.stages(planId)) {
        const json samples = stage.spec.value("train_samples", json());
        if (!samples.is_number_integer())
            continue;
        for (const store::TrialRecord &trial : store.trials(stage.id)) {
            EpochTiming timing;
            timing.trainSamples = samples.get<std::int64_t>();
            for (const store::MetricRecord &row : store.metrics(trial.id, "seconds")) {
                timing.seconds += row.value;
                ++timing.epochs;
            }
            if (timing.epochs == 0 && store::isTerminal(trial.state) && trial.epochs > 0
                && trial.startedAt > 0 && trial.finishedAt > trial.startedAt) {
                timing.seconds = trial.finishedAt - trial.startedAt;
                timing.epochs = trial.epochs;
            }
            if (timing.epochs > 0)
                timings.push_back(timing);
        }
    }
    return timings;
}

std::string readText(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw std::invalid_argument(path + ": cannot open the training config.");
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

} // namespace

int trialsPerDevice(const ExecutorPlan &executor)
{
    return executor.gpus.empty() ? std::max(1, executor.cpuSlots)
                                 : std::max(1, executor.slotsPerGpu);
}

std::vector<StageBudgetInput> budgetInputs(const Plan &plan)
{
    const int slots = slotCount(plan.executor);
    std::vector<StageBudgetInput> inputs;
    for (const StagePlan &stage : plan.stages) {
        StageBudgetInput input;
        input.name = stage.name;
        input.trials = stageTrials(stage);
        input.epochs = stage.epochs;
        input.trainSamples = stage.trainSamples;
        input.concurrency = stage.parallel > 0 ? std::min(stage.parallel, slots) : slots;
        const auto &rule = stage.sweep.earlyTerminate;
        if (rule && stage.epochs && rule->type != EarlyTerminate::Type::MedianStopping) {
            for (const int band :
                 makeEarlyStopper(*rule, plan.metric.maximize())->bands(*stage.epochs))
                if (band < *stage.epochs)
                    input.bands.push_back(band);
            input.survival = 1.0 / rule->eta;
        }
        inputs.push_back(input);
    }
    return inputs;
}

std::string trainingConfigPath(const Plan &plan)
{
    std::string config = plan.baseConfig;
    for (const StagePlan &stage : plan.stages)
        if (config.empty() && !stage.configParameter().empty())
            config = stage.configParameter();
    return plan.resolvePath(config);
}

MeasuredEpochs measuredEpochs(const store::ExperimentStore &store, const Plan &plan)
{
    MeasuredEpochs measured;
    const std::vector<store::PlanRecord> records = store.plans();
    auto take = [&](const store::PlanRecord &record, const std::optional<Plan> &parsed) {
        measured.timings = planTimings(store, record.id);
        measured.share = storedShare(record, parsed);
        int epochs = 0;
        for (const EpochTiming &timing : measured.timings)
            epochs += timing.epochs;
        measured.source = std::to_string(epochs) + " measured epochs of plan '" + record.name
                          + "' in " + store.path();
        return !measured.timings.empty();
    };
    for (const store::PlanRecord &record : records)
        if (record.name == plan.name && record.options.value("scale", "") == plan.scale
            && take(record, storedPlan(record)))
            return measured;
    const std::string config = trainingConfigPath(plan);
    if (!config.empty())
        for (const store::PlanRecord &record : records) {
            const std::optional<Plan> parsed = storedPlan(record);
            if (!parsed)
                continue;
            const std::string override = record.options.value("base_config", "");
            const std::string used = override.empty() ? trainingConfigPath(*parsed) : override;
            if (used == config && take(record, parsed))
                return measured;
        }
    return {};
}

std::vector<std::string> benchTrainArguments(const Plan &plan)
{
    const std::string config = trainingConfigPath(plan);
    if (config.empty())
        throw std::invalid_argument(plan.source
                                    + ": the plan names no training config (base_config) to "
                                      "benchmark.");
    const YAML::Node root = train::loadYamlText(readText(config), config);
    const YAML::Node model = root["model"] ? root["model"]["model_type"] : YAML::Node();
    const YAML::Node batch = root["data"] ? root["data"]["batch_size"] : YAML::Node();
    const YAML::Node segment = root["data"] ? root["data"]["segment_seconds"] : YAML::Node();
    if (!model)
        throw std::invalid_argument(config
                                    + ": needs model.model_type to benchmark a training step.");
    const std::string device = plan.executor.gpus.empty()
                                   ? std::string("cpu")
                                   : "cuda:" + std::to_string(plan.executor.gpus.front());
    std::vector<std::string> args
        = {"bench", "train", "--model", model.as<std::string>(), "--config", config};
    if (batch)
        args.insert(args.end(), {"--batch", batch.as<std::string>()});
    // Without a segment the trainer takes whole clips; bench's default clip length stands in.
    if (segment && !segment.IsNull() && segment.as<double>() > 0.0)
        args.insert(args.end(), {"--seconds", segment.as<std::string>()});
    args.insert(args.end(), {"--device", device, "--steps", "5", "--warmup", "1"});
    if (plan.executor.threads > 0) {
        args.push_back("--threads");
        args.push_back(std::to_string(plan.executor.threads));
    }
    return args;
}

} // namespace seplab::sweep
