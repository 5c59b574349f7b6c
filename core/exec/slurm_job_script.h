#pragma once

// The batch script of one trial (issue 8), written into its run folder as job.sh and submitted
// with `sbatch job.sh`. It is a complete record of the job: a user can read it, or submit it
// again by hand. The trial's argv is quoted word by word, so parameters still reach the program
// as argv and nothing in them is interpreted by the shell.
//
// When the program can continue (seplab-cli train --resume), the script chooses at run time:
// a job that Slurm requeued after a preemption or a node failure finds checkpoints/last.pt and
// continues from it instead of starting over.

#include "core/exec/slurm_options.h"
#include "core/exec/trial_process.h"

#include <optional>
#include <string>

namespace seplab::exec {

struct SlurmJobRequest
{
    std::string jobName;              // "seplab-<plan>-<trial>"
    std::string runDir;               // absolute; on the filesystem the nodes share
    LaunchSpec fresh;                 // a start from nothing
    std::optional<LaunchSpec> resume; // continues from <runDir>/checkpoints/last.pt
    // An external program prints its protocol lines to stdout: they become events.jsonl.
    // seplab-cli train writes events.jsonl itself; its stdout goes to slurm-<jobid>.out.
    bool stdoutIsEventStream = false;
};

// `text` as one shell word: single-quoted, with ' written as '\''.
std::string shellQuoted(const std::string &text);

// The script. Throws std::invalid_argument naming the field when a value holds a newline (an
// #SBATCH line cannot carry one).
std::string slurmJobScript(const SlurmOptions &options, const SlurmJobRequest &request);

// <runDir>/job.sh, <runDir>/events.jsonl.
std::string jobScriptPath(const std::string &runDir);
std::string eventsPath(const std::string &runDir);

} // namespace seplab::exec
