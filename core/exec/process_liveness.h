#pragma once

#include <string>

namespace seplab::exec {

// Whether a process that may be a trial or a controller is alive and its command line mentions
// `needle` (guards against a recycled pid).
bool processAliveWith(int pid, const std::string &needle);

} // namespace seplab::exec
