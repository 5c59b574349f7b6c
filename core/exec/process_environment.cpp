#include "core/exec/process_environment.h"

#include <set>
#include <sys/stat.h>
#include <unistd.h>

extern char **environ;

namespace seplab::exec {

std::vector<std::string> mergedEnvironment(const std::map<std::string, std::string> &overrides)
{
    std::vector<std::string> out;
    std::set<std::string> replaced;
    for (char **entry = environ; entry && *entry; ++entry) {
        const std::string text(*entry);
        const std::string name = text.substr(0, text.find('='));
        const auto override = overrides.find(name);
        if (override == overrides.end()) {
            out.push_back(text);
        } else if (replaced.insert(name).second) {
            out.push_back(name + "=" + override->second);
        }
    }
    for (const auto &[name, value] : overrides)
        if (!replaced.count(name))
            out.push_back(name + "=" + value);
    return out;
}

std::string environmentValue(const std::vector<std::string> &environment,
                             const std::string &name,
                             const std::string &fallback)
{
    const std::string prefix = name + "=";
    for (const std::string &entry : environment)
        if (entry.compare(0, prefix.size(), prefix) == 0)
            return entry.substr(prefix.size());
    return fallback;
}

namespace {

bool isExecutableFile(const std::string &path)
{
    struct stat info
    {};
    return ::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode)
           && ::access(path.c_str(), X_OK) == 0;
}

} // namespace

std::string findExecutable(const std::string &program, const std::string &searchPath)
{
    if (program.empty())
        return {};
    if (program.find('/') != std::string::npos)
        return program;
    std::size_t begin = 0;
    while (begin <= searchPath.size()) {
        std::size_t end = searchPath.find(':', begin);
        if (end == std::string::npos)
            end = searchPath.size();
        const std::string directory = searchPath.substr(begin, end - begin);
        const std::string candidate = (directory.empty() ? std::string(".") : directory) + "/"
                                      + program;
        if (isExecutableFile(candidate))
            return candidate;
        begin = end + 1;
    }
    return {};
}

} // namespace seplab::exec
