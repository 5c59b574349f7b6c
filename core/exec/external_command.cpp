#include "core/exec/external_command.h"

#include <cstdlib>
#include <stdexcept>

namespace seplab::exec {

namespace {

const char *const kKnownMacros = "${env}, ${interpreter}, ${program}, ${args}, "
                                 "${args_no_hyphens}, ${args_no_boolean_flags}, ${args_json}, "
                                 "${args_json_file} and ${envvar:NAME}";

bool isWholeArgumentMacro(const std::string &name)
{
    return name == "env" || name == "interpreter" || name == "program" || name == "args"
           || name == "args_no_hyphens" || name == "args_no_boolean_flags" || name == "args_json"
           || name == "args_json_file";
}

void appendArguments(const std::string &macro,
                     const nlohmann::json &params,
                     std::vector<std::string> &out)
{
    for (const auto &[name, value] : params.items()) {
        if (macro == "args_no_boolean_flags" && value.is_boolean()) {
            if (value.get<bool>())
                out.push_back("--" + name);
            continue;
        }
        const std::string prefix = macro == "args_no_hyphens" ? "" : "--";
        out.push_back(prefix + name + "=" + pythonStr(value));
    }
}

// ${envvar:NAME} anywhere in the item; any other ${...} here is misplaced or unknown.
std::string substituteInline(const std::string &item)
{
    std::string out;
    std::size_t position = 0;
    while (true) {
        const std::size_t open = item.find("${", position);
        if (open == std::string::npos)
            return out + item.substr(position);
        const std::size_t close = item.find('}', open);
        if (close == std::string::npos)
            throw std::invalid_argument("command item '" + item
                                        + "' has a '${' without its closing '}'.");
        const std::string name = item.substr(open + 2, close - open - 2);
        out += item.substr(position, open - position);
        if (name.rfind("envvar:", 0) == 0) {
            const std::string variable = name.substr(7);
            const char *value = std::getenv(variable.c_str());
            if (!value)
                throw std::invalid_argument("command item '" + item + "' uses environment variable "
                                            + variable + ", which is not set.");
            out += value;
        } else if (isWholeArgumentMacro(name)) {
            throw std::invalid_argument("command item '" + item + "': macro ${" + name
                                        + "} must be a whole item of the command list.");
        } else {
            throw std::invalid_argument("command item '" + item + "': unknown macro ${" + name
                                        + "}; the macros are " + kKnownMacros + ".");
        }
        position = close + 1;
    }
}

} // namespace

const std::vector<std::string> &defaultCommandTemplate()
{
    static const std::vector<std::string> kDefault = {"${env}",
                                                      "${interpreter}",
                                                      "${program}",
                                                      "${args}"};
    return kDefault;
}

std::vector<std::string> expandCommand(const std::vector<std::string> &commandTemplate,
                                       const std::string &program,
                                       const nlohmann::json &params,
                                       const std::string &argsJsonFile)
{
    if (!params.is_object())
        throw std::invalid_argument("trial parameters must be a JSON object, not "
                                    + std::string(params.type_name()) + ".");
    const std::vector<std::string> &items = commandTemplate.empty() ? defaultCommandTemplate()
                                                                    : commandTemplate;
    std::vector<std::string> argv;
    for (const std::string &item : items) {
        const bool whole = item.size() > 3 && item.compare(0, 2, "${") == 0 && item.back() == '}'
                           && item.find('}') == item.size() - 1;
        const std::string name = whole ? item.substr(2, item.size() - 3) : std::string();
        if (!whole || !isWholeArgumentMacro(name)) {
            argv.push_back(substituteInline(item));
        } else if (name == "env") {
            argv.push_back("/usr/bin/env");
        } else if (name == "interpreter") {
            argv.push_back("python3");
        } else if (name == "program") {
            if (program.empty())
                throw std::invalid_argument(
                    "the command uses ${program} but the stage names no program.");
            argv.push_back(program);
        } else if (name == "args_json") {
            argv.push_back(pythonJsonDumps(params));
        } else if (name == "args_json_file") {
            if (argsJsonFile.empty())
                throw std::invalid_argument(
                    "the command uses ${args_json_file} but no parameter file was written.");
            argv.push_back(argsJsonFile);
        } else {
            appendArguments(name, params, argv);
        }
    }
    return argv;
}

} // namespace seplab::exec
