#pragma once

// External programs, W&B agent style (spec hpo.md §1(f)): a stage's `command` template with
// macros becomes the trial's argv, parameters as `--name=value` arguments, never a shell line.

#include "core/exec/python_str.h"

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace seplab::exec {

// W&B's default command: {"${env}", "${interpreter}", "${program}", "${args}"}.
const std::vector<std::string> &defaultCommandTemplate();

// Each template item that is exactly one macro expands to zero or more arguments:
//   ${env} -> /usr/bin/env      ${interpreter} -> python3      ${program} -> program
//   ${args} -> --name=value per parameter    ${args_no_hyphens} -> name=value (Hydra style)
//   ${args_no_boolean_flags} -> as ${args}, but true -> --name and false -> nothing
//   ${args_json} -> one argument, json.dumps(params)    ${args_json_file} -> argsJsonFile
// Values are pythonStr(value); a nested parameter (a JSON object) is one dict-valued argument,
// as W&B gives it. Parameters come in sorted name order. `${envvar:NAME}` is replaced by the
// controller's NAME anywhere in an item; other text passes through. An empty template means the
// default one. Throws std::invalid_argument for an unknown macro, a macro inside other text, a
// ${program} without a program, ${args_json_file} without a file, or an unset ${envvar:NAME}.
std::vector<std::string> expandCommand(const std::vector<std::string> &commandTemplate,
                                       const std::string &program,
                                       const nlohmann::json &params,
                                       const std::string &argsJsonFile);

} // namespace seplab::exec
