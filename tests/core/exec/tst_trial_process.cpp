// Trials as child processes: protocol and name=value lines come back exactly; stopping follows
// W&B's agent (SIGTERM lets a trial finish cleanly, SIGKILL for one that ignores it) and reaches
// the whole process group; exit codes and signals; the environment, working directory and stdin;
// stderr goes to its file and its tail is exact; a missing program is one sentence; nothing is
// ever left a zombie.

#include "core/exec/trial_process.h"
#include "process_test_support.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sys/wait.h>

using namespace seplab::exec;
using namespace seplab::exec::testing;
using Lines = std::vector<std::string>;

namespace {

std::unique_ptr<TrialProcess> shell(const std::string &script, LaunchSpec spec = {})
{
    spec.argv = {"/bin/sh", "-c", script};
    return TrialProcess::start(spec);
}

std::string startError(const LaunchSpec &spec)
{
    try {
        TrialProcess::start(spec);
    } catch (const std::runtime_error &error) {
        return error.what();
    }
    return "no error";
}

std::string readFile(const std::string &path)
{
    std::ifstream in(path);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

} // namespace

class tst_TrialProcess : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readsProtocolAndMetricLinesExactly();
    void readsALineLongerThanOneRead();
    void reportsExitCodes();
    void reportsTheKillingSignal();
    void terminateLetsATrapFinishCleanly();
    void killStopsAChildThatIgnoresSigterm();
    void killReachesGrandchildren();
    void destructorKillsAndReaps();
    void destructorReapsAnExitedChild();
    void environmentReachesTheChild();
    void workingDirectoryAndStdin();
    void stderrGoesToItsFileAndTailIsExact();
    void stderrTailSpansManyBlocks();
    void missingProgramIsOneSentence();
};

void tst_TrialProcess::readsProtocolAndMetricLinesExactly()
{
    auto process = shell("echo '{\"event\": \"start\"}'; echo 'epoch=3 val_sisdr=-1.25';"
                         "printf 'last line without newline'");
    QVERIFY(process->pid() > 0);
    QVERIFY(process->stdoutFd() >= 0);
    const Lines lines = readToEnd(*process);
    QCOMPARE(lines,
             (Lines{"{\"event\": \"start\"}",
                    "epoch=3 val_sisdr=-1.25",
                    "last line without newline"}));
    QVERIFY(process->exited());
    QCOMPARE(process->stdoutFd(), -1);
    QCOMPARE(process->exitCode(), 0);
    QCOMPARE(process->termSignal(), 0);
    QVERIFY(process->readLines().empty()); // nothing more after EOF
}

void tst_TrialProcess::readsALineLongerThanOneRead()
{
    // 200000 bytes: several 64 KiB reads make up one line.
    auto process = shell("head -c 200000 /dev/zero | tr '\\000' x; echo; echo next");
    const Lines lines = readToEnd(*process);
    QCOMPARE(lines.size(), std::size_t(2));
    QCOMPARE(lines[0], std::string(200000, 'x'));
    QCOMPARE(lines[1], std::string("next"));
}

void tst_TrialProcess::reportsExitCodes()
{
    auto failed = shell("exit 3");
    QVERIFY(waitForExit(*failed));
    QCOMPARE(failed->exitCode(), 3);
    QCOMPARE(failed->termSignal(), 0);
    QVERIFY(failed->poll()); // stays exited

    LaunchSpec spec;
    spec.argv = {"true"}; // found on PATH
    auto ok = TrialProcess::start(spec);
    QVERIFY(waitForExit(*ok));
    QCOMPARE(ok->exitCode(), 0);
}

void tst_TrialProcess::reportsTheKillingSignal()
{
    auto process = shell("kill -USR1 $$; sleep 5");
    QVERIFY(waitForExit(*process));
    QCOMPARE(process->exitCode(), -1);
    QCOMPARE(process->termSignal(), int(SIGUSR1));
}

void tst_TrialProcess::terminateLetsATrapFinishCleanly()
{
    // SIGTERM goes to the group, so the foreground sleep dies too and the trap runs at once.
    auto process = shell("trap 'echo stopped; exit 0' TERM; echo ready;"
                         "while :; do sleep 0.05; done");
    QCOMPARE(readUntil(*process, "ready"), Lines{"ready"});
    QVERIFY(process->secondsSinceTerminate() < 0);
    process->terminate();
    QVERIFY(process->secondsSinceTerminate() >= 0);
    QCOMPARE(readToEnd(*process), Lines{"stopped"});
    QCOMPARE(process->exitCode(), 0);
    QCOMPARE(process->termSignal(), 0);
}

void tst_TrialProcess::killStopsAChildThatIgnoresSigterm()
{
    auto process = shell("trap '' TERM; echo ready; while :; do sleep 0.05; done");
    QCOMPARE(readUntil(*process, "ready"), Lines{"ready"});
    process->terminate();
    // It ignores SIGTERM: after a while it still runs (never exits, so no timing can flake).
    waitForActivity({process.get()}, 300);
    QVERIFY(!process->poll());
    process->kill();
    QVERIFY(waitForExit(*process));
    QCOMPARE(process->termSignal(), int(SIGKILL));
    QCOMPARE(process->exitCode(), -1);
}

void tst_TrialProcess::killReachesGrandchildren()
{
    auto process = shell("sleep 1000 & echo $!; wait");
    const Lines first = readAtLeast(*process, 1);
    QCOMPARE(first.size(), std::size_t(1));
    const int grandchild = std::stoi(first[0]);
    QVERIFY(isRunning(grandchild));
    process->kill();
    QVERIFY(waitForExit(*process));
    const bool stopped = stopsRunning(grandchild);
    if (!stopped)
        ::kill(grandchild, SIGKILL); // it would hold the test's stdout open
    QVERIFY(stopped);
    // The grandchild held stdout too; with it gone, the pipe reaches EOF.
    QVERIFY(readToEnd(*process).empty());
    QCOMPARE(process->stdoutFd(), -1);
}

void tst_TrialProcess::destructorKillsAndReaps()
{
    LaunchSpec spec;
    spec.argv = {"sleep", "1000"};
    auto process = TrialProcess::start(spec);
    const int pid = process->pid();
    QVERIFY(isRunning(pid));
    process.reset();
    int status = 0;
    QCOMPARE(::waitpid(pid, &status, WNOHANG), -1);
    QCOMPARE(errno, ECHILD); // already reaped: no zombie left
}

void tst_TrialProcess::destructorReapsAnExitedChild()
{
    auto process = shell("echo done");
    QCOMPARE(readUntil(*process, "done"), Lines{"done"});
    const int pid = process->pid();
    process.reset(); // never polled: the destructor reaps it
    int status = 0;
    QCOMPARE(::waitpid(pid, &status, WNOHANG), -1);
    QCOMPARE(errno, ECHILD);
}

void tst_TrialProcess::environmentReachesTheChild()
{
    ::setenv("SEPLAB_EXEC_INHERITED", "kept", 1);
    ::setenv("SEPLAB_EXEC_OVERRIDDEN", "old", 1);
    LaunchSpec spec;
    spec.env = {{"SEPLAB_EXEC_OVERRIDDEN", "new"},
                {"SEPLAB_EXEC_ADDED", "a b=c"},
                {"CUDA_VISIBLE_DEVICES", "1"}};
    auto process = shell("echo \"$SEPLAB_EXEC_INHERITED|$SEPLAB_EXEC_OVERRIDDEN|"
                         "$SEPLAB_EXEC_ADDED|$CUDA_VISIBLE_DEVICES\";"
                         "env | grep -c '^SEPLAB_EXEC_OVERRIDDEN='",
                         spec);
    QCOMPARE(readToEnd(*process), (Lines{"kept|new|a b=c|1", "1"}));
    ::unsetenv("SEPLAB_EXEC_INHERITED");
    ::unsetenv("SEPLAB_EXEC_OVERRIDDEN");
}

void tst_TrialProcess::workingDirectoryAndStdin()
{
    QTemporaryDir dir;
    const std::string root = std::filesystem::canonical(dir.path().toStdString()).string();
    const std::string input = root + "/input.txt";
    std::ofstream(input) << "quit\n";

    LaunchSpec spec;
    spec.workingDir = root;
    auto process = shell("pwd; cat; echo end", spec); // stdin /dev/null: cat prints nothing
    QCOMPARE(readToEnd(*process), (Lines{root, "end"}));

    spec.stdinPath = input;
    process = shell("cat", spec);
    QCOMPARE(readToEnd(*process), Lines{"quit"});

    spec.workingDir = root + "/missing";
    spec.argv = {"/bin/sh", "-c", "pwd"};
    QCOMPARE(startError(spec),
             "program '/bin/sh' could not be started: its working directory '" + root
                 + "/missing' does not exist.");
}

void tst_TrialProcess::stderrGoesToItsFileAndTailIsExact()
{
    QTemporaryDir dir;
    LaunchSpec spec;
    spec.stderrPath = dir.path().toStdString() + "/run/logs/stderr.log"; // parents created
    const std::string script = "echo out; i=1; while [ $i -le 40 ]; do echo \"err $i\" >&2;"
                               "i=$((i+1)); done";
    auto process = shell(script, spec);
    QCOMPARE(readToEnd(*process), Lines{"out"}); // stdout is not in the file
    QCOMPARE(process->stderrTail(3), std::string("err 38\nerr 39\nerr 40\n"));
    QCOMPARE(process->stderrTail(1), std::string("err 40\n"));
    const std::string thirty = process->stderrTail();
    QCOMPARE(std::count(thirty.begin(), thirty.end(), '\n'), 30L);
    QVERIFY(thirty.rfind("err 11\nerr 12\n", 0) == 0); // lines 11..40
    std::string all;
    for (int i = 1; i <= 40; ++i)
        all += "err " + std::to_string(i) + "\n";
    QCOMPARE(process->stderrTail(100), all);
    QCOMPARE(readFile(spec.stderrPath), all);

    // A second run appends (a resumed trial keeps the first attempt's log).
    auto again = shell("echo 'second run' >&2; printf 'no newline' >&2", spec);
    readToEnd(*again);
    QCOMPARE(again->stderrTail(3), std::string("err 40\nsecond run\nno newline\n"));
    QCOMPARE(readFile(spec.stderrPath), all + "second run\nno newline");
    QCOMPARE(again->stderrTail(0), std::string());

    auto noFile = shell("true");
    QCOMPARE(noFile->stderrTail(), std::string());
}

void tst_TrialProcess::stderrTailSpansManyBlocks()
{
    // 3000 numbered lines (13893 bytes) are read back over several 8 KiB blocks.
    QTemporaryDir dir;
    LaunchSpec spec;
    spec.stderrPath = dir.path().toStdString() + "/stderr.log";
    auto process = shell("seq 1 3000 >&2", spec);
    readToEnd(*process);
    std::string expected;
    for (int i = 501; i <= 3000; ++i)
        expected += std::to_string(i) + "\n";
    QCOMPARE(process->stderrTail(2500), expected);
    QCOMPARE(process->stderrTail(2), std::string("2999\n3000\n"));
}

void tst_TrialProcess::missingProgramIsOneSentence()
{
    LaunchSpec spec;
    spec.argv = {"seplab-no-such-program", "--lr=0.1"};
    QCOMPARE(startError(spec),
             std::string("program 'seplab-no-such-program' could not be "
                         "started: No such file or directory."));
    spec.argv = {"/nonexistent/train.sh"};
    QCOMPARE(startError(spec),
             std::string("program '/nonexistent/train.sh' could not be "
                         "started: No such file or directory."));

    QTemporaryDir dir;
    const std::string notExecutable = dir.path().toStdString() + "/train.sh";
    std::ofstream(notExecutable) << "#!/bin/sh\necho hi\n";
    spec.argv = {notExecutable};
    QCOMPARE(startError(spec),
             "program '" + notExecutable + "' could not be started: Permission denied.");

    spec.argv = {};
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, TrialProcess::start(spec));
}

QTEST_GUILESS_MAIN(tst_TrialProcess)
#include "tst_trial_process.moc"
