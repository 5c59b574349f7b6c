#include "core/exec/slurm_options.h"

namespace seplab::exec {

bool SlurmOptions::usesGpu() const
{
    // "gpu:1", "gpu:a100:2", "shard:1,gpu:1": any gres item whose name is gpu.
    std::size_t start = 0;
    while (start <= gres.size()) {
        const std::size_t end = gres.find(',', start);
        const std::string item = gres.substr(start, end == std::string::npos ? end : end - start);
        if (item.substr(0, item.find(':')) == "gpu")
            return true;
        if (end == std::string::npos)
            break;
        start = end + 1;
    }
    return false;
}

std::vector<std::string> SlurmOptions::sbatchOptions() const
{
    std::vector<std::string> out;
    const auto add = [&](const char *name, const std::string &value) {
        if (!value.empty())
            out.push_back(std::string("--") + name + "=" + value);
    };
    add("partition", partition);
    add("account", account);
    add("qos", qos);
    add("gres", gres);
    add("time", time);
    add("mem", mem);
    if (cpusPerTask > 0)
        add("cpus-per-task", std::to_string(cpusPerTask));
    out.push_back(requeue ? "--requeue" : "--no-requeue");
    out.insert(out.end(), extra.begin(), extra.end());
    return out;
}

} // namespace seplab::exec
