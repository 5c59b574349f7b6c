#include "core/exec/slurm_status.h"

#include <algorithm>
#include <cctype>
#include <sstream>
#include <stdexcept>

namespace seplab::exec {

namespace {

std::vector<std::string> splitFields(const std::string &line, char separator)
{
    std::vector<std::string> fields;
    std::size_t start = 0;
    while (true) {
        const std::size_t end = line.find(separator, start);
        fields.push_back(line.substr(start, end == std::string::npos ? end : end - start));
        if (end == std::string::npos)
            return fields;
        start = end + 1;
    }
}

std::string trimmed(const std::string &text)
{
    const std::size_t first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos)
        return {};
    return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

std::vector<std::string> nonEmptyLines(const std::string &text)
{
    std::vector<std::string> out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line))
        if (!trimmed(line).empty())
            out.push_back(trimmed(line));
    return out;
}

std::int64_t integerOr(const std::string &text, std::int64_t fallback)
{
    try {
        std::size_t used = 0;
        const long long value = std::stoll(text, &used);
        return used == text.size() ? value : fallback;
    } catch (const std::exception &) {
        return fallback;
    }
}

// "CANCELLED by 0" -> "CANCELLED": scontrol may add who cancelled it.
std::string stateWord(const std::string &state)
{
    return state.substr(0, state.find(' '));
}

} // namespace

bool isFinalJobState(const std::string &state)
{
    static const std::vector<std::string> finals = {"COMPLETED",
                                                    "FAILED",
                                                    "CANCELLED",
                                                    "TIMEOUT",
                                                    "NODE_FAIL",
                                                    "OUT_OF_MEMORY",
                                                    "BOOT_FAIL",
                                                    "DEADLINE",
                                                    "SPECIAL_EXIT",
                                                    "REVOKED"};
    return std::find(finals.begin(), finals.end(), stateWord(state)) != finals.end();
}

bool isPendingJobState(const std::string &state)
{
    const std::string word = stateWord(state);
    return word == "PENDING" || word == "REQUEUED" || word == "REQUEUE_HOLD"
           || word == "REQUEUE_FED" || word == "CONFIGURING" || word == "RESV_DEL_HOLD";
}

std::string parseSbatchJobId(const std::string &out)
{
    for (const std::string &line : nonEmptyLines(out)) {
        const std::string id = line.substr(0, line.find(';'));
        if (!id.empty() && std::all_of(id.begin(), id.end(), [](unsigned char c) {
                return std::isdigit(c) != 0;
            }))
            return id;
    }
    throw std::invalid_argument("sbatch printed no job id (it printed '" + trimmed(out) + "').");
}

bool isTransientRefusal(const std::string &sbatchError)
{
    // Slurm's own wording (slurm_errno.c): submit limits and an overloaded or unreachable
    // slurmctld pass with time; everything else is a mistake in the request.
    static const std::vector<std::string> transient = {"MaxSubmitJob",
                                                       "job submit limit",
                                                       "Resource temporarily unavailable",
                                                       "Socket timed out",
                                                       "Unable to contact slurm controller",
                                                       "Slurm temporarily unable",
                                                       "Connection refused",
                                                       "Zero Bytes were transmitted"};
    return std::any_of(transient.begin(), transient.end(), [&](const std::string &needle) {
        return sbatchError.find(needle) != std::string::npos;
    });
}

std::vector<std::string> squeueFormatArguments()
{
    return {"--noheader", "--format=%i|%T|%r|%N"};
}

std::map<std::string, SlurmJobStatus> parseSqueue(const std::string &text)
{
    std::map<std::string, SlurmJobStatus> out;
    for (const std::string &line : nonEmptyLines(text)) {
        const std::vector<std::string> fields = splitFields(line, '|');
        if (fields.size() != 4)
            throw std::invalid_argument("squeue line '" + line
                                        + "' does not have the 4 fields id|state|reason|nodes.");
        SlurmJobStatus status;
        status.jobId = fields[0];
        status.state = fields[1];
        status.reason = fields[2];
        status.nodes = fields[3] == "(null)" ? std::string() : fields[3];
        out[status.jobId] = status;
    }
    return out;
}

std::optional<SlurmJobStatus> parseScontrolJob(const std::string &text)
{
    const std::vector<std::string> lines = nonEmptyLines(text);
    if (lines.empty())
        return std::nullopt;
    std::map<std::string, std::string> values;
    std::istringstream in(lines.front());
    std::string item;
    std::string lastKey;
    while (in >> item) {
        const std::size_t equals = item.find('=');
        if (equals == std::string::npos || equals == 0) {
            // A value with spaces ("JobState=CANCELLED by 0"): it continues the last key.
            if (!lastKey.empty())
                values[lastKey] += " " + item;
            continue;
        }
        lastKey = item.substr(0, equals);
        values[lastKey] = item.substr(equals + 1);
    }
    if (!values.count("JobId") || !values.count("JobState"))
        return std::nullopt;
    SlurmJobStatus status;
    status.jobId = values["JobId"];
    status.state = stateWord(values["JobState"]);
    status.reason = values.count("Reason") ? values["Reason"] : std::string();
    status.nodes = values.count("NodeList") && values["NodeList"] != "(null)" ? values["NodeList"]
                                                                              : std::string();
    if (values.count("ExitCode")) {
        const std::string &exit = values["ExitCode"];
        const std::size_t colon = exit.find(':');
        status.exitCode = int(integerOr(exit.substr(0, colon), 0));
        status.exitSignal = colon == std::string::npos ? 0
                                                       : int(integerOr(exit.substr(colon + 1), 0));
        status.exitKnown = true;
    }
    return status;
}

std::vector<std::string> sinfoNodeArguments()
{
    return {"--noheader", "--Node", "--format=%N|%P|%T|%c|%m|%G|%e"};
}

std::vector<SlurmNode> parseSinfoNodes(const std::string &text)
{
    std::vector<SlurmNode> out;
    for (const std::string &line : nonEmptyLines(text)) {
        const std::vector<std::string> fields = splitFields(line, '|');
        if (fields.size() != 7)
            throw std::invalid_argument(
                "sinfo line '" + line
                + "' does not have the 7 fields node|partition|state|cpus|memory|gres|free.");
        SlurmNode node;
        node.name = fields[0];
        node.partition = fields[1];
        if (!node.partition.empty() && node.partition.back() == '*') {
            node.partition.pop_back();
            node.defaultPartition = true;
        }
        node.state = fields[2];
        node.cpus = int(integerOr(fields[3], 0));
        node.memoryMiB = integerOr(fields[4], 0);
        node.gres = fields[5] == "(null)" ? std::string() : fields[5];
        node.freeMemoryMiB = integerOr(fields[6], -1);
        out.push_back(node);
    }
    return out;
}

} // namespace seplab::exec
