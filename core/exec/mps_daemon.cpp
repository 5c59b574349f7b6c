#include "core/exec/mps_daemon.h"

#include "core/exec/process_environment.h"
#include "core/exec/trial_process.h"

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <thread>
#include <unistd.h>

namespace fs = std::filesystem;

namespace seplab::exec {

namespace {

const char *const kControlProgram = "nvidia-cuda-mps-control";
const char *const kCost = "; packed trials will time-slice the GPU (about 2x slower in total, "
                          "measured on an H200).";

std::string environmentOr(const char *name, const std::string &fallback)
{
    const char *value = std::getenv(name);
    return value && *value ? std::string(value) : fallback;
}

// Whether a daemon serves the control file. The real one is a UNIX socket; a socket that
// refuses connections, or a FIFO nobody reads, was left by a daemon that died.
bool controlIsLive(const std::string &path)
{
    struct stat info
    {};
    if (::lstat(path.c_str(), &info) != 0)
        return false;
    if (S_ISSOCK(info.st_mode)) {
        sockaddr_un address{};
        if (path.size() >= sizeof address.sun_path)
            return true; // cannot probe it; it exists, so believe it
        address.sun_family = AF_UNIX;
        std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
        const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
            return true;
        const bool refused = ::connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof address)
                                 != 0
                             && errno == ECONNREFUSED;
        ::close(fd);
        return !refused;
    }
    if (S_ISFIFO(info.st_mode)) {
        const int fd = ::open(path.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
        if (fd >= 0) {
            ::close(fd);
            return true;
        }
        return errno != ENXIO; // ENXIO: no reader
    }
    return true;
}

// Runs the control program to completion (it returns at once: -d forks the daemon) and
// describes a failure in a few words, or returns empty on success.
std::string runControl(const LaunchSpec &spec, double timeoutSeconds)
{
    std::unique_ptr<TrialProcess> process;
    try {
        process = TrialProcess::start(spec);
    } catch (const std::exception &error) {
        return error.what();
    }
    const auto deadline = std::chrono::steady_clock::now()
                          + std::chrono::duration<double>(timeoutSeconds);
    while (!process->poll()) {
        if (std::chrono::steady_clock::now() > deadline) {
            process->kill();
            return "it did not return within " + std::to_string(int(timeoutSeconds)) + " s";
        }
        process->readLines(); // its stdout is not needed; keep the pipe from filling
        waitForActivity({process.get()}, 100);
    }
    if (process->exitCode() == 0)
        return {};
    std::string detail = process->termSignal() != 0
                             ? "it was killed by signal " + std::to_string(process->termSignal())
                             : "it exited with status " + std::to_string(process->exitCode());
    std::string tail = process->stderrTail(1);
    if (!tail.empty())
        detail += ": " + tail.substr(0, tail.size() - 1);
    return detail;
}

// The daemon makes UNIX sockets in its pipe directory, whose paths must fit sockaddr_un (108
// bytes with the NUL). A store folder deep in a home directory can be too long for that; then
// the pipe directory moves to a short folder under /tmp, named after the store folder so that
// a later controller finds a daemon left there.
std::string pipeDirectoryFor(const std::string &dir)
{
    const std::string preferred = (fs::path(dir) / "mps-pipe").string();
    const std::string longestSocket = preferred + "/control_privileged";
    if (longestSocket.size() < sizeof(sockaddr_un{}.sun_path))
        return preferred;
    std::uint64_t hash = 14695981039346656037ull; // FNV-1a: stable across builds and runs
    for (const char c : fs::absolute(dir).string())
        hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ull;
    char name[64];
    std::snprintf(name,
                  sizeof name,
                  "/tmp/seplab-mps-%u-%016llx",
                  unsigned(::getuid()),
                  static_cast<unsigned long long>(hash));
    return name;
}

} // namespace

MpsDaemon MpsDaemon::start(const std::string &dir)
{
    MpsDaemon daemon;
    MpsStatus &status = daemon.m_status;

    const std::string systemPipe = environmentOr("CUDA_MPS_PIPE_DIRECTORY", "/tmp/nvidia-mps");
    if (controlIsLive(systemPipe + "/control")) {
        status = {true,
                  false,
                  "MPS is already running (pipe directory " + systemPipe
                      + "); packed trials share the GPU through it.",
                  systemPipe,
                  environmentOr("CUDA_MPS_LOG_DIRECTORY", "/var/log/nvidia-mps")};
        return daemon;
    }

    status.pipeDir = pipeDirectoryFor(dir);
    status.logDir = (fs::path(dir) / "mps-log").string();
    daemon.m_controlProgram = findExecutable(kControlProgram, environmentOr("PATH", ""));
    if (controlIsLive(status.pipeDir + "/control")) {
        status.running = status.startedByUs = true;
        status.message = "MPS daemon left running in " + status.pipeDir
                         + " by an earlier run is reused; packed trials share the GPU.";
        return daemon;
    }
    if (daemon.m_controlProgram.empty()) {
        status.message = std::string("MPS not started: ") + kControlProgram + " is not on PATH"
                         + kCost;
        return daemon;
    }
    std::error_code error;
    fs::create_directories(status.pipeDir, error);
    if (!error)
        fs::create_directories(status.logDir, error);
    if (error) {
        status.message = "MPS not started: " + status.pipeDir + " and " + status.logDir
                         + " cannot be created (" + error.message() + ")" + kCost;
        return daemon;
    }
    fs::remove(status.pipeDir + "/control", error); // stale: checked above

    LaunchSpec spec;
    spec.argv = {daemon.m_controlProgram, "-d"};
    spec.env = daemon.childEnvironmentFor(status.pipeDir, status.logDir);
    spec.stderrPath = (fs::path(status.logDir) / "control-start.stderr").string();
    const std::string failure = runControl(spec, 10.0);
    if (!failure.empty()) {
        status.message = std::string("MPS not started: ") + kControlProgram + " -d failed ("
                         + failure + ")" + kCost;
        return daemon;
    }
    // The daemon creates its control socket shortly after the launcher returns.
    for (int attempt = 0; attempt < 100 && !controlIsLive(status.pipeDir + "/control"); ++attempt)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    status.running = status.startedByUs = true; // even if slow, it is ours to stop
    if (!controlIsLive(status.pipeDir + "/control")) {
        daemon.stop();
        status.startedByUs = false;
        status.message = std::string("MPS not started: ") + kControlProgram
                         + " -d returned but no daemon listens on " + status.pipeDir
                         + "/control (see " + status.logDir + "/control.log)" + kCost;
        return daemon;
    }
    status.message = "MPS started (pipe directory " + status.pipeDir + ", log directory "
                     + status.logDir + "); packed trials share the GPU.";
    return daemon;
}

std::map<std::string, std::string> MpsDaemon::childEnvironmentFor(const std::string &pipeDir,
                                                                  const std::string &logDir)
{
    return {{"CUDA_MPS_PIPE_DIRECTORY", pipeDir}, {"CUDA_MPS_LOG_DIRECTORY", logDir}};
}

std::map<std::string, std::string> MpsDaemon::childEnvironment() const
{
    if (!m_status.running)
        return {};
    return childEnvironmentFor(m_status.pipeDir, m_status.logDir);
}

void MpsDaemon::stop()
{
    if (!m_status.running || !m_status.startedByUs || m_controlProgram.empty())
        return;
    const std::string quitFile = (fs::path(m_status.logDir) / "quit-command").string();
    std::ofstream(quitFile) << "quit\n";
    LaunchSpec spec;
    spec.argv = {m_controlProgram};
    spec.env = childEnvironmentFor(m_status.pipeDir, m_status.logDir);
    spec.stdinPath = quitFile;
    spec.stderrPath = (fs::path(m_status.logDir) / "control-quit.stderr").string();
    runControl(spec, 10.0); // nothing to tell anyone at shutdown; its stderr file keeps the why
    m_status.running = false;
}

MpsDaemon::~MpsDaemon()
{
    stop();
}

MpsDaemon::MpsDaemon(MpsDaemon &&other) noexcept
    : m_status(std::move(other.m_status))
    , m_controlProgram(std::move(other.m_controlProgram))
{
    other.m_status.running = false; // the moved-from one stops nothing
}

MpsDaemon &MpsDaemon::operator=(MpsDaemon &&other) noexcept
{
    if (this != &other) {
        stop();
        m_status = std::move(other.m_status);
        m_controlProgram = std::move(other.m_controlProgram);
        other.m_status.running = false;
    }
    return *this;
}

} // namespace seplab::exec
