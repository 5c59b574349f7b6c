#pragma once

// What a plan's `executor: {type: slurm, ...}` asks of the cluster (issue 8). Each field becomes
// one #SBATCH line of the trial's job script; empty means Slurm's (or the site's) default.

#include <string>
#include <vector>

namespace seplab::exec {

struct SlurmOptions
{
    std::string partition;
    std::string gres;    // "gpu:1": a GPU trial (its --device is cuda)
    std::string time;    // "04:00:00", "2-00:00:00"
    std::string mem;     // "16G"
    int cpusPerTask = 0; // 0: Slurm's default
    std::string account;
    std::string qos;
    std::vector<std::string> extra; // further sbatch options, one each: "--constraint=a100"
    int maxJobsInQueue = 8;         // trials queued or running at once
    double pollInterval = 5.0;      // seconds between two squeue calls
    bool requeue = true;            // preempted or failed nodes requeue the job; it resumes

    // Whether the jobs get GPUs (the gres names a gpu), so trials run with --device cuda.
    bool usesGpu() const;
    // The sbatch options these fields stand for, "--partition=gpu" style, in a fixed order,
    // `extra` last.
    std::vector<std::string> sbatchOptions() const;
};

} // namespace seplab::exec
