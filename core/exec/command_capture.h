#pragma once

// Runs a short command to completion and keeps what it printed: the Slurm client's sbatch,
// squeue, scontrol, scancel and sinfo calls. Never a shell; argv as given.

#include <string>
#include <vector>

namespace seplab::exec {

struct CommandResult
{
    int exitCode = -1; // -1 when it was killed by a signal (the time limit included)
    bool timedOut = false;
    std::string out; // its stdout
    std::string err; // its stderr
    bool ok() const { return exitCode == 0 && !timedOut; }
    // The first non-empty stderr line (or stdout line), for one-sentence errors.
    std::string firstErrorLine() const;
};

// Throws std::runtime_error when the program cannot be started (not found, say). A command still
// running after timeoutSeconds is killed and reported with timedOut.
CommandResult runCommand(const std::vector<std::string> &argv, double timeoutSeconds = 60.0);

} // namespace seplab::exec
