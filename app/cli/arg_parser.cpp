#include "arg_parser.h"

#include <cerrno>
#include <cstdlib>
#include <sstream>

namespace seplab::cli {

namespace {

bool isOptionToken(const std::string &arg)
{
    // "--x" is an option; "-" alone, "-3" and "-1e-4" are values.
    return arg.size() > 2 && arg[0] == '-' && arg[1] == '-';
}

} // namespace

ArgParser::ArgParser(std::string command, std::string summary)
    : m_command(std::move(command))
    , m_summary(std::move(summary))
{}

void ArgParser::addFlag(const std::string &name, const std::string &help)
{
    m_specs.push_back({name, {}, help, {}, Kind::Flag, false});
}

void ArgParser::addOption(const std::string &name,
                          const std::string &valueName,
                          const std::string &help,
                          const std::string &defaultValue,
                          bool required)
{
    m_specs.push_back({name, valueName, help, defaultValue, Kind::Option, required});
}

void ArgParser::addListOption(const std::string &name,
                              const std::string &valueName,
                              const std::string &help,
                              bool required)
{
    m_specs.push_back({name, valueName, help, {}, Kind::List, required});
}

void ArgParser::addPositional(const std::string &name, const std::string &help, bool required)
{
    m_specs.push_back({name, {}, help, {}, Kind::Positional, required});
}

const ArgParser::Spec *ArgParser::findSpec(const std::string &name) const
{
    for (const Spec &spec : m_specs) {
        if (spec.name == name)
            return &spec;
    }
    return nullptr;
}

const ArgParser::Spec &ArgParser::specOrThrow(const std::string &name) const
{
    // Asking for an undeclared name is a programming error in the command, not a user error.
    if (const Spec *spec = findSpec(name))
        return *spec;
    throw std::logic_error(m_command + ": option '" + name + "' was never declared");
}

bool ArgParser::parse(const std::vector<std::string> &args)
{
    m_values.clear();
    size_t positionalIndex = 0;
    std::vector<const Spec *> positionals;
    for (const Spec &spec : m_specs) {
        if (spec.kind == Kind::Positional)
            positionals.push_back(&spec);
    }

    for (size_t i = 0; i < args.size(); ++i) {
        const std::string &arg = args[i];
        if (arg == "--help" || arg == "-h")
            return false;
        if (!isOptionToken(arg)) {
            if (positionalIndex >= positionals.size())
                throw UsageError(m_command + ": unexpected argument '" + arg + "'.");
            m_values[positionals[positionalIndex++]->name].push_back(arg);
            continue;
        }

        std::string name = arg.substr(2);
        std::string inlineValue;
        const bool hasInlineValue = name.find('=') != std::string::npos;
        if (hasInlineValue) {
            inlineValue = name.substr(name.find('=') + 1);
            name = name.substr(0, name.find('='));
        }
        const Spec *spec = findSpec(name);
        if (!spec || spec->kind == Kind::Positional)
            throw UsageError(m_command + ": unknown option '--" + name + "' (see '" + m_command
                             + " --help').");

        switch (spec->kind) {
        case Kind::Flag:
            if (hasInlineValue)
                throw UsageError(m_command + ": option '--" + name + "' takes no value.");
            m_values[name] = {"1"};
            break;
        case Kind::Option:
            if (hasInlineValue) {
                m_values[name] = {inlineValue};
            } else {
                if (i + 1 >= args.size() || isOptionToken(args[i + 1]))
                    throw UsageError(m_command + ": option '--" + name + "' needs a value ("
                                     + spec->valueName + ").");
                m_values[name] = {args[++i]};
            }
            break;
        case Kind::List: {
            std::vector<std::string> &list = m_values[name];
            const size_t before = list.size();
            if (hasInlineValue)
                list.push_back(inlineValue);
            while (!hasInlineValue && i + 1 < args.size() && !isOptionToken(args[i + 1]))
                list.push_back(args[++i]);
            if (list.size() == before)
                throw UsageError(m_command + ": option '--" + name + "' needs at least one "
                                 + spec->valueName + ".");
            break;
        }
        case Kind::Positional:
            break;
        }
    }

    for (const Spec &spec : m_specs) {
        if (spec.required && !has(spec.name)) {
            if (spec.kind == Kind::Positional)
                throw UsageError(m_command + ": missing argument " + spec.name + " (see '"
                                 + m_command + " --help').");
            throw UsageError(m_command + ": missing required option '--" + spec.name + "' (see '"
                             + m_command + " --help').");
        }
    }
    return true;
}

std::string ArgParser::help() const
{
    std::ostringstream out;
    out << "usage: seplab-cli " << m_command;
    for (const Spec &spec : m_specs) {
        if (spec.kind == Kind::Positional)
            out << (spec.required ? " " : " [") << spec.name << (spec.required ? "" : "]");
    }
    if (m_specs.size() > 0)
        out << " [options]";
    out << "\n\n" << m_summary << "\n";

    bool anyPositional = false;
    for (const Spec &spec : m_specs) {
        if (spec.kind != Kind::Positional)
            continue;
        if (!anyPositional)
            out << "\narguments:\n";
        anyPositional = true;
        out << "  " << spec.name << "\n      " << spec.help << "\n";
    }

    out << "\noptions:\n";
    for (const Spec &spec : m_specs) {
        if (spec.kind == Kind::Positional)
            continue;
        out << "  --" << spec.name;
        if (spec.kind == Kind::Option)
            out << " " << spec.valueName;
        else if (spec.kind == Kind::List)
            out << " " << spec.valueName << " [" << spec.valueName << " ...]";
        out << "\n      " << spec.help;
        if (spec.required)
            out << " (required)";
        if (!spec.defaultValue.empty())
            out << " (default: " << spec.defaultValue << ")";
        out << "\n";
    }
    out << "  --help\n      Show this help and exit.\n";
    return out.str();
}

bool ArgParser::has(const std::string &name) const
{
    specOrThrow(name);
    return m_values.count(name) > 0;
}

std::string ArgParser::value(const std::string &name) const
{
    const Spec &spec = specOrThrow(name);
    auto it = m_values.find(name);
    if (it == m_values.end() || it->second.empty())
        return spec.defaultValue;
    return it->second.back();
}

std::vector<std::string> ArgParser::values(const std::string &name) const
{
    specOrThrow(name);
    auto it = m_values.find(name);
    return it == m_values.end() ? std::vector<std::string>{} : it->second;
}

int ArgParser::intValue(const std::string &name) const
{
    const std::string text = value(name);
    errno = 0;
    char *end = nullptr;
    const long parsed = std::strtol(text.c_str(), &end, 10);
    if (text.empty() || *end != '\0' || errno == ERANGE || parsed < INT32_MIN || parsed > INT32_MAX)
        throw UsageError(m_command + ": option '--" + name + "' expects an integer, got '" + text
                         + "'.");
    return int(parsed);
}

double ArgParser::doubleValue(const std::string &name) const
{
    const std::string text = value(name);
    errno = 0;
    char *end = nullptr;
    const double parsed = std::strtod(text.c_str(), &end);
    if (text.empty() || *end != '\0' || errno == ERANGE)
        throw UsageError(m_command + ": option '--" + name + "' expects a number, got '" + text
                         + "'.");
    return parsed;
}

} // namespace seplab::cli
