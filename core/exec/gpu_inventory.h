#pragma once

// The GPUs of this machine as nvidia-smi reports them, for the Devices panel and the launch
// dialog. The query runs elsewhere (the GUI starts nvidia-smi without blocking its thread); this
// holds the one command line and the parsing, Qt-free and testable on real output.

#include <string>
#include <vector>

namespace seplab::exec {

struct GpuStatus
{
    int index = 0;
    std::string name;
    // -1 where nvidia-smi prints "[N/A]" or "[Not Supported]" (MIG instances, some boards).
    int memoryUsedMiB = -1;
    int memoryTotalMiB = -1;
    int utilisationPercent = -1;
};

// nvidia-smi's arguments for the fields parseNvidiaSmiCsv() reads, in that order.
std::vector<std::string> nvidiaSmiQueryArguments();

// Parses nvidia-smi's `--format=csv,noheader,nounits` lines ("0, NVIDIA H200, 512, 143771,
// 3"). Blank lines are skipped; a line with another field count or a non-numeric index throws
// std::invalid_argument naming the line.
std::vector<GpuStatus> parseNvidiaSmiCsv(const std::string &text);

} // namespace seplab::exec
