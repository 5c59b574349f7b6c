#pragma once

// One running trial as the stage runner sees it, wherever it runs: a local child process
// (TrialProcess) or a Slurm job (SlurmJob). The runner reads the trial's protocol lines, asks
// whether it has ended, and stops it the way W&B's agent does (terminate, then kill after the
// plan's kill_delay).

#include <cstddef>
#include <string>
#include <vector>

namespace seplab::exec {

class TrialHandle
{
public:
    virtual ~TrialHandle() = default;

    // How the system that runs it names it, for log lines: "pid 4242", "Slurm job 17".
    virtual std::string describe() const = 0;
    virtual int pid() const { return 0; }            // 0 when not a local process
    virtual std::string jobId() const { return {}; } // empty when not a cluster job

    // The complete protocol lines available now, without '\n'.
    virtual std::vector<std::string> readLines() = 0;
    // True once nothing more will ever be read (the stream reached its end).
    virtual bool outputDrained() const = 0;

    virtual void terminate() = 0; // SIGTERM, or its Slurm equivalent
    virtual void kill() = 0;      // SIGKILL, or scancel
    // Non-blocking; true once the trial has ended.
    virtual bool poll() = 0;
    virtual int exitCode() const = 0;   // -1 while running or when ended by a signal
    virtual int termSignal() const = 0; // 0 while running or after a normal exit
    // Seconds since the first terminate(); negative if terminate() was never called.
    virtual double secondsSinceTerminate() const = 0;
    // The last lines the trial wrote to its stderr, each ending in '\n'.
    virtual std::string stderrTail(std::size_t maxLines) const = 0;

    // Why the system, not the trial, ended it ("Slurm job 17 ended TIMEOUT (time limit)"), or
    // empty.
    virtual std::string endReason() const { return {}; }
    // Something that happened to it since the last call and deserves a log line and a store
    // event ("Slurm job 17 is RUNNING on node1"), or empty.
    virtual std::string takeNotice() { return {}; }
};

} // namespace seplab::exec
