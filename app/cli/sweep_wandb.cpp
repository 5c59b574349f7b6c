// seplab-cli sweep import-wandb / export-wandb: W&B sweep files to and from SepLab plans.

#include "cli/arg_parser.h"
#include "cli/sweep_commands.h"
#include "core/store/experiment_store.h"
#include "core/sweep/plan.h"
#include "core/sweep/plan_writer.h"

#include <filesystem>
#include <fstream>
#include <iostream>

namespace seplab::cli {

namespace {

void writeText(const std::string &path, const std::string &text)
{
    if (path.empty() || path == "-") {
        std::cout << text;
        return;
    }
    const std::filesystem::path target(path);
    if (target.has_parent_path())
        std::filesystem::create_directories(target.parent_path());
    const std::string temporary = path + ".tmp";
    {
        std::ofstream out(temporary, std::ios::binary);
        out << text;
        if (!out)
            throw std::runtime_error(path + ": cannot write the file.");
    }
    std::filesystem::rename(temporary, path);
    std::cerr << "wrote " << path << "\n";
}

} // namespace

int runSweepImportWandb(const std::vector<std::string> &args)
{
    ArgParser parser("sweep import-wandb",
                     "Turns a W&B sweep YAML into a one-stage SepLab plan: its method, metric, "
                     "parameters\nand early_terminate as they are; `count` (or run_cap) becomes "
                     "the stage's trials.");
    parser.addPositional("sweep", "The W&B sweep YAML.");
    parser.addOption("out", "PLAN", "Where to write the plan (default: stdout).");
    parser.addOption("base-config",
                     "YAML",
                     "Training config for the plan; replaces the sweep's `config` parameter.");
    if (!parser.parse(args)) {
        std::cout << parser.help();
        return 0;
    }
    const sweep::SweepConfig sweep = sweep::loadSweepConfig(parser.value("sweep"));
    for (const std::string &warning : sweep.warnings)
        std::cerr << "warning: " << warning << "\n";
    const std::string text = sweep::planYamlFromSweep(sweep, parser.value("base-config"));
    // Read it back: what is written must load as a plan.
    sweep::parsePlan(text, parser.has("out") ? parser.value("out") : "plan.yaml");
    writeText(parser.value("out"), text);
    return 0;
}

int runSweepExportWandb(const std::vector<std::string> &args)
{
    ArgParser parser("sweep export-wandb",
                     "Writes one stage of a plan as a W&B sweep YAML. With --store, a derived "
                     "stage is\nwritten with the ranges it actually ran with.");
    parser.addPositional("plan", "The plan YAML.");
    parser.addOption("stage", "NAME", "Which stage (default: the first).");
    parser.addOption("store", "DB", "Take the stage's ranges as run from this store.");
    parser.addOption("scale", "NAME", "Apply the plan's named scale first.");
    parser.addOption("out", "YAML", "Where to write it (default: stdout).");
    if (!parser.parse(args)) {
        std::cout << parser.help();
        return 0;
    }
    const sweep::Plan plan = sweep::loadPlan(parser.value("plan"), parser.value("scale"));
    const sweep::StagePlan *stage = parser.has("stage") ? plan.findStage(parser.value("stage"))
                                                        : &plan.stages.front();
    if (!stage)
        throw UsageError("sweep export-wandb: plan '" + plan.name + "' has no stage '"
                         + parser.value("stage") + "'.");
    if (stage->kind != sweep::StagePlan::Kind::Search)
        throw UsageError("sweep export-wandb: stage '" + stage->name + "' is a " + stage->kindName()
                         + " stage; W&B sweeps can only express search "
                           "stages.");
    std::optional<sweep::SearchSpace> space;
    if (parser.has("store")) {
        const store::ExperimentStore store
            = store::ExperimentStore::open(parser.value("store"),
                                           store::ExperimentStore::Mode::ReadOnly);
        const auto record = store.planByName(plan.name);
        if (record)
            for (const store::StageRecord &row : store.stages(record->id))
                if (row.name == stage->name && row.spec.contains("space"))
                    space = sweep::SearchSpace::fromJson(row.spec["space"], stage->name);
        if (!space)
            throw std::runtime_error(parser.value("store") + " has no run of stage '" + stage->name
                                     + "' of plan '" + plan.name + "'.");
    } else if (stage->narrowFrom && !stage->parametersGiven) {
        throw UsageError("sweep export-wandb: stage '" + stage->name
                         + "' takes its ranges from stage '" + stage->narrowFrom->stage
                         + "'; give --store to export them as run.");
    }
    writeText(parser.value("out"), sweep::wandbYamlFromStage(plan, *stage, space));
    return 0;
}

} // namespace seplab::cli
