#pragma once

// Where a sweep's trials run (DESIGN.md "The main flow", issue 8): on this machine's GPU or CPU
// slots (LocalExecutor) or as jobs of a Slurm cluster (SlurmExecutor). The stage runner asks for
// a place, starts the trial there, and follows it through a TrialHandle; it never needs to know
// which kind of executor it has.

#include "core/exec/slots.h"
#include "core/exec/trial_handle.h"
#include "core/exec/trial_process.h"

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace seplab::exec {

struct TrialStart
{
    std::string name;   // the trial's name, for job names and messages
    std::string runDir; // absolute
    LaunchSpec fresh;   // a start from nothing
    // The same trial continuing from <runDir>/checkpoints/last.pt; absent when the program
    // cannot continue (an external program).
    std::optional<LaunchSpec> resume;
    bool resumeNow = false; // last.pt exists now
};

// A trial a previous controller left running (it crashed or was killed).
struct LeftoverTrial
{
    int pid = 0;       // a local process
    std::string jobId; // a Slurm job
    std::string runDir;
    bool writesEventsFile = true; // seplab-cli train; false: an external program
};

// The executor could not start a trial now but may later (a Slurm submit limit): the trial
// stays pending and is tried again.
class StartDeferred : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

class Executor
{
public:
    virtual ~Executor() = default;

    virtual std::string kind() const = 0; // "local", "slurm"
    // How many trials may run at once.
    virtual std::size_t capacity() const = 0;
    // A place for one more trial now, or nothing (all taken, or backing off after a refusal).
    virtual std::optional<Slot> acquire() = 0;
    virtual void release(int slotIndex) = 0;
    // The device a trial on `slot` is recorded with: "cpu", "cuda:1", "slurm".
    virtual std::string deviceLabel(const Slot &slot) const = 0;

    // Starts the trial. Throws StartDeferred to try again later, std::runtime_error (one
    // sentence) when it cannot start at all.
    virtual std::unique_ptr<TrialHandle> start(const TrialStart &trial, const Slot &slot) = 0;
    // A leftover trial: its handle when it can be followed again (a Slurm job that Slurm still
    // knows: queued, running, or recently ended), or nothing. A local process cannot be
    // re-attached (its stdout pipe died with the old controller): it is stopped, so that it
    // continues from its last.pt, and nothing is returned.
    virtual std::unique_ptr<TrialHandle> recover(const LeftoverTrial &trial, double killDelay) = 0;
    // Blocks until a handle has something to read or ended, or timeoutMs passes.
    virtual void waitForActivity(const std::vector<TrialHandle *> &handles, int timeoutMs) = 0;
};

} // namespace seplab::exec
