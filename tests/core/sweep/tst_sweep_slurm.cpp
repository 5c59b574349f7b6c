// Sweeps through the Slurm executor against a real cluster: the one-node slurmctld + slurmd of
// scripts/slurm-local.sh (scripts/test.sh starts it). A 2-stage plan runs with hyperband
// stopping one trial; a controller killed with SIGKILL mid-stage is resumed and re-attaches to
// its jobs, none lost and none run twice; and a real `seplab-cli train` trial runs as a job,
// reporting through events.jsonl, and continues from its last.pt when Slurm requeues it.
//
// Without a reachable cluster the test is skipped, unless SEPLAB_REQUIRE_SLURM=1 (CI) makes
// that a failure.

#include "core/exec/command_capture.h"
#include "core/exec/slurm_client.h"
#include "core/exec/slurm_job_script.h"
#include "core/store/experiment_store.h"
#include "core/sweep/sweep_controller.h"

#include <QtTest>

#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

using namespace seplab;

namespace {

const std::string kObjective = std::string(SEPLAB_OBJECTIVES_DIR) + "/quadratic_objective.py";

std::string programKeys()
{
    return "    program: " + kObjective
           + "\n"
             "    command: [\"${env}\", \"python3\", \"${program}\", \"${args}\"]\n";
}

std::string readFile(const std::string &path)
{
    std::ifstream in(path);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

int countOccurrences(const std::string &text, const std::string &needle)
{
    int count = 0;
    for (std::size_t at = text.find(needle); at != std::string::npos;
         at = text.find(needle, at + needle.size()))
        ++count;
    return count;
}

std::string cli()
{
    return qEnvironmentVariable("SEPLAB_CLI").toStdString();
}

store::ExperimentStore openStore(const std::string &path)
{
    return store::ExperimentStore::open(path, store::ExperimentStore::Mode::ReadOnly);
}

// The objective's final score (tests/data/objectives/quadratic_objective.py).
double score(double x, int epoch, std::int64_t seed = 0)
{
    return -std::pow(x - 0.3, 2) + 0.01 * double(seed % 7) - 1.0 / epoch;
}

} // namespace

class tst_SweepSlurm : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void twoStagePlanWithHyperband();
    void killedControllerReattachesToItsJobs();
    void seplabTrainJobResumesAfterARequeue();

private:
    std::string m_partition;
};

void tst_SweepSlurm::initTestCase()
{
    if (!exec::SlurmClient().available()) {
        if (qEnvironmentVariable("SEPLAB_REQUIRE_SLURM") == "1")
            QFAIL("SEPLAB_REQUIRE_SLURM=1 but no Slurm controller answers sinfo; "
                  "scripts/slurm-local.sh start should have started one.");
        QSKIP("no Slurm cluster is up (scripts/slurm-local.sh start starts a local one)");
    }
    QVERIFY2(!cli().empty(), "SEPLAB_CLI is not set");
}

void tst_SweepSlurm::twoStagePlanWithHyperband()
{
    QTemporaryDir dir;
    const std::string storePath = dir.filePath("s.db").toStdString();
    // One trial at a time in stage a: x = 0.3 runs its 8 epochs first, then x = 0.9 is judged
    // at band 2 against it and stopped (scancel --signal=TERM). Stage v re-runs the best
    // configuration with two seeds, both jobs at once.
    const std::string plan = "name: slurmquad\n"
                             "metric: {name: score, goal: maximize}\n"
                             "executor: {type: slurm, max_jobs_in_queue: 2, poll_interval: 0.5,"
                             " kill_delay: 10}\n"
                             "stages:\n"
                             "  - name: a\n"
                             "    method: grid\n"
                             "    parallel: 1\n"
                             "    early_terminate: {type: hyperband, min_iter: 2, eta: 3}\n"
                             + programKeys()
                             + "    parameters:\n"
                               "      x: {values: [0.3, 0.9]}\n"
                               "      epochs: {value: 8}\n"
                               "      delay: {value: 0.8}\n"
                               "  - name: v\n"
                               "    validate: {from: a, top_k: 1, seeds: [1, 2]}\n"
                             + programKeys();
    const std::string planPath = dir.filePath("plan.yaml").toStdString();
    std::ofstream(planPath) << plan;

    const exec::CommandResult run
        = exec::runCommand({cli(), "sweep", "run", planPath, "--store", storePath}, 600.0);
    QVERIFY2(run.exitCode == 0, (run.out + run.err).c_str());

    const store::ExperimentStore store = openStore(storePath);
    const store::PlanRecord record = *store.planByName("slurmquad");
    QCOMPARE(record.state, std::string("finished"));
    const auto stages = store.stages(record.id);
    QCOMPARE(stages.size(), std::size_t(2));

    const auto searched = store.trials(stages[0].id);
    QCOMPARE(searched.size(), std::size_t(2));
    QCOMPARE(store::trialStateName(searched[0].state), std::string("finished"));
    QCOMPARE(searched[0].epochs, 8);
    QCOMPARE(*searched[0].bestValue, score(0.3, 8));
    QCOMPARE(store::trialStateName(searched[1].state), std::string("stopped"));
    QVERIFY2(searched[1].epochs >= 2 && searched[1].epochs < 8, run.err.c_str());

    std::set<std::string> jobIds;
    for (const auto &stage : stages)
        for (const store::TrialRecord &trial : store.trials(stage.id)) {
            QVERIFY2(!trial.jobId.empty(), trial.name.c_str());
            jobIds.insert(trial.jobId);
            QCOMPARE(trial.device, std::string("slurm"));
            QCOMPARE(trial.pid, 0);
            // The job script is in the run folder and ran the objective with the parameters.
            const std::string script = readFile(exec::jobScriptPath(trial.runDir));
            QVERIFY2(script.find("#SBATCH --job-name=seplab-slurmquad-" + trial.name + "\n")
                         != std::string::npos,
                     script.c_str());
            QVERIFY(script.find("'--x=") != std::string::npos);
        }
    QCOMPARE(jobIds.size(), std::size_t(4)); // one job per trial

    int earlyStops = 0;
    for (const store::EventRecord &event : store.events(record.id))
        if (event.kind == "early_stop") {
            ++earlyStops;
            QCOMPARE(event.trialId, searched[1].id);
        }
    QCOMPARE(earlyStops, 1);

    const auto validated = store.trials(stages[1].id);
    QCOMPARE(validated.size(), std::size_t(2));
    std::set<std::int64_t> seeds;
    for (const store::TrialRecord &trial : validated) {
        QCOMPARE(store::trialStateName(trial.state), std::string("finished"));
        QCOMPARE(trial.params["x"].get<double>(), 0.3);
        seeds.insert(trial.seed);
        // The promoted configuration is re-run whole, its `epochs: 8` included; the last line
        // is the trial's best.
        QCOMPARE(trial.params["epochs"].get<int>(), 8);
        QCOMPARE(trial.epochs, 8);
        QCOMPARE(*trial.bestValue, score(0.3, 8, trial.seed));
    }
    QCOMPARE(seeds, (std::set<std::int64_t>{1, 2}));

    // The report reads the store like any other sweep's.
    const std::string reportDir = dir.filePath("report").toStdString();
    const exec::CommandResult report
        = exec::runCommand({cli(), "report", "--store", storePath, "--out", reportDir}, 120.0);
    QVERIFY2(report.exitCode == 0, report.err.c_str());
    const std::string markdown = readFile(reportDir + "/experiment-log.md");
    const auto hasLine = [&](const std::string &line) {
        return markdown.find("\n" + line + "\n") != std::string::npos;
    };
    QVERIFY2(hasLine("| Runs | 2 (1 finished) |"), markdown.c_str());
    QVERIFY2(hasLine("| Stopped | 1 |"), markdown.c_str());
    char stoppedBest[32];
    std::snprintf(stoppedBest, sizeof stoppedBest, "%.2f", *searched[1].bestValue);
    QVERIFY2(markdown.find("\n| 1 | a-001 | finished | -0.12 | 8 | slurm | ") != std::string::npos,
             markdown.c_str());
    QVERIFY2(markdown.find("\n| 2 | a-002 | stopped | " + std::string(stoppedBest) + " | "
                           + std::to_string(searched[1].epochs) + " | slurm | ")
                 != std::string::npos,
             markdown.c_str());
}

void tst_SweepSlurm::killedControllerReattachesToItsJobs()
{
    QTemporaryDir dir;
    const std::string storePath = dir.filePath("s.db").toStdString();
    const std::string plan = "name: reattach\n"
                             "metric: {name: score, goal: maximize}\n"
                             "executor: {type: slurm, max_jobs_in_queue: 2, poll_interval: 0.5}\n"
                             "stages:\n"
                             "  - name: a\n"
                             "    method: grid\n"
                             + programKeys()
                             + "    parameters:\n"
                               "      x: {values: [0.2, 0.4, 0.6]}\n"
                               "      epochs: {value: 10}\n"
                               "      delay: {value: 0.6}\n";
    const std::string planPath = dir.filePath("plan.yaml").toStdString();
    std::ofstream(planPath) << plan;

    exec::LaunchSpec controller;
    controller.argv = {cli(), "sweep", "run", planPath, "--store", storePath};
    controller.stderrPath = dir.filePath("first.log").toStdString();
    std::unique_ptr<exec::TrialProcess> first = exec::TrialProcess::start(controller);

    // Wait until both places hold a running job that has reported an epoch.
    std::map<std::string, std::string> jobsBeforeKill; // trial -> job id
    for (int round = 0; round < 600 && jobsBeforeKill.size() < 2; ++round) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        first->readLines();
        if (!QFile::exists(QString::fromStdString(storePath)))
            continue;
        try {
            const store::ExperimentStore store = openStore(storePath);
            const auto record = store.planByName("reattach");
            if (!record || store.stages(record->id).empty())
                continue;
            jobsBeforeKill.clear();
            for (const auto &trial : store.trials(store.stages(record->id)[0].id))
                if (trial.state == store::TrialState::Running && !trial.jobId.empty()
                    && trial.epochs >= 1)
                    jobsBeforeKill[trial.name] = trial.jobId;
        } catch (const std::exception &) {
            // The controller is still creating the store.
        }
    }
    QVERIFY2(jobsBeforeKill.size() == 2, first->stderrTail(40).c_str());
    first->kill(); // SIGKILL: no chance to stop its jobs
    while (!first->poll())
        exec::waitForActivity({first.get()}, 50);

    const exec::CommandResult resumed
        = exec::runCommand({cli(), "sweep", "resume", "--store", storePath}, 600.0);
    QVERIFY2(resumed.exitCode == 0, (resumed.out + resumed.err).c_str());
    for (const auto &[trial, jobId] : jobsBeforeKill)
        QVERIFY2(resumed.err.find(trial + ": re-attached to Slurm job " + jobId)
                     != std::string::npos,
                 resumed.err.c_str());

    const store::ExperimentStore store = openStore(storePath);
    const store::PlanRecord record = *store.planByName("reattach");
    QCOMPARE(record.state, std::string("finished"));
    const auto trials = store.trials(store.stages(record.id)[0].id);
    QCOMPARE(trials.size(), std::size_t(3));
    std::set<std::string> jobIds;
    for (const store::TrialRecord &trial : trials) {
        QCOMPARE(store::trialStateName(trial.state), std::string("finished"));
        jobIds.insert(trial.jobId);
        if (jobsBeforeKill.count(trial.name))
            QCOMPARE(trial.jobId, jobsBeforeKill[trial.name]); // the same job, followed again
        // Run once: its output holds each epoch once, and the store each step once.
        const std::string events = readFile(exec::eventsPath(trial.runDir));
        QCOMPARE(countOccurrences(events, "epoch=1 "), 1);
        QCOMPARE(countOccurrences(events, "epoch=10 "), 1);
        const auto metrics = store.metrics(trial.id, "score");
        QCOMPARE(metrics.size(), std::size_t(10));
        for (int k = 1; k <= 10; ++k)
            QCOMPARE(metrics[std::size_t(k - 1)].step, k);
        QCOMPARE(*trial.bestValue, score(trial.params["x"].get<double>(), 10));
    }
    QCOMPARE(jobIds.size(), std::size_t(3)); // no trial was submitted twice
    int reattached = 0;
    for (const store::EventRecord &event : store.events(record.id))
        reattached += event.kind == "reattached";
    QCOMPARE(reattached, 2);
}

void tst_SweepSlurm::seplabTrainJobResumesAfterARequeue()
{
    QTemporaryDir dir;
    const std::string corpus = dir.filePath("corpus").toStdString();
    const exec::CommandResult made = exec::runCommand({cli(),
                                                       "make-corpus",
                                                       "--out",
                                                       corpus,
                                                       "--train",
                                                       "8",
                                                       "--val",
                                                       "4",
                                                       "--test",
                                                       "4",
                                                       "--seconds",
                                                       "1"},
                                                      300.0);
    QVERIFY2(made.exitCode == 0, made.err.c_str());
    std::ofstream(dir.filePath("tiny.yaml").toStdString())
        << "data:\n"
           "  batch_size: 4\n"
           "  num_workers: 1\n"
           "model:\n"
           "  model_type: dprnn\n"
           "  dprnn: {N: 16, num_layers: 2, chunk_size: 20, hidden_size: 16}\n"
           "training:\n"
           "  lr: 0.003\n"
           "  use_amp: false\n"
           "  validation_variants: [SER]\n"
           "  seed: 42\n";
    const std::string storePath = dir.filePath("s.db").toStdString();
    const std::string planPath = dir.filePath("plan.yaml").toStdString();
    const int epochs = 6;
    std::ofstream(planPath) << "name: trainjob\n"
                               "metric: {name: best_val_sisdr, goal: maximize}\n"
                               "base_config: tiny.yaml\n"
                               "executor: {type: slurm, cpus_per_task: 1, poll_interval: 0.5}\n"
                               "stages:\n"
                               "  - name: s\n"
                               "    method: grid\n"
                               "    epochs: "
                            << epochs
                            << "\n"
                               "    parameters:\n"
                               "      lr: {values: [0.003]}\n";

    exec::LaunchSpec controller;
    controller.argv = {cli(), "sweep", "run", planPath, "--store", storePath, "--data", corpus};
    controller.stderrPath = dir.filePath("controller.log").toStdString();
    std::unique_ptr<exec::TrialProcess> sweep = exec::TrialProcess::start(controller);

    // Once the trial has finished an epoch (and written last.pt), Slurm requeues its job, as
    // after a preemption: the same job runs again and continues from last.pt.
    std::string jobId;
    for (int round = 0; round < 1200 && jobId.empty() && !sweep->poll(); ++round) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        sweep->readLines();
        try {
            const store::ExperimentStore store = openStore(storePath);
            const auto record = store.planByName("trainjob");
            if (!record || store.stages(record->id).empty())
                continue;
            const auto trials = store.trials(store.stages(record->id)[0].id);
            if (!trials.empty() && trials[0].epochs >= 1 && trials[0].epochs < epochs)
                jobId = trials[0].jobId;
        } catch (const std::exception &) {
            // The store is still being created.
        }
    }
    QVERIFY2(!jobId.empty(), sweep->stderrTail(40).c_str());
    const exec::CommandResult requeue = exec::runCommand({"scontrol", "requeue", jobId}, 60.0);
    QVERIFY2(requeue.ok(), requeue.err.c_str());
    for (int round = 0; round < 6000 && !sweep->poll(); ++round) {
        sweep->readLines();
        exec::waitForActivity({sweep.get()}, 100);
    }
    QVERIFY2(sweep->exited() && sweep->exitCode() == 0, sweep->stderrTail(40).c_str());
    const std::string log = readFile(controller.stderrPath);
    QVERIFY2(log.find("Slurm job " + jobId + " was requeued") != std::string::npos, log.c_str());

    const store::ExperimentStore store = openStore(storePath);
    const store::PlanRecord record = *store.planByName("trainjob");
    const auto trials = store.trials(store.stages(record.id)[0].id);
    QCOMPARE(trials.size(), std::size_t(1));
    const store::TrialRecord &trial = trials[0];
    QCOMPARE(store::trialStateName(trial.state), std::string("finished"));
    QCOMPARE(trial.jobId, jobId); // the same job, run twice by Slurm, not resubmitted
    QCOMPARE(trial.epochs, epochs);
    // Two attempts in events.jsonl: the second resumed from the first one's last.pt, so
    // together they trained each epoch once and the store holds each epoch once.
    const std::string events = readFile(exec::eventsPath(trial.runDir));
    QCOMPARE(countOccurrences(events, "\"event\":\"start\""), 2);
    QCOMPARE(countOccurrences(events, "\"resumed_from_epoch\":null"), 1);
    QCOMPARE(countOccurrences(events, "\"status\":\"stopped\""), 1);
    QCOMPARE(countOccurrences(events, "\"status\":\"finished\""), 1);
    QCOMPARE(countOccurrences(events, "\"event\":\"epoch\""), epochs);
    const auto values = store.metrics(trial.id, "best_val_sisdr");
    QCOMPARE(values.size(), std::size_t(epochs));
    for (int k = 1; k <= epochs; ++k)
        QCOMPARE(values[std::size_t(k - 1)].step, k);
    QCOMPARE(*trial.bestValue, values.back().value);
    // seplab-cli train's own stdout went to slurm-<job id>.out; the job used one CPU thread.
    QVERIFY(QFile::exists(QString::fromStdString(trial.runDir + "/slurm-" + trial.jobId + ".out")));
    QVERIFY(readFile(exec::jobScriptPath(trial.runDir)).find("'--threads' '1'")
            != std::string::npos);
}

QTEST_GUILESS_MAIN(tst_SweepSlurm)
#include "tst_sweep_slurm.moc"
