#pragma once

// The sweep controller: runs a plan stage by stage, asks each stage's sampler for
// configurations, starts every trial as its own process on a free slot, ingests what the trials
// report, applies early termination, derives the next stage from the finished ones, and is the
// only writer of the experiment store (DESIGN.md "Layers").
//
// A stop (SIGTERM/SIGINT to the controller, `sweep stop`) sends SIGTERM to every running trial,
// waits for each to write its last.pt, and leaves them pending; `resume` continues them from
// last.pt. After a kill -9 of the controller, `resume` does the same: the store holds every
// finished trial, and the trials that were running continue from their last.pt (their
// events.jsonl fills in any epoch the store missed).

#include "core/exec/process_liveness.h"
#include "core/store/store_records.h"
#include "core/sweep/plan.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace seplab::exec {
class Executor;
struct SlurmOptions;
} // namespace seplab::exec

namespace seplab::sweep {

struct ControllerOptions
{
    std::string storePath;
    std::string seplabCli;  // the executable that runs `train` (normally this seplab-cli)
    std::string dataRoot;   // corpus root; overrides the plan's `data`
    std::string baseConfig; // overrides the plan's base_config and every `config` parameter
    std::vector<std::string> overrides; // "key=value" for every trial, after the plan's `set`
    std::string scale;                  // the plan's scale (kept with the plan for resume)
    std::optional<std::vector<int>> gpus;
    std::optional<int> slotsPerGpu;
    std::optional<int> cpuSlots;
    std::optional<int> threads;
    std::optional<bool> mps;
    std::optional<std::int64_t> trials;       // overrides every search stage's trial count
    std::optional<std::string> executor;      // "local" or "slurm": overrides the plan's type
    std::string slurmBinDir;                  // where sbatch and squeue are; empty: PATH
    std::optional<double> slurmSettleSeconds; // how long an ended job's end line is waited for
    // Slurm keys that replace the plan's (the command line's --partition, --gres ...), by their
    // plan names: partition, gres, time, mem, account, qos (strings), cpus_per_task and
    // max_jobs_in_queue (integers).
    nlohmann::json slurm = nlohmann::json::object();
    std::string runsRoot;        // default: <store folder>/runs
    std::ostream *log = nullptr; // one human line per event
    const std::atomic<bool> *stopRequested = nullptr;
    int pollMilliseconds = 200;
};

struct ControllerResult
{
    std::int64_t planId = 0;
    std::string state; // finished | stopped | failed
    std::string error;
    std::string reviewStage; // stopped before this `review: true` stage
};

class SweepController
{
public:
    explicit SweepController(ControllerOptions options);

    // Stores the plan (its text, so that resume re-reads exactly it) and runs it. Throws
    // std::runtime_error when the store already has a plan of that name.
    ControllerResult run(const Plan &plan, const std::string &planText);
    // Continues a stopped or crashed plan; empty name: the store's latest plan. Options given
    // here (slots, GPUs) replace the stored ones; the plan, data and overrides stay.
    ControllerResult resume(const std::string &planName);
    // The same with an edited plan (`sweep resume --plan-file`), e.g. a reviewed stage whose
    // narrowed ranges the user changed: its text replaces the stored plan's. Only stages that
    // have not started may differ; a change to the plan's own keys or to a started stage throws
    // std::runtime_error naming the file and the stage, and the store stays as it was. The
    // stored scale applies when the file defines it (a plan saved at a scale is resolved and
    // defines none). Relative paths keep resolving from where the plan was first read.
    ControllerResult resumeWithPlan(const std::string &planName,
                                    const std::string &planText,
                                    const std::string &planPath);

private:
    store::PlanRecord resumablePlan(const std::string &planName) const;
    ControllerResult execute(std::int64_t planId);
    std::unique_ptr<exec::Executor> slurmExecutor(const Plan &plan,
                                                  const exec::SlurmOptions &options) const;

    ControllerOptions m_options;
};

using exec::processAliveWith;

} // namespace seplab::sweep
