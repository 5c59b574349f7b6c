#pragma once

// The `sweep` sub-commands that live outside cmd_sweep.cpp.

#include <string>
#include <vector>

namespace seplab::cli {

int runSweepStatus(const std::vector<std::string> &args);
int runSweepImportWandb(const std::vector<std::string> &args);
int runSweepExportWandb(const std::vector<std::string> &args);

} // namespace seplab::cli
