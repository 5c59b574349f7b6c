#pragma once

// `bench train` and `bench separate`: rows of the bench table in cmd_bench.cpp.

#include <string>
#include <vector>

namespace seplab::cli {

int runTrainBench(const std::vector<std::string> &args);
int runSeparateBench(const std::vector<std::string> &args);

} // namespace seplab::cli
