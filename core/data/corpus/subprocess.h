#pragma once

// Running a helper program (espeak-ng) without a shell: the arguments go to the program as an
// argv array, so nothing in a sentence or a path is ever interpreted by /bin/sh.

#include <string>
#include <vector>

namespace seplab::data::corpus {

// The full path of an executable found in $PATH, or empty when there is none.
std::string findOnPath(const std::string &program);

// Runs argv[0] (a path) with argv, waits for it, and returns its exit status (128 + signal when
// it was killed). stdout is discarded; stderr goes to stderrPath when given, else is discarded.
// Throws std::runtime_error when the program cannot be started.
int runProgram(const std::vector<std::string> &argv, const std::string &stderrPath = {});

} // namespace seplab::data::corpus
