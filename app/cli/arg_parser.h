#pragma once

// A small declarative command-line parser shared by every seplab-cli sub-command, so that each
// command documents its flags in one place and --help is generated from that declaration.

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace seplab::cli {

// A command line the user got wrong. main() prints the message and exits with status 2.
class UsageError : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

class ArgParser
{
public:
    ArgParser(std::string command, std::string summary);

    // --name (no value).
    void addFlag(const std::string &name, const std::string &help);
    // --name VALUE or --name=VALUE; the last occurrence wins.
    void addOption(const std::string &name,
                   const std::string &valueName,
                   const std::string &help,
                   const std::string &defaultValue = {},
                   bool required = false);
    // --name V1 [V2 ...]: takes every following argument up to the next --option, and may repeat.
    void addListOption(const std::string &name,
                       const std::string &valueName,
                       const std::string &help,
                       bool required = false);
    // A bare argument, in declaration order.
    void addPositional(const std::string &name, const std::string &help, bool required = true);

    // Throws UsageError naming the offending argument. Returns false when --help was given (the
    // caller prints help() and exits 0); required arguments are not checked in that case.
    bool parse(const std::vector<std::string> &args);

    std::string help() const;

    bool has(const std::string &name) const;
    std::string value(const std::string &name) const;
    std::vector<std::string> values(const std::string &name) const;
    int intValue(const std::string &name) const;
    double doubleValue(const std::string &name) const;

private:
    enum class Kind { Flag, Option, List, Positional };
    struct Spec
    {
        std::string name;
        std::string valueName;
        std::string help;
        std::string defaultValue;
        Kind kind = Kind::Flag;
        bool required = false;
    };

    const Spec *findSpec(const std::string &name) const;
    const Spec &specOrThrow(const std::string &name) const;

    std::string m_command;
    std::string m_summary;
    std::vector<Spec> m_specs;
    std::map<std::string, std::vector<std::string>> m_values;
};

} // namespace seplab::cli
