#include "gpu_inventory.h"

#include <sstream>
#include <stdexcept>

namespace seplab::exec {

namespace {

std::string trimmed(const std::string &text)
{
    const auto begin = text.find_first_not_of(" \t\r");
    if (begin == std::string::npos)
        return {};
    return text.substr(begin, text.find_last_not_of(" \t\r") - begin + 1);
}

// A number, or -1 for nvidia-smi's "[N/A]" / "[Not Supported]"; nullopt-like -2 for garbage.
int fieldNumber(const std::string &field)
{
    if (!field.empty() && field.front() == '[')
        return -1;
    std::size_t used = 0;
    try {
        const int value = std::stoi(field, &used);
        return used == field.size() && value >= 0 ? value : -2;
    } catch (const std::exception &) {
        return -2;
    }
}

} // namespace

std::vector<std::string> nvidiaSmiQueryArguments()
{
    return {"--query-gpu=index,name,memory.used,memory.total,utilization.gpu",
            "--format=csv,noheader,nounits"};
}

std::vector<GpuStatus> parseNvidiaSmiCsv(const std::string &text)
{
    std::vector<GpuStatus> gpus;
    std::istringstream lines(text);
    std::string line;
    int lineNumber = 0;
    while (std::getline(lines, line)) {
        ++lineNumber;
        if (trimmed(line).empty())
            continue;
        std::vector<std::string> fields;
        std::istringstream cells(line);
        std::string cell;
        while (std::getline(cells, cell, ','))
            fields.push_back(trimmed(cell));
        const std::string where = "nvidia-smi output line " + std::to_string(lineNumber);
        if (fields.size() != 5)
            throw std::invalid_argument(where + ": expected 5 comma-separated fields, got "
                                        + std::to_string(fields.size()) + ".");
        GpuStatus gpu;
        gpu.index = fieldNumber(fields[0]);
        if (gpu.index < 0)
            throw std::invalid_argument(where + ": the GPU index '" + fields[0]
                                        + "' is not a number.");
        gpu.name = fields[1];
        int *numbers[] = {&gpu.memoryUsedMiB, &gpu.memoryTotalMiB, &gpu.utilisationPercent};
        for (int i = 0; i < 3; ++i) {
            const int value = fieldNumber(fields[std::size_t(i) + 2]);
            if (value == -2)
                throw std::invalid_argument(where + ": '" + fields[std::size_t(i) + 2]
                                            + "' is not a number.");
            *numbers[i] = value;
        }
        gpus.push_back(gpu);
    }
    return gpus;
}

} // namespace seplab::exec
