// seplab-cli sweep: run a staged plan (or a plain W&B sweep file) with the controller, resume
// it, stop it, show its state, and convert W&B sweep files to and from plans.

#include "cli/arg_parser.h"
#include "cli/command.h"
#include "cli/stop_signals.h"
#include "cli/sweep_commands.h"
#include "core/exec/slots.h"
#include "core/store/experiment_store.h"
#include "core/sweep/plan.h"
#include "core/sweep/sweep_controller.h"

#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <unistd.h>

namespace seplab::cli {

namespace {

std::string selfExecutable()
{
    std::error_code error;
    const auto path = std::filesystem::read_symlink("/proc/self/exe", error);
    return error ? std::string("seplab-cli") : path.string();
}

std::string readText(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw std::runtime_error(path + ": cannot open the file.");
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

void addExecutionOptions(ArgParser &parser)
{
    parser.addOption("gpus", "LIST", "GPUs to use, such as 0,1 (default: the plan's; none: CPU).");
    parser.addOption("slots-per-gpu", "K", "Trials packed on each GPU (default: the plan's, 1).");
    parser.addOption("cpu-slots", "N", "Trials at once on the CPU when no GPU is used (default 1).");
    parser.addOption("threads", "N", "LibTorch threads per trial (default: seplab-cli train's).");
    parser.addFlag("no-mps", "Do not start NVIDIA MPS for packed GPU trials.");
    parser.addOption("seplab-cli", "PATH", "The seplab-cli that runs `train` (default: this one).");
    parser.addOption("executor",
                     "KIND",
                     "Where trials run: local slots or slurm (one job per trial); default: the "
                     "plan's.");
    parser.addOption("partition", "NAME", "Slurm: the partition (replaces the plan's).");
    parser.addOption("gres", "SPEC", "Slurm: generic resources per trial, such as gpu:1.");
    parser.addOption("time", "LIMIT", "Slurm: each trial's time limit, such as 04:00:00.");
    parser.addOption("mem", "SIZE", "Slurm: memory per trial, such as 16G.");
    parser.addOption("cpus-per-task", "N", "Slurm: CPUs per trial (also its LibTorch threads).");
    parser.addOption("account", "NAME", "Slurm: the account to charge.");
    parser.addOption("qos", "NAME", "Slurm: the quality of service.");
    parser.addOption("max-jobs-in-queue",
                     "N",
                     "Slurm: trials queued or running at once (default: the plan's, 8).");
}

int positive(const ArgParser &parser, const std::string &name, const std::string &command)
{
    const int value = parser.intValue(name);
    if (value < 1)
        throw UsageError(command + ": --" + name + " must be 1 or more.");
    return value;
}

void applyExecutionOptions(const ArgParser &parser,
                           sweep::ControllerOptions &options,
                           const std::string &command)
{
    if (parser.has("gpus")) {
        try {
            options.gpus = exec::parseGpuList(parser.value("gpus"));
        } catch (const std::invalid_argument &error) {
            throw UsageError(command + ": --gpus: " + error.what());
        }
    }
    if (parser.has("slots-per-gpu"))
        options.slotsPerGpu = positive(parser, "slots-per-gpu", command);
    if (parser.has("cpu-slots"))
        options.cpuSlots = positive(parser, "cpu-slots", command);
    if (parser.has("threads"))
        options.threads = positive(parser, "threads", command);
    if (parser.has("no-mps"))
        options.mps = false;
    if (parser.has("executor")) {
        const std::string kind = parser.value("executor");
        if (kind != "local" && kind != "slurm")
            throw UsageError(command + ": --executor must be local or slurm, not '" + kind + "'.");
        options.executor = kind;
    }
    for (const char *name : {"partition", "gres", "time", "mem", "account", "qos"})
        if (parser.has(name)) {
            const std::string value = parser.value(name);
            if (value.empty() || value.find_first_of(" \t\n") != std::string::npos)
                throw UsageError(command + ": --" + name + " must be one word, not '" + value
                                 + "'.");
            options.slurm[name] = value;
        }
    if (parser.has("cpus-per-task"))
        options.slurm["cpus_per_task"] = positive(parser, "cpus-per-task", command);
    if (parser.has("max-jobs-in-queue"))
        options.slurm["max_jobs_in_queue"] = positive(parser, "max-jobs-in-queue", command);
    options.seplabCli = parser.has("seplab-cli") ? parser.value("seplab-cli") : selfExecutable();
}

int exitCodeFor(const sweep::ControllerResult &result, const std::string &command)
{
    if (result.state == "finished") {
        std::cerr << "sweep " << command << ": plan finished.\n";
        return 0;
    }
    if (result.state == "stopped" && !result.reviewStage.empty()) {
        std::cerr << "sweep " << command << ": stopped before stage '" << result.reviewStage
                  << "' for its review (review: true); `seplab-cli sweep resume` starts it, "
                     "with an edited plan given by --plan-file.\n";
        return 3;
    }
    if (result.state == "stopped") {
        std::cerr << "sweep " << command
                  << ": plan stopped; `seplab-cli sweep resume` "
                     "continues it.\n";
        return 3;
    }
    std::cerr << "seplab-cli sweep " << command << ": " << result.error << "\n";
    return 1;
}

int runSweepRun(const std::vector<std::string> &args)
{
    ArgParser parser("sweep run",
                     "Runs a plan (or a plain W&B sweep file, as a one-stage plan) to the end: "
                     "every trial\nis its own `seplab-cli train` process, the store (SQLite) "
                     "records everything, and\nthe next stage is derived from the finished one. "
                     "Ctrl-C or `sweep stop` stops the\ntrials cleanly (exit 3); `sweep resume` "
                     "continues. Progress lines go to stderr.");
    parser.addPositional("plan", "Plan YAML, or a W&B sweep YAML.");
    parser.addOption("store", "DB", "The experiment store (created if missing).", {}, true);
    parser.addOption("scale", "NAME", "Apply the plan's named scale (tiny: the mini-corpus).");
    parser.addOption("data", "DIR", "Corpus root for every trial (overrides the plan's).");
    parser.addOption("base-config",
                     "YAML",
                     "Training config for every stage (overrides the "
                     "plan's and the `config` parameters).");
    parser.addListOption("set", "KEY=VALUE", "Config override for every trial. Repeatable.");
    parser.addOption("trials", "N", "Trials per search stage (overrides the plan).");
    parser.addOption("runs", "DIR", "Where run folders go (default: <store folder>/runs).");
    addExecutionOptions(parser);
    if (!parser.parse(args)) {
        std::cout << parser.help();
        return 0;
    }
    const std::string path = parser.value("plan");
    const std::string text = readText(path);
    const sweep::Plan plan = sweep::parsePlan(text, path, parser.value("scale"));
    for (const std::string &warning : plan.warnings)
        std::cerr << "warning: " << warning << "\n";

    sweep::ControllerOptions options;
    options.storePath = parser.value("store");
    options.scale = parser.value("scale");
    if (parser.has("data"))
        options.dataRoot = std::filesystem::absolute(parser.value("data")).string();
    if (parser.has("base-config"))
        options.baseConfig = std::filesystem::absolute(parser.value("base-config")).string();
    options.overrides = parser.values("set");
    if (parser.has("trials"))
        options.trials = positive(parser, "trials", "sweep run");
    if (parser.has("runs"))
        options.runsRoot = std::filesystem::absolute(parser.value("runs")).string();
    applyExecutionOptions(parser, options, "sweep run");
    StopSignals signals;
    options.stopRequested = &signals.requested();
    options.log = &std::cerr;
    sweep::SweepController controller(options);
    return exitCodeFor(controller.run(plan, text), "run");
}

int runSweepResume(const std::vector<std::string> &args)
{
    ArgParser parser("sweep resume",
                     "Continues a stopped or crashed plan: finished trials stay, interrupted "
                     "ones continue\nfrom their last.pt, and the plan goes on where it was. "
                     "With --plan-file, an edited copy\nof the plan (a reviewed stage's ranges, "
                     "say) replaces the stored one first; only stages\nthat have not started "
                     "may differ.");
    parser.addOption("store", "DB", "The experiment store.", {}, true);
    parser.addOption("plan", "NAME", "Which plan (default: the store's latest).");
    parser.addOption("plan-file",
                     "YAML",
                     "Edited plan whose stages that have not started replace the stored ones.");
    addExecutionOptions(parser);
    if (!parser.parse(args)) {
        std::cout << parser.help();
        return 0;
    }
    sweep::ControllerOptions options;
    options.storePath = parser.value("store");
    applyExecutionOptions(parser, options, "sweep resume");
    StopSignals signals;
    options.stopRequested = &signals.requested();
    options.log = &std::cerr;
    sweep::SweepController controller(options);
    if (parser.has("plan-file")) {
        const std::string path = parser.value("plan-file");
        return exitCodeFor(controller.resumeWithPlan(parser.value("plan"), readText(path), path),
                           "resume");
    }
    return exitCodeFor(controller.resume(parser.value("plan")), "resume");
}

int runSweepStop(const std::vector<std::string> &args)
{
    ArgParser parser("sweep stop",
                     "Asks a running plan's controller to stop: it sends SIGTERM to every "
                     "trial, waits for\ntheir last.pt and exits; `sweep resume` continues.");
    parser.addOption("store", "DB", "The experiment store.", {}, true);
    parser.addOption("plan", "NAME", "Which plan (default: every running one).");
    if (!parser.parse(args)) {
        std::cout << parser.help();
        return 0;
    }
    const store::ExperimentStore store
        = store::ExperimentStore::open(parser.value("store"),
                                       store::ExperimentStore::Mode::ReadOnly);
    int signalled = 0;
    for (const store::PlanRecord &plan : store.plans()) {
        if (parser.has("plan") && plan.name != parser.value("plan"))
            continue;
        if (plan.state != "running" || !sweep::processAliveWith(plan.controllerPid, "seplab"))
            continue;
        ::kill(plan.controllerPid, SIGTERM);
        std::cout << "stop sent to plan '" << plan.name << "' (controller pid "
                  << plan.controllerPid << ")\n";
        ++signalled;
    }
    if (signalled == 0)
        throw std::runtime_error(
            parser.value("store") + ": no running plan"
            + (parser.has("plan") ? " named '" + parser.value("plan") + "'" : std::string())
            + " to stop.");
    return 0;
}

struct Subcommand
{
    const char *name;
    const char *summary;
    int (*run)(const std::vector<std::string> &);
};

const std::vector<Subcommand> &subcommands()
{
    static const std::vector<Subcommand> list = {
        {"run", "Run a plan or W&B sweep file to the end.", runSweepRun},
        {"resume", "Continue a stopped or crashed plan.", runSweepResume},
        {"status", "Show plans, stages and trials (a table, or --json).", runSweepStatus},
        {"stop", "Stop a running plan cleanly.", runSweepStop},
        {"import-wandb", "Turn a W&B sweep file into a one-stage plan.", runSweepImportWandb},
        {"export-wandb", "Write a plan's stage as a W&B sweep file.", runSweepExportWandb},
    };
    return list;
}

std::string sweepUsage()
{
    std::string text = "usage: seplab-cli sweep <run|resume|status|stop|import-wandb|"
                       "export-wandb> [options]\n\n";
    for (const Subcommand &sub : subcommands())
        text += "  " + std::string(sub.name) + std::string(14 - std::string(sub.name).size(), ' ')
                + sub.summary + "\n";
    return text + "\n`seplab-cli sweep <sub> --help` lists each one's options.\n";
}

} // namespace

int runSweep(const std::vector<std::string> &args)
{
    if (args.empty())
        throw UsageError("sweep: name a sub-command (run, resume, status, stop, import-wandb or "
                         "export-wandb).");
    const std::string &name = args.front();
    if (name == "--help" || name == "-h" || name == "help") {
        std::cout << sweepUsage();
        return 0;
    }
    for (const Subcommand &sub : subcommands())
        if (name == sub.name)
            return sub.run(std::vector<std::string>(args.begin() + 1, args.end()));
    throw UsageError("sweep: unknown sub-command '" + name
                     + "' (known: run, resume, status, stop, import-wandb, export-wandb).");
}

} // namespace seplab::cli
