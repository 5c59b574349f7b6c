// seplab-cli sweep status: what a store holds, read-only (the controller may be writing).

#include "cli/arg_parser.h"
#include "cli/sweep_commands.h"
#include "core/store/experiment_store.h"
#include "core/sweep/plan.h"
#include "core/sweep/sweep_controller.h"
#include "core/sweep/trial_launch.h"

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <map>
#include <sstream>

namespace seplab::cli {

namespace {

using nlohmann::json;

json trialJson(const store::TrialRecord &trial)
{
    json out = {{"name", trial.name},
                {"state", store::trialStateName(trial.state)},
                {"params", trial.params},
                {"device", trial.device},
                {"epochs", trial.epochs},
                {"run_dir", trial.runDir},
                {"seed", trial.seed},
                {"started_at", trial.startedAt},
                {"finished_at", trial.finishedAt}};
    out["best"] = trial.bestValue ? json(*trial.bestValue) : json();
    if (!trial.error.empty())
        out["error"] = trial.error;
    if (!trial.jobId.empty())
        out["job_id"] = trial.jobId;
    if (trial.provenance.contains("group"))
        out["group"] = trial.provenance["group"];
    return out;
}

std::string number(const std::optional<double> &value)
{
    if (!value)
        return "-";
    char text[32];
    std::snprintf(text, sizeof text, "%.3f", *value);
    return text;
}

std::string pad(const std::string &text, std::size_t width)
{
    return text.size() >= width ? text + " " : text + std::string(width - text.size(), ' ');
}

} // namespace

int runSweepStatus(const std::vector<std::string> &args)
{
    ArgParser parser("sweep status",
                     "Shows the store's plans, their stages (trials by state, best) and the "
                     "trials of\neach stage. Reads only; safe while a sweep runs.");
    parser.addOption("store", "DB", "The experiment store.", {}, true);
    parser.addOption("plan", "NAME", "Only this plan.");
    parser.addFlag("json", "One JSON document on stdout instead of tables.");
    parser.addFlag("all-trials", "List the trials of every stage (default: the latest stage).");
    if (!parser.parse(args)) {
        std::cout << parser.help();
        return 0;
    }
    const store::ExperimentStore store
        = store::ExperimentStore::open(parser.value("store"),
                                       store::ExperimentStore::Mode::ReadOnly);
    json document = {{"store", parser.value("store")}, {"plans", json::array()}};
    std::ostringstream table;
    bool any = false;
    for (const store::PlanRecord &plan : store.plans()) {
        if (parser.has("plan") && plan.name != parser.value("plan"))
            continue;
        any = true;
        const bool alive = sweep::processAliveWith(plan.controllerPid, "seplab");
        std::string state = plan.state;
        if (state == "running" && !alive)
            state = "interrupted"; // the controller died: `sweep resume` continues it
        json planJson = {{"name", plan.name},
                         {"state", state},
                         {"controller_pid", plan.controllerPid},
                         {"stages", json::array()}};
        table << "plan " << plan.name << ": " << state;
        if (state == "running")
            table << " (controller pid " << plan.controllerPid << ")";
        // Columns as wide as the longest name ("validation-16k-001" is wider than the
        // default), so that every row lines up.
        const std::vector<store::StageRecord> stages = store.stages(plan.id);
        std::size_t stageWidth = 16;
        for (const store::StageRecord &stage : stages)
            stageWidth = std::max(stageWidth, stage.name.size() + 2);
        table << "\n\n  " << pad("stage", stageWidth) << pad("kind", 10) << pad("state", 10)
              << pad("trials", 8) << pad("running", 9) << pad("finished", 10) << pad("stopped", 9)
              << pad("failed", 8) << "best\n";
        bool maximize = true;
        try {
            maximize = sweep::parsePlan(plan.yaml,
                                        plan.sourcePath,
                                        plan.options.value("scale", std::string()))
                           .metric.maximize();
        } catch (const std::exception &) {
            // A plan file that no longer parses still shows its trials.
        }
        for (std::size_t s = 0; s < stages.size(); ++s) {
            const store::StageRecord &stage = stages[s];
            const std::vector<store::TrialRecord> trials = store.trials(stage.id);
            std::map<std::string, int> counts;
            const store::TrialRecord *best = nullptr;
            json stageJson = {{"name", stage.name},
                              {"kind", stage.kind},
                              {"state", stage.state},
                              {"spec", stage.spec},
                              {"provenance", stage.provenance},
                              {"trials", json::array()}};
            for (const store::TrialRecord &trial : trials) {
                ++counts[store::trialStateName(trial.state)];
                if (trial.bestValue
                    && (!best || !best->bestValue
                        || (maximize ? *trial.bestValue > *best->bestValue
                                     : *trial.bestValue < *best->bestValue)))
                    best = &trial;
                stageJson["trials"].push_back(trialJson(trial));
            }
            planJson["stages"].push_back(stageJson);
            table << "  " << pad(stage.name, stageWidth) << pad(stage.kind, 10)
                  << pad(stage.state, 10) << pad(std::to_string(trials.size()), 8)
                  << pad(std::to_string(counts["running"] + counts["pending"]), 9)
                  << pad(std::to_string(counts["finished"]), 10)
                  << pad(std::to_string(counts["stopped"]), 9)
                  << pad(std::to_string(counts["failed"] + counts["diverged"]), 8)
                  << (best ? number(best->bestValue) + " (" + best->name + ")" : "-") << "\n";
            if (!parser.has("all-trials") && s + 1 != stages.size())
                continue;
            std::size_t trialWidth = 16;
            for (const store::TrialRecord &trial : trials)
                trialWidth = std::max(trialWidth, trial.name.size() + 2);
            table << "\n    " << pad("trial", trialWidth) << pad("state", 10) << pad("device", 8)
                  << pad("epochs", 8) << pad("best", 9) << "params\n";
            for (const store::TrialRecord &trial : trials)
                table << "    " << pad(trial.name, trialWidth)
                      << pad(store::trialStateName(trial.state), 10)
                      // A Slurm trial is best found by its job id (squeue, sacct, its log).
                      << pad(trial.jobId.empty() ? trial.device : "job " + trial.jobId, 8)
                      << pad(std::to_string(trial.epochs), 8) << pad(number(trial.bestValue), 9)
                      << sweep::paramsSummary(trial.params)
                      << (trial.error.empty() ? "" : "  [" + trial.error + "]") << "\n";
            table << "\n";
        }
        document["plans"].push_back(planJson);
        table << "\n";
    }
    if (!any && parser.has("plan"))
        throw std::runtime_error(parser.value("store") + " has no plan named '"
                                 + parser.value("plan") + "'.");
    if (parser.has("json"))
        std::cout << document.dump(2) << "\n";
    else
        std::cout << (any ? table.str() : parser.value("store") + ": no plans yet.\n");
    return 0;
}

} // namespace seplab::cli
