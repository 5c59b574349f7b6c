#pragma once

// Runs `seplab-cli <args>` in-process through runCli and captures what it prints, so command
// tests check the exact output, the error sentence and the exit status.

#include "cli/command.h"

#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace seplab::test {

struct CliResult
{
    int status = 0;
    std::string out;
    std::string err;
};

inline CliResult runInProcess(const std::vector<std::string> &args)
{
    std::ostringstream out;
    std::ostringstream err;
    std::streambuf *oldOut = std::cout.rdbuf(out.rdbuf());
    std::streambuf *oldErr = std::cerr.rdbuf(err.rdbuf());
    const int status = cli::runCli(args);
    std::cout.rdbuf(oldOut);
    std::cerr.rdbuf(oldErr);
    return {status, out.str(), err.str()};
}

} // namespace seplab::test
