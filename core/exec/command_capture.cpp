#include "core/exec/command_capture.h"

#include "core/exec/trial_process.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <unistd.h>

namespace seplab::exec {

namespace {

// A private file for the command's stderr, removed when the call returns.
class TemporaryFile
{
public:
    TemporaryFile()
    {
        const std::filesystem::path folder = std::filesystem::temp_directory_path();
        std::string pattern = (folder / "seplab-command-XXXXXX").string();
        const int fd = ::mkstemp(pattern.data());
        if (fd < 0)
            throw std::runtime_error("no temporary file could be created in " + folder.string()
                                     + ".");
        ::close(fd);
        m_path = pattern;
    }
    ~TemporaryFile() { std::remove(m_path.c_str()); }
    const std::string &path() const { return m_path; }
    std::string text() const
    {
        std::ifstream in(m_path);
        std::ostringstream out;
        out << in.rdbuf();
        return out.str();
    }

private:
    std::string m_path;
};

std::string firstNonEmptyLine(const std::string &text)
{
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line))
        if (line.find_first_not_of(" \t\r") != std::string::npos)
            return line;
    return {};
}

} // namespace

std::string CommandResult::firstErrorLine() const
{
    const std::string fromErr = firstNonEmptyLine(err);
    return fromErr.empty() ? firstNonEmptyLine(out) : fromErr;
}

CommandResult runCommand(const std::vector<std::string> &argv, double timeoutSeconds)
{
    TemporaryFile errors;
    LaunchSpec spec;
    spec.argv = argv;
    spec.stderrPath = errors.path();
    std::unique_ptr<TrialProcess> process = TrialProcess::start(spec);

    CommandResult result;
    const auto deadline = std::chrono::steady_clock::now()
                          + std::chrono::milliseconds(long(timeoutSeconds * 1000.0));
    while (!(process->poll() && process->stdoutFd() < 0)) {
        for (const std::string &line : process->readLines())
            result.out += line + "\n";
        if (std::chrono::steady_clock::now() > deadline) {
            process->kill();
            result.timedOut = true;
            while (!process->poll())
                waitForActivity({process.get()}, 20);
            break;
        }
        if (process->stdoutFd() >= 0 || !process->exited())
            waitForActivity({process.get()}, 50);
    }
    for (const std::string &line : process->readLines())
        result.out += line + "\n";
    result.exitCode = process->exitCode();
    result.err = errors.text();
    return result;
}

} // namespace seplab::exec
