#pragma once

// What a spawned program sees: its environment and where its executable is.

#include <map>
#include <string>
#include <vector>

namespace seplab::exec {

// The controller's environment ("NAME=value" entries) with `overrides` added or replacing
// entries of the same name. Order: the controller's entries first, then new names sorted.
std::vector<std::string> mergedEnvironment(const std::map<std::string, std::string> &overrides);

// The value NAME has in `environment` ("NAME=value" entries), or `fallback` when absent.
std::string environmentValue(const std::vector<std::string> &environment,
                             const std::string &name,
                             const std::string &fallback = std::string());

// `program` as execve wants it: unchanged when it contains '/', else the first executable file
// of that name in the ':'-separated `searchPath` (an empty entry means the current directory,
// as POSIX says). Empty when none is found.
std::string findExecutable(const std::string &program, const std::string &searchPath);

} // namespace seplab::exec
