#include "core/exec/slurm_client.h"

#include "core/exec/command_capture.h"

#include <filesystem>

namespace seplab::exec {

namespace {

std::string joined(const std::vector<std::string> &items, const char *separator)
{
    std::string out;
    for (const std::string &item : items)
        out += (out.empty() ? "" : separator) + item;
    return out;
}

std::runtime_error commandFailed(const std::string &what, const CommandResult &result)
{
    if (result.timedOut)
        return std::runtime_error(what + " did not answer in time (is slurmctld reachable?).");
    const std::string said = result.firstErrorLine();
    return std::runtime_error(what + " failed with status " + std::to_string(result.exitCode)
                              + (said.empty() ? std::string(".") : ": " + said));
}

} // namespace

SlurmClient::SlurmClient(std::string binDir, double timeoutSeconds)
    : m_binDir(std::move(binDir))
    , m_timeout(timeoutSeconds)
{}

std::string SlurmClient::program(const std::string &name) const
{
    return m_binDir.empty() ? name : (std::filesystem::path(m_binDir) / name).string();
}

bool SlurmClient::available() const
{
    try {
        return runCommand({program("sinfo"), "--noheader", "--format=%P"}, 10.0).ok();
    } catch (const std::runtime_error &) {
        return false; // sinfo is not installed
    }
}

std::string SlurmClient::submit(const std::string &scriptPath) const
{
    CommandResult result;
    try {
        result = runCommand({program("sbatch"), "--parsable", scriptPath}, m_timeout);
    } catch (const std::runtime_error &error) {
        throw SlurmSubmissionRefused(std::string("sbatch could not be run: ") + error.what(), false);
    }
    if (!result.ok()) {
        const std::string said = result.timedOut ? std::string("no answer in time")
                                                 : result.firstErrorLine();
        throw SlurmSubmissionRefused("sbatch refused " + scriptPath + ": " + said,
                                     result.timedOut || isTransientRefusal(result.err));
    }
    try {
        return parseSbatchJobId(result.out);
    } catch (const std::invalid_argument &error) {
        throw SlurmSubmissionRefused(error.what(), false);
    }
}

std::map<std::string, SlurmJobStatus> SlurmClient::jobs(const std::vector<std::string> &jobIds) const
{
    if (jobIds.empty())
        return {};
    std::vector<std::string> argv = {program("squeue"),
                                     "--states=all",
                                     "--jobs=" + joined(jobIds, ",")};
    const std::vector<std::string> format = squeueFormatArguments();
    argv.insert(argv.end(), format.begin(), format.end());
    const CommandResult result = runCommand(argv, m_timeout);
    if (result.ok())
        return parseSqueue(result.out);
    // squeue refuses the whole list when one id is unknown to slurmctld ("Invalid job id
    // specified"): ask job by job instead.
    if (result.timedOut || result.err.find("Invalid job id") == std::string::npos)
        throw commandFailed("squeue", result);
    std::map<std::string, SlurmJobStatus> out;
    for (const std::string &id : jobIds)
        if (const std::optional<SlurmJobStatus> status = job(id))
            out[id] = *status;
    return out;
}

std::optional<SlurmJobStatus> SlurmClient::job(const std::string &jobId) const
{
    const CommandResult result
        = runCommand({program("scontrol"), "--oneliner", "show", "job", jobId}, m_timeout);
    if (!result.ok()) {
        if (result.err.find("Invalid job id") != std::string::npos)
            return std::nullopt;
        throw commandFailed("scontrol show job " + jobId, result);
    }
    return parseScontrolJob(result.out);
}

void SlurmClient::signal(const std::string &jobId, const std::string &signalName) const
{
    const CommandResult result
        = runCommand({program("scancel"), "--batch", "--signal=" + signalName, jobId}, m_timeout);
    // A job that ended meanwhile cannot be signalled; that is not an error here.
    if (!result.ok() && result.err.find("Invalid job id") == std::string::npos)
        throw commandFailed("scancel --signal=" + signalName + " " + jobId, result);
}

void SlurmClient::cancel(const std::string &jobId) const
{
    const CommandResult result = runCommand({program("scancel"), jobId}, m_timeout);
    if (!result.ok())
        throw commandFailed("scancel " + jobId, result);
}

std::vector<SlurmNode> SlurmClient::nodes(const std::string &partition) const
{
    std::vector<std::string> argv = {program("sinfo")};
    const std::vector<std::string> format = sinfoNodeArguments();
    argv.insert(argv.end(), format.begin(), format.end());
    if (!partition.empty())
        argv.push_back("--partition=" + partition);
    const CommandResult result = runCommand(argv, m_timeout);
    if (!result.ok())
        throw commandFailed("sinfo", result);
    return parseSinfoNodes(result.out);
}

} // namespace seplab::exec
