#pragma once

// Helpers for tests that run real child processes: bounded waits (a broken process test fails
// instead of hanging) and a look at whether a pid is still a live process.

#include "core/exec/trial_process.h"

#include <fstream>
#include <string>
#include <vector>

namespace seplab::exec::testing {

// Everything the process prints until EOF and exit, waiting at most about 20 s.
inline std::vector<std::string> readToEnd(TrialProcess &process)
{
    std::vector<std::string> lines;
    for (int round = 0; round < 400 && (process.stdoutFd() >= 0 || !process.poll()); ++round) {
        waitForActivity({&process}, 50);
        for (std::string &line : process.readLines())
            lines.push_back(std::move(line));
    }
    return lines;
}

// Lines until one equals `wanted` (included), waiting at most about 20 s.
inline std::vector<std::string> readUntil(TrialProcess &process, const std::string &wanted)
{
    std::vector<std::string> lines;
    for (int round = 0; round < 400 && process.stdoutFd() >= 0; ++round) {
        waitForActivity({&process}, 50);
        for (std::string &line : process.readLines()) {
            lines.push_back(std::move(line));
            if (lines.back() == wanted)
                return lines;
        }
    }
    return lines;
}

// At least `count` lines (fewer only if the output ends), waiting at most about 20 s.
inline std::vector<std::string> readAtLeast(TrialProcess &process, std::size_t count)
{
    std::vector<std::string> lines;
    for (int round = 0; round < 400 && process.stdoutFd() >= 0 && lines.size() < count; ++round) {
        waitForActivity({&process}, 50);
        for (std::string &line : process.readLines())
            lines.push_back(std::move(line));
    }
    return lines;
}

// Polls until exit, at most about 20 s.
inline bool waitForExit(TrialProcess &process)
{
    for (int round = 0; round < 400 && !process.poll(); ++round) {
        process.readLines();
        waitForActivity({&process}, 50);
    }
    return process.exited();
}

// A process that is gone or a zombie no longer runs (an orphan's zombie waits for init, which
// in a container may never reap it).
inline bool isRunning(int pid)
{
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string text;
    if (!std::getline(stat, text))
        return false;
    const std::size_t paren = text.rfind(')');
    return paren != std::string::npos && paren + 2 < text.size() && text[paren + 2] != 'Z';
}

// Waits at most about 5 s for `pid` to stop running.
inline bool stopsRunning(int pid)
{
    for (int round = 0; round < 100 && isRunning(pid); ++round)
        waitForActivity({}, 50);
    return !isRunning(pid);
}

} // namespace seplab::exec::testing
