#pragma once

// One trial as a child process (DESIGN.md "Trial protocol"; spec hpo.md §1(f)): started without
// a shell, its stdout read line by line without blocking, stopped the way W&B's agent stops a
// run (SIGTERM, then SIGKILL after a delay the caller enforces).
//
// The child leads its own process group, so that a terminal Ctrl-C reaches only the controller
// (which then stops trials itself) and so that stopping a trial also stops whatever it started
// (data-loader workers, a shell's children).

#include "core/exec/trial_handle.h"

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace seplab::exec {

struct LaunchSpec
{
    std::vector<std::string> argv;          // argv[0] is looked up in PATH when it has no '/'
    std::map<std::string, std::string> env; // added to / overriding the controller's environment
    std::string workingDir;                 // empty = inherit
    std::string stderrPath; // the child's stderr is appended here (parents created); empty = inherit
    std::string stdinPath;  // the child's stdin; empty = /dev/null
};

class TrialProcess : public TrialHandle
{
public:
    // Throws std::runtime_error with one sentence, e.g. "program 'x' could not be started: No
    // such file or directory." PATH is the child's (spec.env's PATH when it sets one).
    static std::unique_ptr<TrialProcess> start(const LaunchSpec &spec);
    // Never leaves a zombie: a child still running is killed with its group and reaped.
    ~TrialProcess() override;
    TrialProcess(const TrialProcess &) = delete;
    TrialProcess &operator=(const TrialProcess &) = delete;

    int pid() const override { return m_pid; }
    std::string describe() const override { return "pid " + std::to_string(m_pid); }
    // The read end of the child's stdout (non-blocking, close-on-exec); -1 after EOF.
    int stdoutFd() const { return m_stdoutFd; }
    // A descriptor that becomes readable when the child exits (Linux pidfd), or -1.
    int exitFd() const { return m_exitFd; }

    // The complete lines available now, without '\n' (a trailing '\r' is kept). At EOF a final
    // unterminated line is returned too and stdoutFd() becomes -1.
    std::vector<std::string> readLines() override;
    bool outputDrained() const override { return m_stdoutFd < 0; }

    // SIGTERM to the group; the first call's time starts secondsSinceTerminate().
    void terminate() override;
    // SIGKILL to the group.
    void kill() override;
    // Non-blocking reap; true once the child has exited. Output is not drained: call readLines()
    // until stdoutFd() is -1 for the rest of it.
    bool poll() override;

    bool exited() const { return m_exited; }
    int exitCode() const override
    {
        return m_exitCode;
    } // -1 while running or if killed by a signal
    int termSignal() const override
    {
        return m_termSignal;
    } // 0 while running or if it exited normally
    // Seconds since the first terminate(); negative if terminate() was never called.
    double secondsSinceTerminate() const override;
    // The last `maxLines` lines of the stderr file, each ending in '\n'; empty without a file.
    std::string stderrTail(std::size_t maxLines = 30) const override;

private:
    TrialProcess() = default;
    void signalGroup(int signal);
    void recordStatus(int status);

    int m_pid = -1;
    int m_stdoutFd = -1;
    int m_exitFd = -1;
    std::string m_pending; // bytes read after the last '\n'
    std::string m_stderrPath;
    bool m_exited = false;
    int m_exitCode = -1;
    int m_termSignal = 0;
    bool m_terminated = false;
    std::chrono::steady_clock::time_point m_terminatedAt;
};

// Blocks until a process's stdout is readable, a running process exits, or timeoutMs passes.
// Without pidfd support (kernels before 5.3) an exit is noticed within 100 ms.
void waitForActivity(const std::vector<TrialProcess *> &processes, int timeoutMs);

} // namespace seplab::exec
