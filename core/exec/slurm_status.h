#pragma once

// What Slurm's commands print, parsed: sbatch --parsable, squeue and `scontrol show job -o` for
// job states, sinfo for the partition's nodes. Qt-free and tested on the text the real commands
// print (Slurm 22.05, Debian 12); the commands themselves run in SlurmClient.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace seplab::exec {

struct SlurmJobStatus
{
    std::string jobId;
    std::string state;  // as Slurm spells it: PENDING, RUNNING, COMPLETED, TIMEOUT, ...
    std::string reason; // "None", "Priority", "NonZeroExitCode", "TimeLimit", ...
    std::string nodes;  // where it runs (or ran); empty while pending
    bool exitKnown = false;
    int exitCode = 0;   // ExitCode=a:b -> a (the batch script's status)
    int exitSignal = 0; //                  -> b (the signal that ended it, or 0)
};

// States after which a job never runs again by itself. REQUEUED and PREEMPTED are not final
// when the job was submitted with --requeue: Slurm puts it back in the queue.
bool isFinalJobState(const std::string &state);
// States in which the job still waits for a node.
bool isPendingJobState(const std::string &state);

// The job id in `sbatch --parsable` output: "42" or "42;cluster". Throws std::invalid_argument
// when the output holds none.
std::string parseSbatchJobId(const std::string &out);

// Whether an sbatch refusal may pass if tried again later (a submit limit, a busy or unreachable
// controller), rather than a mistake in the job (an unknown partition, a bad option).
bool isTransientRefusal(const std::string &sbatchError);

// The squeue arguments parseSqueue() reads: job id, state, reason, nodes, '|'-separated.
std::vector<std::string> squeueFormatArguments();
// Lines "17|RUNNING|None|node1". Blank lines are skipped; a line with another field count
// throws std::invalid_argument naming it.
std::map<std::string, SlurmJobStatus> parseSqueue(const std::string &text);

// One `scontrol show job -o ID` line (space-separated Key=Value pairs); nothing for empty text.
std::optional<SlurmJobStatus> parseScontrolJob(const std::string &text);

struct SlurmNode
{
    std::string name;
    std::string partition; // without the '*' that marks the default partition
    bool defaultPartition = false;
    std::string state; // idle, mixed, allocated, down, drained, ... (sinfo's long names)
    int cpus = 0;
    std::int64_t memoryMiB = 0;
    std::string gres;                // "gpu:a100:4", "(null)" becomes empty
    std::int64_t freeMemoryMiB = -1; // -1 when sinfo does not know
};

// The sinfo arguments parseSinfoNodes() reads, node by node.
std::vector<std::string> sinfoNodeArguments();
// Lines "node1|debug*|idle|2|7900|(null)|7000". Throws std::invalid_argument naming a line with
// another field count.
std::vector<SlurmNode> parseSinfoNodes(const std::string &text);

} // namespace seplab::exec
