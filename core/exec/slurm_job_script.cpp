#include "core/exec/slurm_job_script.h"

#include <filesystem>
#include <sstream>
#include <stdexcept>

namespace seplab::exec {

namespace {

void requireOneLine(const std::string &value, const std::string &what)
{
    if (value.find_first_of("\n\r") != std::string::npos)
        throw std::invalid_argument(what + " holds a line break, which a job script cannot carry.");
}

// An #SBATCH value: sbatch splits directive lines at blanks and honours double quotes.
std::string directive(const std::string &option)
{
    requireOneLine(option, "sbatch option '" + option + "'");
    const std::size_t equals = option.find('=');
    if (option.find_first_of(" \t") == std::string::npos || equals == std::string::npos)
        return "#SBATCH " + option;
    return "#SBATCH " + option.substr(0, equals + 1) + "\"" + option.substr(equals + 1) + "\"";
}

std::string commandLine(const LaunchSpec &spec)
{
    std::string line = "exec";
    for (const std::string &word : spec.argv) {
        requireOneLine(word, "argument '" + word + "'");
        line += " " + shellQuoted(word);
    }
    return line;
}

} // namespace

std::string shellQuoted(const std::string &text)
{
    std::string out = "'";
    for (const char c : text)
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

std::string jobScriptPath(const std::string &runDir)
{
    return (std::filesystem::path(runDir) / "job.sh").string();
}

std::string eventsPath(const std::string &runDir)
{
    return (std::filesystem::path(runDir) / "events.jsonl").string();
}

std::string slurmJobScript(const SlurmOptions &options, const SlurmJobRequest &request)
{
    const std::filesystem::path runDir(request.runDir);
    const std::string workingDir = request.fresh.workingDir.empty() ? request.runDir
                                                                    : request.fresh.workingDir;
    std::ostringstream out;
    out << "#!/bin/bash\n"
        << "# SepLab trial " << request.jobName << ", submitted by the sweep controller with\n"
        << "# `sbatch job.sh`. The controller follows events.jsonl in this folder.\n"
        << directive("--job-name=" + request.jobName) << "\n"
        << directive("--output="
                     + (request.stdoutIsEventStream ? eventsPath(request.runDir)
                                                    : (runDir / "slurm-%j.out").string()))
        << "\n"
        << directive("--error=" + (runDir / "stderr.log").string()) << "\n"
        << directive("--open-mode=append") << "\n"
        << directive("--chdir=" + workingDir) << "\n";
    for (const std::string &option : options.sbatchOptions())
        out << directive(option) << "\n";
    out << "\n";
    // The controller's environment reaches the job through sbatch (--export=ALL); these are the
    // trial's own variables on top of it.
    for (const auto &[name, value] : request.fresh.env) {
        if (name == "CUDA_VISIBLE_DEVICES")
            continue; // Slurm sets it from the job's gres
        requireOneLine(value, "environment variable " + name);
        out << "export " << name << "=" << shellQuoted(value) << "\n";
    }
    out << "echo \"seplab: Slurm job ${SLURM_JOB_ID:-?} on $(hostname), attempt "
           "$((${SLURM_RESTART_COUNT:-0} + 1))\" >&2\n";
    if (request.resume) {
        out << "if [ -f " << shellQuoted((runDir / "checkpoints" / "last.pt").string())
            << " ]; then\n"
            << "    " << commandLine(*request.resume) << "\n"
            << "fi\n";
    }
    out << commandLine(request.fresh) << "\n";
    return out.str();
}

} // namespace seplab::exec
