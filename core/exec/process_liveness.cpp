#include "core/exec/process_liveness.h"

#include <cerrno>
#include <csignal>
#include <fstream>
#include <iterator>

namespace seplab::exec {

bool processAliveWith(int pid, const std::string &needle)
{
    if (pid <= 0 || (::kill(pid, 0) != 0 && errno != EPERM))
        return false;
    std::ifstream in("/proc/" + std::to_string(pid) + "/cmdline", std::ios::binary);
    std::string cmdline((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return !cmdline.empty() && cmdline.find(needle) != std::string::npos;
}

} // namespace seplab::exec
