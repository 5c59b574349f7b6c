// NVIDIA MPS for packed GPU trials (issue 5): without nvidia-cuda-mps-control the user is told
// what that costs; a fake control program (fake_nvidia_cuda_mps_control.sh) shows the daemon
// started with the pipe and log directories under the store's folder and stopped with "quit"
// exactly once; a daemon already serving CUDA_MPS_PIPE_DIRECTORY is used and left alone; a dead
// daemon's socket is ignored.

#include "core/exec/mps_daemon.h"
#include "process_test_support.h"

#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

using namespace seplab::exec;
using namespace seplab::exec::testing;
namespace fs = std::filesystem;

namespace {

const std::string kNotOnPath = "MPS not started: nvidia-cuda-mps-control is not on PATH; packed "
                               "trials will time-slice the GPU (about 2x slower in total, "
                               "measured on an H200).";

std::string readFile(const std::string &path)
{
    std::ifstream in(path);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// A UNIX socket at `path`, listening or (bound, then closed) dead like a crashed daemon's.
int makeSocket(const std::string &path, bool listening)
{
    fs::create_directories(fs::path(path).parent_path());
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, path.c_str(), sizeof address.sun_path - 1);
    const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    if (::bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0)
        return -1;
    if (listening && ::listen(fd, 4) != 0)
        return -1;
    if (!listening) {
        ::close(fd);
        return 0;
    }
    return fd;
}

} // namespace

class tst_MpsDaemon : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void missingControlProgramIsExplained();
    void startsAndQuitsItsOwnDaemonOnce();
    void longStorePathsGetAShortPipeDirectory();
    void usesARunningDaemonAndLeavesItAlone();
    void ignoresADeadDaemonsSocket();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::string m_root;
    std::string m_savedPath;
};

void tst_MpsDaemon::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_root = m_dir->path().toStdString();
    m_savedPath = std::getenv("PATH") ? std::getenv("PATH") : "";
    // No system daemon: the system pipe directory is an empty folder of ours.
    fs::create_directories(m_root + "/system");
    ::setenv("CUDA_MPS_PIPE_DIRECTORY", (m_root + "/system").c_str(), 1);
    ::unsetenv("CUDA_MPS_LOG_DIRECTORY");
    fs::create_directories(m_root + "/bin");
    ::setenv("PATH", (m_root + "/bin").c_str(), 1); // nothing on it
}

void tst_MpsDaemon::cleanup()
{
    ::setenv("PATH", m_savedPath.c_str(), 1);
    ::unsetenv("CUDA_MPS_PIPE_DIRECTORY");
    ::unsetenv("CUDA_MPS_LOG_DIRECTORY");
    m_dir.reset();
}

void tst_MpsDaemon::missingControlProgramIsExplained()
{
    const MpsDaemon daemon = MpsDaemon::start(m_root + "/store");
    QVERIFY(!daemon.status().running);
    QVERIFY(!daemon.status().startedByUs);
    QCOMPARE(daemon.status().message, kNotOnPath);
    QVERIFY(daemon.childEnvironment().empty());
}

void tst_MpsDaemon::startsAndQuitsItsOwnDaemonOnce()
{
    const std::string fake = m_root + "/bin/nvidia-cuda-mps-control";
    fs::copy_file(SEPLAB_FAKE_MPS_CONTROL, fake);
    fs::permissions(fake, fs::perms::owner_all);
    ::setenv("PATH", (m_root + "/bin:" + m_savedPath).c_str(), 1); // the fake needs sh, mkfifo

    const std::string pipe = m_root + "/store/mps-pipe";
    const std::string log = m_root + "/store/mps-log";
    int daemonPid = -1;
    {
        MpsDaemon first = MpsDaemon::start(m_root + "/store");
        QVERIFY2(first.status().running, first.status().message.c_str());
        QVERIFY(first.status().startedByUs);
        QCOMPARE(first.status().pipeDir, pipe);
        QCOMPARE(first.status().logDir, log);
        QCOMPARE(first.status().message,
                 "MPS started (pipe directory " + pipe + ", log directory " + log
                     + "); packed trials share the GPU.");
        QCOMPARE(first.childEnvironment(),
                 (std::map<std::string, std::string>{{"CUDA_MPS_PIPE_DIRECTORY", pipe},
                                                     {"CUDA_MPS_LOG_DIRECTORY", log}}));
        QCOMPARE(readFile(log + "/started-with"), pipe + "|" + log + "\n");
        daemonPid = std::stoi(readFile(pipe + "/daemon.pid"));
        QVERIFY(isRunning(daemonPid));

        MpsDaemon moved = std::move(first); // the moved-from one must not stop it
        QVERIFY(moved.status().running);
    }
    QCOMPARE(readFile(log + "/commands"), std::string("quit\n"));
    QVERIFY(!fs::exists(pipe + "/control"));
    const bool stopped = stopsRunning(daemonPid);
    if (!stopped)
        ::kill(daemonPid, SIGKILL);
    QVERIFY(stopped);
}

void tst_MpsDaemon::longStorePathsGetAShortPipeDirectory()
{
    const std::string fake = m_root + "/bin/nvidia-cuda-mps-control";
    fs::copy_file(SEPLAB_FAKE_MPS_CONTROL, fake);
    fs::permissions(fake, fs::perms::owner_all);
    ::setenv("PATH", (m_root + "/bin:" + m_savedPath).c_str(), 1);

    // <store>/mps-pipe/control_privileged would pass the 107 characters a socket path may have.
    const std::string store = m_root + "/" + std::string(90, 'd');
    const std::string prefix = "/tmp/seplab-mps-" + std::to_string(::getuid()) + "-";
    std::string pipe;
    {
        const MpsDaemon daemon = MpsDaemon::start(store);
        QVERIFY2(daemon.status().running, daemon.status().message.c_str());
        pipe = daemon.status().pipeDir;
        QCOMPARE(pipe.substr(0, prefix.size()), prefix);
        QCOMPARE(pipe.size(), prefix.size() + 16); // 16 hex digits of the folder's hash
        QCOMPARE(daemon.status().logDir, store + "/mps-log");
        QCOMPARE(readFile(store + "/mps-log/started-with"), pipe + "|" + store + "/mps-log\n");
    }
    QCOMPARE(readFile(store + "/mps-log/commands"), std::string("quit\n"));
    std::error_code ignored;
    fs::remove_all(pipe, ignored);
}

void tst_MpsDaemon::usesARunningDaemonAndLeavesItAlone()
{
    const std::string system = m_root + "/system";
    const int listener = makeSocket(system + "/control", true);
    QVERIFY(listener >= 0);
    ::setenv("CUDA_MPS_LOG_DIRECTORY", (m_root + "/system-log").c_str(), 1);
    {
        const MpsDaemon daemon = MpsDaemon::start(m_root + "/store");
        QVERIFY(daemon.status().running);
        QVERIFY(!daemon.status().startedByUs);
        QCOMPARE(daemon.status().message,
                 "MPS is already running (pipe directory " + system
                     + "); packed trials share the GPU through it.");
        QCOMPARE(daemon.childEnvironment(),
                 (std::map<std::string, std::string>{{"CUDA_MPS_PIPE_DIRECTORY", system},
                                                     {"CUDA_MPS_LOG_DIRECTORY",
                                                      m_root + "/system-log"}}));
    }
    QVERIFY(!fs::exists(m_root + "/store")); // nothing created, nothing to stop
    ::close(listener);
}

void tst_MpsDaemon::ignoresADeadDaemonsSocket()
{
    // A controller killed with its daemon leaves the socket file behind; nobody listens on it.
    QCOMPARE(makeSocket(m_root + "/store/mps-pipe/control", false), 0);
    QCOMPARE(makeSocket(m_root + "/system/control", false), 0);
    const MpsDaemon daemon = MpsDaemon::start(m_root + "/store");
    QVERIFY(!daemon.status().running);
    QCOMPARE(daemon.status().message, kNotOnPath);
}

QTEST_GUILESS_MAIN(tst_MpsDaemon)
#include "tst_mps_daemon.moc"
