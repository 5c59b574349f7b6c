// What SepLab reads from and writes for Slurm, without a cluster: the parsers on the exact text
// Slurm 22.05 prints (captured from the local cluster of scripts/slurm-local.sh), the sbatch
// options a plan's executor keys stand for, and the job script byte for byte.

#include "core/exec/slurm_job_script.h"
#include "core/exec/slurm_options.h"
#include "core/exec/slurm_status.h"

#include <QtTest>

using namespace seplab::exec;

class tst_SlurmText : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sbatchJobIdWithAndWithoutCluster();
    void sbatchOutputWithoutIdThrows();
    void refusalsThatPassWithTime();
    void squeueLines();
    void squeueLineWithWrongFieldCountNamesIt();
    void finalAndPendingStates();
    void scontrolFailedJobHasItsExitCode();
    void scontrolCancelledStateLosesWhoCancelled();
    void scontrolEmptyOrForeignTextIsNothing();
    void sinfoNodes();
    void gpuJobsAreRecognisedByTheirGres();
    void sbatchOptionsInOrderExtraLast();
    void shellQuotingSurvivesQuotes();
    void jobScriptForTrainResumesFromLastCheckpoint();
    void jobScriptForExternalProgramSendsStdoutToEvents();
    void lineBreakInAValueIsRefused();
};

void tst_SlurmText::sbatchJobIdWithAndWithoutCluster()
{
    QCOMPARE(parseSbatchJobId("42\n"), std::string("42"));
    QCOMPARE(parseSbatchJobId("1337;cluster-a\n"), std::string("1337"));
}

void tst_SlurmText::sbatchOutputWithoutIdThrows()
{
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, parseSbatchJobId(""));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, parseSbatchJobId("Submitted batch job\n"));
}

void tst_SlurmText::refusalsThatPassWithTime()
{
    QVERIFY(isTransientRefusal("sbatch: error: QOSMaxSubmitJobPerUserLimit\n"
                               "sbatch: error: Batch job submission failed: Job violates "
                               "accounting/QOS policy (job submit limit, user's size and/or time "
                               "limits)\n"));
    QVERIFY(isTransientRefusal("sbatch: error: Batch job submission failed: Unable to contact "
                               "slurm controller (connect failure)\n"));
    QVERIFY(!isTransientRefusal("sbatch: error: invalid partition specified: nope\n"
                                "sbatch: error: Batch job submission failed: Invalid partition "
                                "name specified\n"));
    QVERIFY(!isTransientRefusal("sbatch: error: Batch job submission failed: Requested node "
                                "configuration is not available\n"));
}

void tst_SlurmText::squeueLines()
{
    QCOMPARE(squeueFormatArguments(),
             (std::vector<std::string>{"--noheader", "--format=%i|%T|%r|%N"}));
    const auto jobs = parseSqueue("12|PENDING|Resources|\n"
                                  "13|RUNNING|None|localhost\n"
                                  "\n"
                                  "14|COMPLETED|None|localhost\n");
    QCOMPARE(jobs.size(), std::size_t(3));
    QCOMPARE(jobs.at("12").state, std::string("PENDING"));
    QCOMPARE(jobs.at("12").reason, std::string("Resources"));
    QCOMPARE(jobs.at("12").nodes, std::string());
    QCOMPARE(jobs.at("13").state, std::string("RUNNING"));
    QCOMPARE(jobs.at("13").nodes, std::string("localhost"));
    QCOMPARE(jobs.at("14").state, std::string("COMPLETED"));
    QVERIFY(!jobs.at("14").exitKnown);
}

void tst_SlurmText::squeueLineWithWrongFieldCountNamesIt()
{
    try {
        parseSqueue("12|PENDING|Resources\n");
        QFAIL("a 3-field line was accepted");
    } catch (const std::invalid_argument &error) {
        QCOMPARE(std::string(error.what()),
                 std::string("squeue line '12|PENDING|Resources' does not have the 4 fields "
                             "id|state|reason|nodes."));
    }
}

void tst_SlurmText::finalAndPendingStates()
{
    for (const char *state :
         {"COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "NODE_FAIL", "OUT_OF_MEMORY", "BOOT_FAIL"})
        QVERIFY2(isFinalJobState(state), state);
    for (const char *state : {"PENDING", "RUNNING", "REQUEUED", "COMPLETING", "SUSPENDED"})
        QVERIFY2(!isFinalJobState(state), state);
    QVERIFY(isFinalJobState("CANCELLED by 0"));
    QVERIFY(isPendingJobState("PENDING"));
    QVERIFY(isPendingJobState("REQUEUED"));
    QVERIFY(!isPendingJobState("RUNNING"));
}

void tst_SlurmText::scontrolFailedJobHasItsExitCode()
{
    const auto status = parseScontrolJob(
        "JobId=7 JobName=seplab-quad-a-001 UserId=root(0) GroupId=root(0) MCS_label=N/A "
        "Priority=1 Nice=0 Account=(null) QOS=normal JobState=FAILED Reason=NonZeroExitCode "
        "Dependency=(null) Requeue=1 Restarts=0 BatchFlag=1 Reboot=0 ExitCode=3:0 "
        "RunTime=00:00:01 TimeLimit=UNLIMITED NodeList=localhost BatchHost=localhost\n");
    QVERIFY(status.has_value());
    QCOMPARE(status->jobId, std::string("7"));
    QCOMPARE(status->state, std::string("FAILED"));
    QCOMPARE(status->reason, std::string("NonZeroExitCode"));
    QCOMPARE(status->nodes, std::string("localhost"));
    QVERIFY(status->exitKnown);
    QCOMPARE(status->exitCode, 3);
    QCOMPARE(status->exitSignal, 0);
}

void tst_SlurmText::scontrolCancelledStateLosesWhoCancelled()
{
    const auto status = parseScontrolJob("JobId=9 JobName=x JobState=CANCELLED Reason=None "
                                         "ExitCode=0:15 NodeList=(null)\n");
    QVERIFY(status.has_value());
    QCOMPARE(status->state, std::string("CANCELLED"));
    QCOMPARE(status->exitSignal, 15);
    QCOMPARE(status->nodes, std::string());
}

void tst_SlurmText::scontrolEmptyOrForeignTextIsNothing()
{
    QVERIFY(!parseScontrolJob("").has_value());
    QVERIFY(!parseScontrolJob("No jobs in the system\n").has_value());
}

void tst_SlurmText::sinfoNodes()
{
    QCOMPARE(sinfoNodeArguments(),
             (std::vector<std::string>{"--noheader", "--Node", "--format=%N|%P|%T|%c|%m|%G|%e"}));
    const auto nodes = parseSinfoNodes("localhost|debug*|idle|2|7900|(null)|7012\n"
                                       "gpu01|gpu|mixed|64|515000|gpu:a100:4|N/A\n");
    QCOMPARE(nodes.size(), std::size_t(2));
    QCOMPARE(nodes[0].name, std::string("localhost"));
    QCOMPARE(nodes[0].partition, std::string("debug"));
    QVERIFY(nodes[0].defaultPartition);
    QCOMPARE(nodes[0].state, std::string("idle"));
    QCOMPARE(nodes[0].cpus, 2);
    QCOMPARE(nodes[0].memoryMiB, std::int64_t(7900));
    QCOMPARE(nodes[0].gres, std::string());
    QCOMPARE(nodes[0].freeMemoryMiB, std::int64_t(7012));
    QVERIFY(!nodes[1].defaultPartition);
    QCOMPARE(nodes[1].gres, std::string("gpu:a100:4"));
    QCOMPARE(nodes[1].freeMemoryMiB, std::int64_t(-1));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, parseSinfoNodes("localhost|debug*|idle\n"));
}

void tst_SlurmText::gpuJobsAreRecognisedByTheirGres()
{
    SlurmOptions options;
    QVERIFY(!options.usesGpu());
    options.gres = "gpu:1";
    QVERIFY(options.usesGpu());
    options.gres = "shard:2,gpu:a100:1";
    QVERIFY(options.usesGpu());
    options.gres = "gpumem:4G";
    QVERIFY(!options.usesGpu());
}

void tst_SlurmText::sbatchOptionsInOrderExtraLast()
{
    SlurmOptions options;
    QCOMPARE(options.sbatchOptions(), (std::vector<std::string>{"--requeue"}));
    options.partition = "gpu";
    options.gres = "gpu:1";
    options.time = "04:00:00";
    options.mem = "16G";
    options.cpusPerTask = 4;
    options.account = "lab";
    options.qos = "normal";
    options.requeue = false;
    options.extra = {"--constraint=a100", "--exclude=node7"};
    QCOMPARE(options.sbatchOptions(),
             (std::vector<std::string>{"--partition=gpu",
                                       "--account=lab",
                                       "--qos=normal",
                                       "--gres=gpu:1",
                                       "--time=04:00:00",
                                       "--mem=16G",
                                       "--cpus-per-task=4",
                                       "--no-requeue",
                                       "--constraint=a100",
                                       "--exclude=node7"}));
}

void tst_SlurmText::shellQuotingSurvivesQuotes()
{
    QCOMPARE(shellQuoted("plain"), std::string("'plain'"));
    QCOMPARE(shellQuoted("it's $HOME `x`"), std::string("'it'\\''s $HOME `x`'"));
    QCOMPARE(shellQuoted(""), std::string("''"));
}

void tst_SlurmText::jobScriptForTrainResumesFromLastCheckpoint()
{
    SlurmOptions options;
    options.partition = "gpu";
    options.gres = "gpu:1";
    options.extra = {"--comment=two words"};
    SlurmJobRequest request;
    request.jobName = "seplab-p-s1-001";
    request.runDir = "/shared/runs/p/s1/s1-001";
    request.fresh.argv = {"/opt/seplab/bin/seplab-cli",
                          "train",
                          "--config",
                          "/shared/c.yaml",
                          "--set",
                          "optimizer.lr=0.001",
                          "--device",
                          "cuda"};
    request.fresh.env = {{"SEPLAB_RUN_DIR", "/shared/runs/p/s1/s1-001"},
                         {"CUDA_VISIBLE_DEVICES", "3"}};
    LaunchSpec resume = request.fresh;
    resume.argv = {"/opt/seplab/bin/seplab-cli",
                   "train",
                   "--resume",
                   "/shared/runs/p/s1/s1-001",
                   "--device",
                   "cuda"};
    request.resume = resume;
    const std::string expected
        = "#!/bin/bash\n"
          "# SepLab trial seplab-p-s1-001, submitted by the sweep controller with\n"
          "# `sbatch job.sh`. The controller follows events.jsonl in this folder.\n"
          "#SBATCH --job-name=seplab-p-s1-001\n"
          "#SBATCH --output=/shared/runs/p/s1/s1-001/slurm-%j.out\n"
          "#SBATCH --error=/shared/runs/p/s1/s1-001/stderr.log\n"
          "#SBATCH --open-mode=append\n"
          "#SBATCH --chdir=/shared/runs/p/s1/s1-001\n"
          "#SBATCH --partition=gpu\n"
          "#SBATCH --gres=gpu:1\n"
          "#SBATCH --requeue\n"
          "#SBATCH --comment=\"two words\"\n"
          "\n"
          "export SEPLAB_RUN_DIR='/shared/runs/p/s1/s1-001'\n"
          "echo \"seplab: Slurm job ${SLURM_JOB_ID:-?} on $(hostname), attempt "
          "$((${SLURM_RESTART_COUNT:-0} + 1))\" >&2\n"
          "if [ -f '/shared/runs/p/s1/s1-001/checkpoints/last.pt' ]; then\n"
          "    exec '/opt/seplab/bin/seplab-cli' 'train' '--resume' '/shared/runs/p/s1/s1-001' "
          "'--device' 'cuda'\n"
          "fi\n"
          "exec '/opt/seplab/bin/seplab-cli' 'train' '--config' '/shared/c.yaml' '--set' "
          "'optimizer.lr=0.001' '--device' 'cuda'\n";
    QCOMPARE(slurmJobScript(options, request), expected);
    QCOMPARE(jobScriptPath(request.runDir), std::string("/shared/runs/p/s1/s1-001/job.sh"));
}

void tst_SlurmText::jobScriptForExternalProgramSendsStdoutToEvents()
{
    SlurmJobRequest request;
    request.jobName = "seplab-q-a-002";
    request.runDir = "/r/a-002";
    request.fresh.argv = {"/usr/bin/env", "python3", "/p/obj.py", "--x=0.9", "--name=it's"};
    request.fresh.workingDir = "/r/a-002";
    request.stdoutIsEventStream = true;
    const std::string script = slurmJobScript(SlurmOptions(), request);
    QVERIFY(script.find("#SBATCH --output=/r/a-002/events.jsonl\n") != std::string::npos);
    QVERIFY(script.find("checkpoints/last.pt") == std::string::npos);
    const std::string last = "exec '/usr/bin/env' 'python3' '/p/obj.py' '--x=0.9' "
                             "'--name=it'\\''s'\n";
    QCOMPARE(script.substr(script.size() - last.size()), last);
}

void tst_SlurmText::lineBreakInAValueIsRefused()
{
    SlurmJobRequest request;
    request.jobName = "j";
    request.runDir = "/r";
    request.fresh.argv = {"prog", "--note=one\ntwo"};
    try {
        slurmJobScript(SlurmOptions(), request);
        QFAIL("a line break was written into the script");
    } catch (const std::invalid_argument &error) {
        QCOMPARE(std::string(error.what()),
                 std::string("argument '--note=one\ntwo' holds a line break, which a job script "
                             "cannot carry."));
    }
}

QTEST_APPLESS_MAIN(tst_SlurmText)
#include "tst_slurm_text.moc"
