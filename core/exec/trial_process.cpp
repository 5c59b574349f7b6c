#include "core/exec/trial_process.h"

#include "core/exec/process_environment.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <filesystem>
#include <poll.h>
#include <spawn.h>
#include <stdexcept>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <system_error>
#include <unistd.h>
#include <utility>

namespace seplab::exec {

namespace {

std::string errorText(int error)
{
    return std::system_category().message(error);
}

// A descriptor closed when it leaves scope, so that every early throw in start() cleans up.
struct Descriptor
{
    int fd = -1;
    Descriptor() = default;
    explicit Descriptor(int value)
        : fd(value)
    {}
    Descriptor(const Descriptor &) = delete;
    Descriptor &operator=(const Descriptor &) = delete;
    ~Descriptor()
    {
        if (fd >= 0)
            ::close(fd);
    }
    int release() { return std::exchange(fd, -1); }
};

int openStderrFile(const std::string &path, const std::string &program)
{
    const std::filesystem::path parent = std::filesystem::path(path).parent_path();
    std::error_code ignored; // open() below reports the failure that matters
    if (!parent.empty())
        std::filesystem::create_directories(parent, ignored);
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0)
        throw std::runtime_error("program '" + program + "' could not be started: its stderr file '"
                                 + path + "' cannot be opened (" + errorText(errno) + ").");
    return fd;
}

// A Linux pidfd: readable once the process exits, so waitForActivity() can sleep in poll(2)
// instead of waking up to ask. -1 where the kernel or a sandbox lacks it.
int openExitFd(int pid)
{
#ifdef SYS_pidfd_open
    const long fd = ::syscall(SYS_pidfd_open, pid, 0);
    return fd >= 0 ? int(fd) : -1;
#else
    (void) pid;
    return -1;
#endif
}

// posix_spawn wants char* arrays that outlive the call.
std::vector<char *> pointers(std::vector<std::string> &texts)
{
    std::vector<char *> out;
    for (std::string &text : texts)
        out.push_back(text.data());
    out.push_back(nullptr);
    return out;
}

} // namespace

std::unique_ptr<TrialProcess> TrialProcess::start(const LaunchSpec &spec)
{
    if (spec.argv.empty() || spec.argv[0].empty())
        throw std::invalid_argument("launch argv is empty; it needs at least the program to run.");
    const std::string &program = spec.argv[0];
    const auto cannotStart = [&](const std::string &why) {
        return std::runtime_error("program '" + program + "' could not be started: " + why + ".");
    };

    std::vector<std::string> environment = mergedEnvironment(spec.env);
    const std::string executable = findExecutable(program,
                                                  environmentValue(environment,
                                                                   "PATH",
                                                                   "/usr/local/bin:/usr/bin:/bin"));
    if (executable.empty())
        throw cannotStart(errorText(ENOENT));
    if (!spec.workingDir.empty() && !std::filesystem::is_directory(spec.workingDir))
        throw cannotStart("its working directory '" + spec.workingDir + "' does not exist");

    const std::string stdinPath = spec.stdinPath.empty() ? "/dev/null" : spec.stdinPath;
    Descriptor input(::open(stdinPath.c_str(), O_RDONLY | O_CLOEXEC));
    if (input.fd < 0)
        throw cannotStart("its stdin '" + stdinPath + "' cannot be opened (" + errorText(errno)
                          + ")");
    Descriptor errors(spec.stderrPath.empty() ? -1 : openStderrFile(spec.stderrPath, program));
    int pipeEnds[2];
    if (::pipe2(pipeEnds, O_CLOEXEC) != 0)
        throw cannotStart("no pipe for its stdout (" + errorText(errno) + ")");
    Descriptor readEnd(pipeEnds[0]);
    Descriptor writeEnd(pipeEnds[1]);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    // dup2 clears close-on-exec on the copies, so the child keeps exactly fds 0, 1 and 2.
    posix_spawn_file_actions_adddup2(&actions, input.fd, 0);
    posix_spawn_file_actions_adddup2(&actions, writeEnd.fd, 1);
    if (errors.fd >= 0)
        posix_spawn_file_actions_adddup2(&actions, errors.fd, 2);
    if (!spec.workingDir.empty())
        posix_spawn_file_actions_addchdir_np(&actions, spec.workingDir.c_str());

    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    posix_spawnattr_setflags(&attributes,
                             POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    posix_spawnattr_setpgroup(&attributes, 0); // its own group, led by itself
    sigset_t signals;
    sigemptyset(&signals);
    posix_spawnattr_setsigmask(&attributes, &signals);
    // Ignored signals survive exec: a controller ignoring SIGPIPE or SIGINT must not pass that on.
    sigfillset(&signals);
    posix_spawnattr_setsigdefault(&attributes, &signals);

    std::vector<std::string> arguments = spec.argv;
    std::vector<char *> argv = pointers(arguments);
    std::vector<char *> envp = pointers(environment);
    pid_t pid = -1;
    const int error
        = ::posix_spawn(&pid, executable.c_str(), &actions, &attributes, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    if (error != 0)
        throw cannotStart(errorText(error));

    std::unique_ptr<TrialProcess> process(new TrialProcess());
    process->m_pid = pid;
    process->m_stderrPath = spec.stderrPath;
    process->m_exitFd = openExitFd(pid);
    ::fcntl(readEnd.fd, F_SETFL, ::fcntl(readEnd.fd, F_GETFL) | O_NONBLOCK);
    process->m_stdoutFd = readEnd.release();
    return process; // writeEnd closes here, so EOF comes when the child's group closes stdout
}

TrialProcess::~TrialProcess()
{
    if (m_pid > 0 && !m_exited) {
        signalGroup(SIGKILL);
        int status = 0;
        while (::waitpid(m_pid, &status, 0) < 0 && errno == EINTR) {
        }
    }
    if (m_stdoutFd >= 0)
        ::close(m_stdoutFd);
    if (m_exitFd >= 0)
        ::close(m_exitFd);
}

std::vector<std::string> TrialProcess::readLines()
{
    std::vector<std::string> lines;
    if (m_stdoutFd < 0)
        return lines;
    // Bounded per call so that a child printing without pause cannot starve the others.
    constexpr std::size_t kMaxBytesPerCall = 4 << 20;
    char buffer[65536];
    std::size_t total = 0;
    bool endOfFile = false;
    while (total < kMaxBytesPerCall) {
        const ssize_t count = ::read(m_stdoutFd, buffer, sizeof buffer);
        if (count > 0) {
            m_pending.append(buffer, std::size_t(count));
            total += std::size_t(count);
        } else if (count == 0) {
            endOfFile = true;
            break;
        } else if (errno != EINTR) {
            endOfFile = errno != EAGAIN && errno != EWOULDBLOCK; // a read error ends the stream
            break;
        }
    }
    std::size_t begin = 0;
    for (std::size_t end; (end = m_pending.find('\n', begin)) != std::string::npos; begin = end + 1)
        lines.push_back(m_pending.substr(begin, end - begin));
    m_pending.erase(0, begin);
    if (endOfFile) {
        if (!m_pending.empty())
            lines.push_back(std::move(m_pending));
        m_pending.clear();
        ::close(m_stdoutFd);
        m_stdoutFd = -1;
    }
    return lines;
}

void TrialProcess::signalGroup(int signal)
{
    // The whole group, even after the leader exited: its workers may still hold the GPU.
    if (m_pid > 0)
        ::killpg(m_pid, signal);
}

void TrialProcess::terminate()
{
    if (!m_terminated) {
        m_terminated = true;
        m_terminatedAt = std::chrono::steady_clock::now();
    }
    signalGroup(SIGTERM);
}

void TrialProcess::kill()
{
    signalGroup(SIGKILL);
}

void TrialProcess::recordStatus(int status)
{
    m_exited = true;
    if (WIFEXITED(status)) {
        m_exitCode = WEXITSTATUS(status);
        m_termSignal = 0;
    } else if (WIFSIGNALED(status)) {
        m_exitCode = -1;
        m_termSignal = WTERMSIG(status);
    }
}

bool TrialProcess::poll()
{
    if (m_exited)
        return true;
    int status = 0;
    pid_t result;
    while ((result = ::waitpid(m_pid, &status, WNOHANG)) < 0 && errno == EINTR) {
    }
    if (result == m_pid)
        recordStatus(status);
    else if (result < 0 && errno == ECHILD)
        m_exited = true; // reaped elsewhere (SIGCHLD ignored): gone, its status unknown
    return m_exited;
}

double TrialProcess::secondsSinceTerminate() const
{
    if (!m_terminated)
        return -1.0;
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - m_terminatedAt).count();
}

std::string TrialProcess::stderrTail(std::size_t maxLines) const
{
    if (m_stderrPath.empty() || maxLines == 0)
        return {};
    Descriptor file(::open(m_stderrPath.c_str(), O_RDONLY | O_CLOEXEC));
    if (file.fd < 0)
        return {};
    off_t position = ::lseek(file.fd, 0, SEEK_END);
    // Read backwards until maxLines complete lines (plus the partial one before them) are in.
    std::string data;
    const auto lineBreaks = [&] {
        std::size_t count = std::size_t(std::count(data.begin(), data.end(), '\n'));
        return !data.empty() && data.back() == '\n' ? count - 1 : count;
    };
    while (position > 0 && lineBreaks() < maxLines) {
        const off_t chunk = std::min<off_t>(position, 8192);
        position -= chunk;
        std::string block(std::size_t(chunk), '\0');
        const ssize_t count = ::pread(file.fd, block.data(), block.size(), position);
        if (count != ssize_t(chunk))
            return {};
        data.insert(0, block);
    }
    std::vector<std::string> lines;
    std::size_t begin = 0;
    while (begin < data.size()) {
        std::size_t end = data.find('\n', begin);
        if (end == std::string::npos)
            end = data.size();
        lines.push_back(data.substr(begin, end - begin));
        begin = end + 1;
    }
    std::string tail;
    const std::size_t first = lines.size() > maxLines ? lines.size() - maxLines : 0;
    for (std::size_t i = first; i < lines.size(); ++i)
        tail += lines[i] + "\n";
    return tail;
}

void waitForActivity(const std::vector<TrialProcess *> &processes, int timeoutMs)
{
    std::vector<pollfd> descriptors;
    bool exitUnwatchable = false;
    for (const TrialProcess *process : processes) {
        if (!process)
            continue;
        if (process->stdoutFd() >= 0)
            descriptors.push_back({process->stdoutFd(), POLLIN, 0});
        if (!process->exited()) {
            if (process->exitFd() >= 0)
                descriptors.push_back({process->exitFd(), POLLIN, 0});
            else
                exitUnwatchable = true;
        }
    }
    if (exitUnwatchable && (timeoutMs < 0 || timeoutMs > 100))
        timeoutMs = 100;
    // EINTR (a signal such as the controller's SIGINT) just returns early, as activity.
    ::poll(descriptors.data(), nfds_t(descriptors.size()), timeoutMs);
}

} // namespace seplab::exec
