#pragma once

// The command line of one trial: `seplab-cli train` with the trial's parameters as config
// overrides, or a stage's external program with W&B's command macros. Never a shell.

#include "core/exec/trial_process.h"

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace seplab::sweep {

struct TrialLaunch
{
    std::string seplabCli;  // the seplab-cli executable
    std::string baseConfig; // absolute path of the training config
    std::string dataRoot;   // corpus root, or empty (the config's)
    std::vector<std::string>
        overrides; // "key=value" from the plan and stage, before the trial's parameters
    std::vector<std::string> finalOverrides; // the command line's --set: they win over everything
    std::optional<std::int64_t> trainSamples;
    std::optional<int> epochs;
    int threads = 0;
    std::string device = "cpu";
    std::string cudaVisibleDevices;
    std::map<std::string, std::string> env;
    std::string runDir;
    bool resume = false;
    // External program (a stage's `program`/`command`); empty for seplab-cli train.
    std::string program;
    std::vector<std::string> command;
};

// A parameter value as the text of a `--set key=value` override (YAML reads it back as the
// same value): strings as written, everything else as JSON.
std::string overrideText(const nlohmann::json &value);

// "lr=0.0003162 weight_decay=1e-05 lr_patience=3": a trial's parameters on one line for logs
// and tables (floats to 4 significant digits; the `config` path left out).
std::string paramsSummary(const nlohmann::json &params);

// The trial's parameters as overrides, nested objects flattened to dotted keys; the `config`
// parameter (the training config's path) is left out: it chose baseConfig.
std::vector<std::string> parameterOverrides(const nlohmann::json &params);

// The process to start. Overrides apply in order: the plan's and stage's `set`, the trial's
// parameters, the stage's train_samples and epochs (a stage's data size and budget win over a
// carried-over `num_epochs` parameter), and last the command line's --set, so that a user can
// shrink any sweep for a smoke test.
exec::LaunchSpec trialLaunchSpec(const TrialLaunch &launch, const nlohmann::json &params);

} // namespace seplab::sweep
