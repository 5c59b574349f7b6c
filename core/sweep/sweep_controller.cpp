#include "core/sweep/sweep_controller.h"

#include "core/exec/local_executor.h"
#include "core/exec/mps_daemon.h"
#include "core/exec/slurm_client.h"
#include "core/exec/slurm_executor.h"
#include "core/store/experiment_store.h"
#include "core/sweep/plan_writer.h"
#include "core/sweep/stage_runner.h"
#include "core/sweep/stored_stages.h"

#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <unistd.h>

namespace seplab::sweep {

namespace {

using nlohmann::json;
namespace fs = std::filesystem;

json optionsJson(const ControllerOptions &options)
{
    json out = {{"scale", options.scale},
                {"data", options.dataRoot},
                {"base_config", options.baseConfig},
                {"overrides", options.overrides},
                {"runs_root", options.runsRoot}};
    if (options.gpus)
        out["gpus"] = *options.gpus;
    if (options.slotsPerGpu)
        out["slots_per_gpu"] = *options.slotsPerGpu;
    if (options.cpuSlots)
        out["cpu_slots"] = *options.cpuSlots;
    if (options.threads)
        out["threads"] = *options.threads;
    if (options.mps)
        out["mps"] = *options.mps;
    if (options.trials)
        out["trials"] = *options.trials;
    if (options.executor)
        out["executor"] = *options.executor;
    if (!options.slurm.empty())
        out["slurm"] = options.slurm;
    return out;
}

// The command line's Slurm keys over the plan's.
void applySlurmOverrides(exec::SlurmOptions &options, const json &overrides)
{
    const auto text = [&](const char *key, std::string &field) {
        if (overrides.contains(key))
            field = overrides[key].get<std::string>();
    };
    text("partition", options.partition);
    text("gres", options.gres);
    text("time", options.time);
    text("mem", options.mem);
    text("account", options.account);
    text("qos", options.qos);
    if (overrides.contains("cpus_per_task"))
        options.cpusPerTask = overrides["cpus_per_task"].get<int>();
    if (overrides.contains("max_jobs_in_queue"))
        options.maxJobsInQueue = overrides["max_jobs_in_queue"].get<int>();
}

// Stored options fill in what this invocation left unset (resume keeps the
// plan's data, base config and overrides; slots and GPUs may change between
// runs).
ControllerOptions withStored(ControllerOptions options, const json &stored)
{
    auto text = [&](const char *key) { return stored.value(key, std::string()); };
    options.scale = text("scale");
    options.dataRoot = text("data");
    options.baseConfig = text("base_config");
    options.overrides = stored.value("overrides", std::vector<std::string>());
    if (options.runsRoot.empty())
        options.runsRoot = text("runs_root");
    if (!options.gpus && stored.contains("gpus"))
        options.gpus = stored["gpus"].get<std::vector<int>>();
    if (!options.slotsPerGpu && stored.contains("slots_per_gpu"))
        options.slotsPerGpu = stored["slots_per_gpu"].get<int>();
    if (!options.cpuSlots && stored.contains("cpu_slots"))
        options.cpuSlots = stored["cpu_slots"].get<int>();
    if (!options.threads && stored.contains("threads"))
        options.threads = stored["threads"].get<int>();
    if (!options.mps && stored.contains("mps"))
        options.mps = stored["mps"].get<bool>();
    if (!options.trials && stored.contains("trials"))
        options.trials = stored["trials"].get<std::int64_t>();
    if (!options.executor && stored.contains("executor"))
        options.executor = stored["executor"].get<std::string>();
    if (stored.contains("slurm")) {
        json merged = stored["slurm"];
        merged.update(options.slurm); // this invocation's keys win
        options.slurm = merged;
    }
    return options;
}

// The stage as the store keeps it: what the controller resolved, plus what a
// reader (the GUI's monitor, the report) needs without parsing the plan again:
// the metric and, under early termination, the iterations at which trials are
// judged (the chart's band markers).
json stageSpec(const Plan &plan, const StagePlan &stage, const DerivedStage &derived)
{
    json fixed = json::array();
    for (const FixedTrial &trial : derived.fixed)
        fixed.push_back(
            {{"params", trial.params}, {"group", trial.group}, {"provenance", trial.provenance}});
    json spec = {{"method", stage.sweep.method},
                 {"space", derived.space.toJson()},
                 {"fixed", fixed},
                 {"provenance_lines", derived.lines},
                 {"parallel", stage.parallel}};
    if (stage.trainSamples)
        spec["train_samples"] = *stage.trainSamples;
    if (stage.epochs)
        spec["epochs"] = *stage.epochs;
    if (stage.trials)
        spec["trials"] = *stage.trials;
    spec["metric"] = {{"name", plan.metric.name}, {"goal", plan.metric.goal}};
    if (stage.sweep.earlyTerminate) {
        const auto stopper = makeEarlyStopper(*stage.sweep.earlyTerminate, true);
        spec["early_terminate"] = stopper->describe();
        // An external program's stage may not say how long it runs: its bands up to
        // 1000 iterations, of which a chart draws those within its axis.
        spec["bands"] = stopper->bands(stage.epochs ? *stage.epochs : 1000);
    }
    if (!stage.seeds.empty())
        spec["seeds"] = stage.seeds;
    return spec;
}

bool programRunnable(const std::string &program, const std::string &resolved)
{
    if (program.empty())
        return false;
    if (program.find('/') == std::string::npos && resolved.empty())
        return false;
    return fs::exists(resolved);
}

} // namespace

SweepController::SweepController(ControllerOptions options)
    : m_options(std::move(options))
{}

std::unique_ptr<exec::Executor> SweepController::slurmExecutor(
    const Plan &plan, const exec::SlurmOptions &options) const
{
    auto client = std::make_shared<exec::SlurmClient>(m_options.slurmBinDir);
    if (!client->available())
        throw std::runtime_error("plan '" + plan.name
                                 + "': the slurm executor needs a Slurm controller, and `"
                                 + client->program("sinfo")
                                 + "` did not answer; run the sweep on a login node of the "
                                   "cluster.");
    if (m_options.log)
        *m_options.log << "Slurm: partition "
                       << (options.partition.empty() ? "(the default)" : options.partition)
                       << ", at most " << options.maxJobsInQueue
                       << " jobs queued or running, squeue every " << options.pollInterval
                       << " s; run folders under "
                       << (m_options.runsRoot.empty() ? "the store's folder" : m_options.runsRoot)
                       << " must be on a filesystem the nodes share." << std::endl;
    auto executor = std::make_unique<exec::SlurmExecutor>(options, client);
    if (m_options.slurmSettleSeconds)
        executor->setSettleSeconds(*m_options.slurmSettleSeconds);
    return executor;
}

ControllerResult SweepController::run(const Plan &plan, const std::string &planText)
{
    store::ExperimentStore store
        = store::ExperimentStore::open(m_options.storePath, store::ExperimentStore::Mode::ReadWrite);
    if (store.planByName(plan.name))
        throw std::runtime_error(m_options.storePath + " already holds a plan named '" + plan.name
                                 + "'; `sweep resume` continues it, or rename the plan.");
    store::PlanRecord record;
    record.name = plan.name;
    record.yaml = planText;
    record.sourcePath = fs::absolute(plan.source).string();
    record.state = "running";
    record.options = optionsJson(m_options);
    record.controllerPid = int(::getpid());
    record.createdAt = record.updatedAt = store::nowSeconds();
    const std::int64_t id = store.addPlan(record);
    return execute(id);
}

store::PlanRecord SweepController::resumablePlan(const std::string &planName) const
{
    std::optional<store::PlanRecord> record;
    {
        const store::ExperimentStore store
            = store::ExperimentStore::open(m_options.storePath,
                                           store::ExperimentStore::Mode::ReadOnly);
        if (planName.empty()) {
            const std::vector<store::PlanRecord> plans = store.plans();
            if (!plans.empty())
                record = plans.back();
        } else {
            record = store.planByName(planName);
        }
    }
    if (!record)
        throw std::runtime_error(m_options.storePath + " has no plan"
                                 + (planName.empty() ? std::string() : " named '" + planName + "'")
                                 + " to resume.");
    if (record->controllerPid != int(::getpid())
        && processAliveWith(record->controllerPid, "seplab"))
        throw std::runtime_error("plan '" + record->name
                                 + "' is still running under controller "
                                   "pid "
                                 + std::to_string(record->controllerPid)
                                 + "; `sweep stop` it first.");
    return *record;
}

ControllerResult SweepController::resume(const std::string &planName)
{
    const store::PlanRecord record = resumablePlan(planName);
    if (record.state == "finished")
        return {record.id, "finished", {}, {}};
    m_options = withStored(m_options, record.options);
    return execute(record.id);
}

ControllerResult SweepController::resumeWithPlan(const std::string &planName,
                                                 const std::string &planText,
                                                 const std::string &planPath)
{
    store::PlanRecord record = resumablePlan(planName);
    if (record.state == "finished")
        throw std::runtime_error("plan '" + record.name
                                 + "' has finished; an edited plan can only change stages that "
                                   "have not started.");
    m_options = withStored(m_options, record.options);
    const Plan stored = parsePlan(record.yaml, record.sourcePath, m_options.scale);
    // A plan the planner saved at a scale is resolved already and defines no
    // scales.
    const Plan plain = parsePlan(planText, planPath);
    const std::string scale = m_options.scale.empty() || plain.scales.empty() ? std::string()
                                                                              : m_options.scale;
    const Plan edited = scale.empty() ? plain : parsePlan(planText, planPath, scale);
    if (edited.name != stored.name)
        throw std::runtime_error(planPath + ": plan '" + edited.name + "' is not the stored plan '"
                                 + stored.name + "'.");
    auto planLevel = [](const Plan &plan) {
        nlohmann::json out = planJson(plan);
        for (const char *key : {"stages", "scales", "executor"})
            out.erase(key);
        return out;
    };
    if (planLevel(edited) != planLevel(stored))
        throw std::runtime_error(planPath
                                 + ": the plan's own keys (metric, base_config, data, "
                                   "seed, set) differ from the stored plan's; only "
                                   "stages that have not started can change.");
    {
        const store::ExperimentStore store
            = store::ExperimentStore::open(m_options.storePath,
                                           store::ExperimentStore::Mode::ReadOnly);
        for (const store::StageRecord &started : store.stages(record.id)) {
            const std::size_t index = std::size_t(started.index);
            nlohmann::json before = stageJson(stored.stages.at(index));
            nlohmann::json after = index < edited.stages.size() ? stageJson(edited.stages[index])
                                                                : nlohmann::json();
            before.erase("review");
            if (after.is_object())
                after.erase("review");
            if (after != before)
                throw std::runtime_error(planPath + ": stage '" + started.name
                                         + "' has already started and cannot change; only "
                                           "stages that have not started can.");
        }
    }
    store::ExperimentStore store
        = store::ExperimentStore::open(m_options.storePath, store::ExperimentStore::Mode::ReadWrite);
    m_options.scale = scale;
    record.yaml = planText;
    record.options["scale"] = scale;
    record.updatedAt = store::nowSeconds();
    store.updatePlan(record);
    store.addEvent({0,
                    0,
                    record.id,
                    "plan_edited",
                    {{"file", fs::absolute(planPath).string()}, {"scale", scale}},
                    record.updatedAt});
    return execute(record.id);
}

ControllerResult SweepController::execute(std::int64_t planId)
{
    store::ExperimentStore store
        = store::ExperimentStore::open(m_options.storePath, store::ExperimentStore::Mode::ReadWrite);
    store::PlanRecord record = *store.plan(planId);
    auto finish = [&](const std::string &state, const std::string &error) {
        record.state = state;
        record.updatedAt = store::nowSeconds();
        store.updatePlan(record);
        store.addEvent({0, 0, planId, "plan_" + state, {{"error", error}}, record.updatedAt});
        return ControllerResult{planId, state, error, {}};
    };
    try {
        const Plan plan = parsePlan(record.yaml, record.sourcePath, m_options.scale);
        record.controllerPid = int(::getpid());
        record.state = "running";
        record.updatedAt = store::nowSeconds();
        store.updatePlan(record);
        store.addEvent(
            {0, 0, planId, "controller_start", {{"pid", record.controllerPid}}, record.updatedAt});

        const std::string executorKind = m_options.executor.value_or(plan.executor.type);
        const fs::path storeDir = fs::absolute(m_options.storePath).parent_path();
        std::unique_ptr<exec::Executor> executor;
        std::optional<exec::MpsDaemon> mps;
        TrialLaunch launch;
        const std::vector<int> gpus = m_options.gpus.value_or(plan.executor.gpus);
        const int slotsPerGpu = m_options.slotsPerGpu.value_or(plan.executor.slotsPerGpu);
        exec::SlurmOptions slurmOptions = plan.executor.slurm;
        applySlurmOverrides(slurmOptions, m_options.slurm);
        if (executorKind == "slurm") {
            executor = slurmExecutor(plan, slurmOptions);
        } else if (executorKind == "local") {
            executor = std::make_unique<exec::LocalExecutor>(
                exec::makeSlots(gpus,
                                slotsPerGpu,
                                m_options.cpuSlots.value_or(plan.executor.cpuSlots)));
        } else {
            throw std::runtime_error("plan '" + plan.name + "': unknown executor '" + executorKind
                                     + "'; use local or slurm.");
        }
        if (executorKind == "local" && !gpus.empty() && slotsPerGpu > 1
            && m_options.mps.value_or(plan.executor.mps)) {
            mps.emplace(exec::MpsDaemon::start((storeDir / ("mps-" + plan.name)).string()));
            if (m_options.log)
                *m_options.log << mps->status().message << std::endl;
            launch.env = mps->childEnvironment();
        }
        launch.seplabCli = m_options.seplabCli;
        launch.threads = m_options.threads.value_or(plan.executor.threads);
        if (executorKind == "slurm" && launch.threads == 0)
            launch.threads = slurmOptions.cpusPerTask; // the job's CPUs, not the node's
        const std::string data = !m_options.dataRoot.empty() ? m_options.dataRoot : plan.data;
        launch.dataRoot = data.empty() ? std::string() : plan.resolvePath(data);
        for (const auto &[key, value] : plan.set.items())
            launch.overrides.push_back(key + "=" + overrideText(value));
        const std::string runsRoot = (fs::path(m_options.runsRoot.empty()
                                                   ? (storeDir / "runs").string()
                                                   : m_options.runsRoot)
                                      / plan.name)
                                         .string();

        std::vector<store::StageRecord> stored = store.stages(planId);
        auto storedStage = [&](int index) -> store::StageRecord * {
            for (store::StageRecord &stage : stored)
                if (stage.index == index)
                    return &stage;
            return nullptr;
        };
        const EarlierStages earlier = earlierStagesFromStore(store, planId);
        // A `review: true` stage stops the controller only right after an earlier
        // stage ran here: the resume that follows a review starts it.
        bool ranAStage = false;

        for (int index = 0; index < int(plan.stages.size()); ++index) {
            const StagePlan &stage = plan.stages[std::size_t(index)];
            store::StageRecord *existing = storedStage(index);
            if (existing && existing->state == "finished")
                continue;
            DerivedStage derived;
            if (existing) {
                derived = storedDerivation(*existing);
            } else {
                if (stage.review && ranAStage) {
                    if (m_options.log)
                        *m_options.log << "stage '" << stage.name
                                       << "' waits for review (review: true): `sweep resume` "
                                          "starts it, with an edited plan given by --plan-file."
                                       << std::endl;
                    store.addEvent({0,
                                    0,
                                    planId,
                                    "stage_review",
                                    {{"stage", stage.name}, {"index", index}},
                                    store::nowSeconds()});
                    ControllerResult result = finish("stopped", {});
                    result.reviewStage = stage.name;
                    return result;
                }
                derived = deriveStage(plan, index, earlier);
                store::StageRecord record;
                record.planId = planId;
                record.index = index;
                record.name = stage.name;
                record.kind = stage.kindName();
                record.state = "running";
                record.spec = stageSpec(plan, stage, derived);
                record.provenance = derived.provenance;
                record.startedAt = store::nowSeconds();
                record.id = store.addStage(record);
                stored.push_back(record);
                existing = &stored.back();
            }

            StageContext context;
            context.plan = &plan;
            context.stageIndex = index;
            context.store = &store;
            context.executor = executor.get();
            context.launchTemplate = launch;
            // The plan's `set` (already in `launch`), then the stage's; the command
            // line's
            // --set goes last of all (see trialLaunchSpec).
            for (const auto &[key, value] : stage.set.items())
                context.launchTemplate.overrides.push_back(key + "=" + overrideText(value));
            context.launchTemplate.finalOverrides = m_options.overrides;
            context.launchTemplate.trainSamples = stage.trainSamples;
            context.launchTemplate.epochs = stage.epochs;
            const std::string program = stage.sweep.program.empty()
                                            ? std::string()
                                            : plan.resolvePath(stage.sweep.program);
            if (!stage.sweep.command.empty() || programRunnable(stage.sweep.program, program)) {
                // W&B agent style: the stage's own program, with W&B's command macros.
                context.launchTemplate.program = program;
                context.launchTemplate.command = stage.sweep.command;
            } else {
                if (!stage.sweep.program.empty() && m_options.log)
                    *m_options.log << "stage '" << stage.name << "': program '"
                                   << stage.sweep.program
                                   << "' not found; its trials run seplab-cli train with the "
                                      "same parameters."
                                   << std::endl;
                std::string config = m_options.baseConfig;
                if (config.empty())
                    config = !stage.configParameter().empty() ? stage.configParameter()
                                                              : plan.baseConfig;
                if (config.empty())
                    throw std::runtime_error("stage '" + stage.name
                                             + "' has no training config: give the plan a "
                                               "'base_config' or use --base-config.");
                context.launchTemplate.baseConfig = plan.resolvePath(config);
                if (!fs::is_regular_file(context.launchTemplate.baseConfig))
                    throw std::runtime_error("stage '" + stage.name + "': training config "
                                             + context.launchTemplate.baseConfig
                                             + " does not exist (give --base-config FILE).");
            }
            context.runsRoot = runsRoot;
            context.trialsOverride = m_options.trials;
            context.killDelay = plan.executor.killDelay;
            context.log = m_options.log;
            context.stopRequested = m_options.stopRequested;
            context.pollMilliseconds = m_options.pollMilliseconds;
            StageRunner runner(context, *existing, derived);
            if (runner.run() == StageOutcome::Stopped)
                return finish("stopped", {});
            existing->state = "finished";
            ranAStage = true;
        }
        return finish("finished", {});
    } catch (const std::exception &error) {
        return finish("failed", error.what());
    }
}

} // namespace seplab::sweep
