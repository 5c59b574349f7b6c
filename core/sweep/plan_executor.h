#pragma once

// A plan's `executor:` mapping: where its trials run, this machine's slots (type local) or a
// Slurm cluster (type slurm, see docs/slurm.md). Split from plan.cpp: one concern per file.

#include "core/sweep/plan.h"

#include <yaml-cpp/yaml.h>

namespace seplab::sweep {

// Throws std::invalid_argument naming the file, the line and the key (executor.<key>).
ExecutorPlan readExecutor(const YAML::Node &node, const std::string &source);

} // namespace seplab::sweep
