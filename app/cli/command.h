#pragma once

// The seplab-cli sub-commands. Each lives in its own cmd_<name>.cpp and is listed once in
// command_registry.cpp; main() only dispatches.

#include <string>
#include <vector>

namespace seplab::cli {

struct Command
{
    const char *name;
    const char *summary;
    // Receives the arguments after the command name. Returns the process exit status; throws
    // UsageError (exit 2) or any std::exception (exit 1) with a one-sentence message.
    int (*run)(const std::vector<std::string> &args);
};

const std::vector<Command> &commands();
const Command *findCommand(const std::string &name);

// Runs `seplab-cli <args...>` in-process: dispatch, --help, --version, and the error policy
// (one sentence on stderr, non-zero exit). main() is a one-line wrapper around it.
int runCli(const std::vector<std::string> &args);

int runMetrics(const std::vector<std::string> &args);
int runMakeCorpus(const std::vector<std::string> &args);
int runCheckData(const std::vector<std::string> &args);
int runBench(const std::vector<std::string> &args);
int runModelInfo(const std::vector<std::string> &args);
int runExportWeights(const std::vector<std::string> &args);
int runImportWeights(const std::vector<std::string> &args);
int runTrain(const std::vector<std::string> &args);
int runEvaluate(const std::vector<std::string> &args);
int runSeparate(const std::vector<std::string> &args);
int runSweep(const std::vector<std::string> &args);
int runReport(const std::vector<std::string> &args);

} // namespace seplab::cli
