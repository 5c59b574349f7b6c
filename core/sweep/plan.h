#pragma once

// A plan: the users' whole tuning flow as one file (issue 5, DESIGN.md "The main flow").
//
//   name: dprnn-3stage
//   metric: {name: best_val_sisdr, goal: maximize}
//   base_config: ../configs/dprnn_baseline.yaml   # relative to the plan file
//   data: /data/polsess                           # optional corpus root (--data overrides)
//   seed: 0                                       # samplers and subset draws
//   set: {early_stopping_patience: 12}            # config overrides for every trial
//   executor: {type: local, gpus: [0, 1], slots_per_gpu: 4, mps: true, cpu_slots: 1,
//              threads: 0, kill_delay: 30}
//   # or {type: slurm, partition: gpu, gres: "gpu:1", time: "04:00:00", mem: 16G,
//   #     cpus_per_task: 4, account: lab, qos: normal, extra: ["--constraint=a100"],
//   #     max_jobs_in_queue: 8, poll_interval: 5, requeue: true, kill_delay: 30}
//   stages:
//     - name: stage1                 # then the body of a W&B sweep: method, parameters,
//       method: bayes                # early_terminate, metric, program, command, count ...
//       train_samples: 2000          # plus SepLab's stage keys
//       epochs: 50
//       trials: 40                   # (W&B's `count` means the same)
//       parallel: 4                  # at most this many at once (default: every slot)
//       parameters: {...}
//     - name: stage2
//       narrow_from: {stage: stage1, top_fraction: 0.25, margin: 0.1}
//       review: true                 # stop before deriving this stage, for a review
//       ...                          # parameters given here replace the narrowed ones
//     - name: grid
//       promote: {from: proxy, top_k: 3, diverse: true}
//       for_each: promoted           # a grid body run around each promoted configuration
//     - name: validation
//       validate: {from: stage3, top_k: 5, seeds: [42, 123, 456]}
//   scales:                          # named variants: `--scale tiny`
//     tiny:
//       base_config: ../configs/dprnn_tiny.yaml
//       set: {...}
//       stages: {stage1: {train_samples: 24, epochs: 3, trials: 4}}
//
// A W&B parameter named `config` with a constant value names the stage's training config, as
// the users' train_sweep.py reads it; every other parameter reaches the trial as an override
// (`--set name=value`, the training config's short names or dotted paths).
//
// Errors are std::invalid_argument with one sentence naming the file, the line and the key.

#include "core/exec/slurm_options.h"
#include "core/sweep/search_space.h"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace seplab::sweep {

struct StageNarrowing
{
    std::string stage;
    double topFraction = 0.25;
    double margin = 0.1;
    double lowQuantile = 0.0;
    double highQuantile = 1.0;
};

struct StagePromotion
{
    std::string from;
    int topK = 5;
    bool diverse = true;
    double minDistance = 0.15;
    // Take the best trial of each group first (a for_each stage's grid around each promoted
    // configuration), then the top-k of those: Exp B's "best scheduler per config".
    bool perGroup = false;
};

struct StagePlan
{
    enum class Kind { Search, ForEach, Validate };

    std::string name;
    Kind kind = Kind::Search;
    SweepConfig sweep; // method, parameters, metric, early_terminate, program, command
    bool parametersGiven = false;
    std::optional<std::int64_t> trainSamples;
    std::optional<int> epochs;
    std::optional<std::int64_t> trials; // search stages; grid defaults to the grid's size
    int parallel = 0;                   // 0: every free slot
    // The controller stops cleanly before starting this stage when it has just finished an
    // earlier one, so that the user can review (and edit) the derived ranges; `sweep resume`
    // continues, with an edited plan given by --plan-file.
    bool review = false;
    std::optional<StageNarrowing> narrowFrom;
    std::optional<StagePromotion> promote; // for_each and validate (validate's from/top_k)
    std::vector<std::int64_t> seeds;       // validate
    nlohmann::json set = nlohmann::json::object();
    int line = 0;

    std::string kindName() const;
    // The stage's training config: the constant `config` parameter, or empty (the plan's).
    std::string configParameter() const { return sweep.trainingConfig(); }
};

struct ExecutorPlan
{
    std::string type = "local";
    std::vector<int> gpus;
    int slotsPerGpu = 1;
    int cpuSlots = 1;
    bool mps = true;
    int threads = 0;          // torch threads per trial; 0: seplab-cli train's measured default
    double killDelay = 30.0;  // seconds between SIGTERM and SIGKILL, as W&B's agent
    exec::SlurmOptions slurm; // type: slurm
    nlohmann::json other = nlohmann::json::object(); // a slurm executor's keys, as written
};

struct Plan
{
    std::string name;
    std::string description;
    MetricSpec metric;
    std::string baseConfig; // as written; relative to the plan's folder
    std::string data;
    std::uint64_t seed = 0;
    nlohmann::json set = nlohmann::json::object();
    ExecutorPlan executor;
    std::vector<StagePlan> stages;
    std::string scale;                                          // the applied scale, or empty
    std::vector<std::string> scales;                            // every scale the file defines
    nlohmann::json scaleDefinitions = nlohmann::json::object(); // `scales:` as written
    std::string source;                                         // the file, for messages
    std::string folder;                                         // where relative paths start
    std::vector<std::string> warnings;

    const StagePlan *findStage(const std::string &name) const;
    int stageIndex(const std::string &name) const; // -1 when absent
    // A path of the plan (base_config, a `config` parameter), made absolute from its folder.
    std::string resolvePath(const std::string &path) const;
};

// Parses a plan. A file that is a plain W&B sweep (top-level `method`) becomes a one-stage plan
// (see planFromSweep). `scale` applies the named entry of `scales:`; an unknown one is an error.
Plan parsePlan(const std::string &yamlText,
               const std::string &source,
               const std::string &scale = {});
Plan loadPlan(const std::string &path, const std::string &scale = {});

// A W&B sweep as a one-stage plan: `count` (or run_cap) becomes the trials, the `config`
// parameter the base config, the metric the plan's.
Plan planFromSweep(const SweepConfig &sweep, const std::string &folder);

} // namespace seplab::sweep
