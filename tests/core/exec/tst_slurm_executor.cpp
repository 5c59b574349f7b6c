// The Slurm executor's logic against stand-ins for sbatch, squeue, scontrol and scancel
// (tests/core/exec/fake_slurm: jobs are files the test writes), for what a real one-node
// cluster cannot produce on demand: a time-out, an OOM kill, a requeue, a submit limit. The
// real cluster runs in tests/core/sweep/tst_sweep_slurm.

#include "core/exec/file_tail.h"
#include "core/exec/slurm_executor.h"
#include "core/exec/slurm_job_script.h"

#include <QtTest>

#include <cstdlib>
#include <fstream>
#include <sstream>

using namespace seplab::exec;

namespace {

std::string readFile(const std::string &path)
{
    std::ifstream in(path);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

void writeFile(const std::string &path, const std::string &text)
{
    std::ofstream(path, std::ios::trunc) << text;
}

} // namespace

class tst_SlurmExecutor : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void submitsTheScriptAndFollowsTheJob();
    void timeoutFailsWithSlurmsReason();
    void outOfMemoryAndNodeFailureToo();
    void failedJobKeepsItsExitCode();
    void terminateSignalsARunningJobAndCancelsAQueuedOne();
    void requeueIsNoticed();
    void endedJobIsReadUntilItsEndLine();
    void submitLimitBacksOffAndAMistakeFails();
    void squeueFailureKeepsTheLastState();
    void recoverFollowsEveryJobSlurmStillKnows();
    void placesFollowMaxJobsInQueue();
    void fileTailReturnsWholeLinesAndRestartsOnAShorterFile();

private:
    std::unique_ptr<SlurmExecutor> executor(SlurmOptions options = {});
    TrialStart trainTrial(const std::string &name);
    void setState(const std::string &id, const std::string &state);
    std::string runDir(const std::string &name) const;

    std::unique_ptr<QTemporaryDir> m_dir;
    std::string m_state;
};

void tst_SlurmExecutor::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_state = m_dir->filePath("slurm").toStdString();
    QDir().mkpath(QString::fromStdString(m_state + "/jobs"));
    qputenv("FAKE_SLURM_DIR", QByteArray::fromStdString(m_state));
}

std::unique_ptr<SlurmExecutor> tst_SlurmExecutor::executor(SlurmOptions options)
{
    options.pollInterval = 0.001; // every status() asks the fake squeue
    auto result = std::make_unique<SlurmExecutor>(options,
                                                  std::make_shared<SlurmClient>(SEPLAB_FAKE_SLURM));
    result->setSettleSeconds(0.0);
    return result;
}

std::string tst_SlurmExecutor::runDir(const std::string &name) const
{
    return m_dir->filePath(QString::fromStdString("runs/" + name)).toStdString();
}

TrialStart tst_SlurmExecutor::trainTrial(const std::string &name)
{
    TrialStart trial;
    trial.name = name;
    trial.runDir = runDir(name);
    trial.fresh.argv = {"/bin/seplab-cli", "train", "--config", "/c.yaml", "--run-dir", trial.runDir};
    LaunchSpec resume;
    resume.argv = {"/bin/seplab-cli", "train", "--resume", trial.runDir};
    trial.resume = resume;
    return trial;
}

void tst_SlurmExecutor::setState(const std::string &id, const std::string &state)
{
    writeFile(m_state + "/jobs/" + id + ".state", state + "\n");
}

void tst_SlurmExecutor::submitsTheScriptAndFollowsTheJob()
{
    SlurmOptions options;
    options.partition = "debug";
    auto slurm = executor(options);
    const std::optional<Slot> slot = slurm->acquire();
    QVERIFY(slot.has_value());
    QCOMPARE(slot->device, std::string("cpu"));
    QCOMPARE(slurm->deviceLabel(*slot), std::string("slurm:debug"));
    auto job = slurm->start(trainTrial("p-s1-001"), *slot);
    QCOMPARE(job->jobId(), std::string("1"));
    QCOMPARE(job->describe(), std::string("Slurm job 1"));
    QCOMPARE(job->pid(), 0);
    // What sbatch got is the job script in the run folder, as written.
    const std::string script = jobScriptPath(runDir("p-s1-001"));
    QCOMPARE(readFile(m_state + "/sbatch.log"), "--parsable " + script + "\n");
    QCOMPARE(readFile(m_state + "/jobs/1.sh"), readFile(script));
    QVERIFY(readFile(script).find("#SBATCH --partition=debug\n") != std::string::npos);

    QVERIFY(!job->poll());
    QCOMPARE(job->takeNotice(), std::string("Slurm job 1 is queued (Priority)"));
    QCOMPARE(job->takeNotice(), std::string());
    setState("1", "RUNNING|None|localhost");
    QVERIFY(!job->poll());
    QCOMPARE(job->takeNotice(), std::string("Slurm job 1 is running on localhost"));

    writeFile(eventsPath(runDir("p-s1-001")),
              "{\"event\":\"start\"}\n{\"event\":\"epoch\",\"epoch\":1,\"val_sisdr\":2.5}\n{\"ev");
    QCOMPARE(job->readLines(),
             (std::vector<std::string>{"{\"event\":\"start\"}",
                                       "{\"event\":\"epoch\",\"epoch\":1,\"val_sisdr\":2.5}"}));
    QVERIFY(!job->outputDrained());
    std::ofstream(eventsPath(runDir("p-s1-001")), std::ios::app)
        << "ent\":\"end\",\"status\":\"finished\"}\n";
    QCOMPARE(job->readLines(),
             (std::vector<std::string>{"{\"event\":\"end\",\"status\":\"finished\"}"}));
    setState("1", "COMPLETED|None|localhost");
    QVERIFY(job->poll());
    QCOMPARE(job->exitCode(), 0);
    QCOMPARE(job->termSignal(), 0);
    QCOMPARE(job->endReason(), std::string());
    QVERIFY(job->readLines().empty());
    QVERIFY(job->outputDrained());
}

void tst_SlurmExecutor::timeoutFailsWithSlurmsReason()
{
    auto slurm = executor();
    auto job = slurm->start(trainTrial("t"), *slurm->acquire());
    setState("1", "TIMEOUT|TimeLimit|localhost");
    writeFile(m_state + "/jobs/1.exit", "0:15\n");
    QVERIFY(job->poll());
    QCOMPARE(job->endReason(), std::string("Slurm job 1 ended TIMEOUT (TimeLimit)"));
    QCOMPARE(job->exitCode(), 1);
}

void tst_SlurmExecutor::outOfMemoryAndNodeFailureToo()
{
    auto slurm = executor();
    auto first = slurm->start(trainTrial("a"), *slurm->acquire());
    auto second = slurm->start(trainTrial("b"), *slurm->acquire());
    setState("1", "OUT_OF_MEMORY|OutOfMemory|localhost");
    writeFile(m_state + "/jobs/1.exit", "0:125\n");
    setState("2", "NODE_FAIL|None|localhost");
    QVERIFY(first->poll());
    QVERIFY(second->poll());
    QCOMPARE(first->endReason(), std::string("Slurm job 1 ended OUT_OF_MEMORY (OutOfMemory)"));
    QCOMPARE(first->exitCode(), 1);
    QCOMPARE(second->endReason(), std::string("Slurm job 2 ended NODE_FAIL"));
}

void tst_SlurmExecutor::failedJobKeepsItsExitCode()
{
    auto slurm = executor();
    auto job = slurm->start(trainTrial("f"), *slurm->acquire());
    setState("1", "FAILED|NonZeroExitCode|localhost");
    writeFile(m_state + "/jobs/1.exit", "3:0\n");
    QVERIFY(job->poll());
    QCOMPARE(job->exitCode(), 3);
    QCOMPARE(job->termSignal(), 0);
    QCOMPARE(job->endReason(), std::string()); // the trial's own failure, not Slurm's doing
}

void tst_SlurmExecutor::terminateSignalsARunningJobAndCancelsAQueuedOne()
{
    auto slurm = executor();
    auto running = slurm->start(trainTrial("r"), *slurm->acquire());
    auto queued = slurm->start(trainTrial("q"), *slurm->acquire());
    setState("1", "RUNNING|None|localhost");
    QVERIFY(!running->poll());
    QVERIFY(!queued->poll());
    QVERIFY(running->secondsSinceTerminate() < 0);
    running->terminate();
    queued->terminate();
    QVERIFY(running->secondsSinceTerminate() >= 0);
    QCOMPARE(readFile(m_state + "/scancel.log"), std::string("--batch --signal=TERM 1\n2\n"));
    // The queued one is gone at once, cancelled by us: stopped, not a failure.
    QVERIFY(queued->poll());
    QCOMPARE(queued->termSignal(), 15);
    QCOMPARE(queued->endReason(), std::string());
    running->kill();
    QCOMPARE(readFile(m_state + "/scancel.log"), std::string("--batch --signal=TERM 1\n2\n1\n"));
    QVERIFY(running->poll());
}

void tst_SlurmExecutor::requeueIsNoticed()
{
    auto slurm = executor();
    auto job = slurm->start(trainTrial("p"), *slurm->acquire());
    setState("1", "RUNNING|None|localhost");
    QVERIFY(!job->poll());
    job->takeNotice();
    // As measured on slurm-local.sh's cluster after `scontrol requeue`: COMPLETING, then
    // PENDING with reason BeginTime, the same job id.
    setState("1", "COMPLETING|None|localhost");
    QVERIFY(!job->poll());
    QCOMPARE(job->takeNotice(), std::string());
    setState("1", "PENDING|BeginTime|");
    QVERIFY(!job->poll());
    QCOMPARE(job->takeNotice(),
             std::string("Slurm job 1 was requeued (BeginTime); it continues from its last.pt"));
}

void tst_SlurmExecutor::endedJobIsReadUntilItsEndLine()
{
    auto slurm = executor();
    slurm->setSettleSeconds(30.0);
    auto job = slurm->start(trainTrial("e"), *slurm->acquire());
    setState("1", "COMPLETED|None|localhost");
    // Slurm says it ended, but the end line has not reached this machine yet.
    QVERIFY(!job->poll());
    writeFile(eventsPath(runDir("e")), "{\"event\":\"end\",\"status\":\"finished\"}\n");
    QCOMPARE(job->readLines().size(), std::size_t(1));
    QVERIFY(job->poll());
}

void tst_SlurmExecutor::submitLimitBacksOffAndAMistakeFails()
{
    auto slurm = executor();
    writeFile(m_state + "/refuse",
              "sbatch: error: QOSMaxSubmitJobPerUserLimit\n"
              "sbatch: error: Batch job submission failed: Job violates accounting/QOS policy "
              "(job submit limit, user's size and/or time limits)\n");
    const Slot slot = *slurm->acquire();
    try {
        slurm->start(trainTrial("l"), slot);
        QFAIL("a refused submission started");
    } catch (const StartDeferred &deferred) {
        QVERIFY2(std::string(deferred.what()).find("QOSMaxSubmitJobPerUserLimit; trying again in 5 s")
                     != std::string::npos,
                 deferred.what());
    }
    slurm->release(slot.index);
    QVERIFY(slurm->backoffRemaining() > 0.0 && slurm->backoffRemaining() <= 5.0);
    QVERIFY(!slurm->acquire().has_value()); // no submission while backing off

    auto other = executor();
    writeFile(m_state + "/refuse",
              "sbatch: error: invalid partition specified: nope\n"
              "sbatch: error: Batch job submission failed: Invalid partition name specified\n");
    writeFile(m_state + "/refusals_left", "1\n");
    try {
        other->start(trainTrial("m"), *other->acquire());
        QFAIL("a refused submission started");
    } catch (const StartDeferred &) {
        QFAIL("a mistake in the job was taken for a limit");
    } catch (const std::runtime_error &error) {
        QCOMPARE(std::string(error.what()),
                 "sbatch refused " + jobScriptPath(runDir("m"))
                     + ": sbatch: error: invalid partition specified: nope");
    }
    QCOMPARE(other->backoffRemaining(), 0.0);
}

void tst_SlurmExecutor::squeueFailureKeepsTheLastState()
{
    auto slurm = executor();
    auto job = slurm->start(trainTrial("s"), *slurm->acquire());
    setState("1", "RUNNING|None|localhost");
    QVERIFY(!job->poll());
    writeFile(m_state + "/squeue_fails", "");
    setState("1", "COMPLETED|None|localhost"); // unseen while squeue fails
    QVERIFY(!job->poll());
    QVERIFY(!job->poll());
    QFile::remove(QString::fromStdString(m_state + "/squeue_fails"));
    QVERIFY(job->poll());
}

void tst_SlurmExecutor::recoverFollowsEveryJobSlurmStillKnows()
{
    auto slurm = executor();
    setState("7", "RUNNING|None|localhost");
    setState("8", "COMPLETED|None|localhost");
    LeftoverTrial leftover;
    leftover.runDir = runDir("x");
    leftover.jobId = "7";
    auto job = slurm->recover(leftover, 30.0);
    QVERIFY(job != nullptr);
    QCOMPARE(job->jobId(), std::string("7"));
    QVERIFY(!job->poll());
    // One that ended while no controller watched is followed too: it reports how it ended.
    leftover.jobId = "8";
    auto ended = slurm->recover(leftover, 30.0);
    QVERIFY(ended != nullptr);
    QVERIFY(ended->poll());
    QCOMPARE(ended->exitCode(), 0);
    leftover.jobId = "9"; // unknown to Slurm
    QVERIFY(slurm->recover(leftover, 30.0) == nullptr);
    leftover.jobId.clear(); // never submitted
    QVERIFY(slurm->recover(leftover, 30.0) == nullptr);
    QVERIFY(!QFile::exists(QString::fromStdString(m_state + "/scancel.log"))); // nothing stopped
}

void tst_SlurmExecutor::placesFollowMaxJobsInQueue()
{
    SlurmOptions options;
    options.maxJobsInQueue = 2;
    options.gres = "gpu:1";
    auto slurm = executor(options);
    QCOMPARE(slurm->capacity(), std::size_t(2));
    const auto first = slurm->acquire();
    const auto second = slurm->acquire();
    QVERIFY(first && second);
    QCOMPARE(first->device, std::string("cuda"));
    QCOMPARE(first->cudaVisibleDevices, std::string()); // Slurm sets it from the gres
    QVERIFY(!slurm->acquire().has_value());
    slurm->release(first->index);
    QVERIFY(slurm->acquire().has_value());
}

void tst_SlurmExecutor::fileTailReturnsWholeLinesAndRestartsOnAShorterFile()
{
    const std::string path = m_dir->filePath("tail.txt").toStdString();
    FileTail tail(path);
    QVERIFY(tail.readLines().empty()); // no file yet
    writeFile(path, "one\ntw");
    QCOMPARE(tail.readLines(), (std::vector<std::string>{"one"}));
    std::ofstream(path, std::ios::app) << "o\nthree";
    QCOMPARE(tail.readLines(), (std::vector<std::string>{"two"}));
    QCOMPARE(tail.readLines(true), (std::vector<std::string>{"three"}));
    writeFile(path, "new\n");
    QCOMPARE(tail.readLines(), (std::vector<std::string>{"new"}));
}

QTEST_GUILESS_MAIN(tst_SlurmExecutor)
#include "tst_slurm_executor.moc"
