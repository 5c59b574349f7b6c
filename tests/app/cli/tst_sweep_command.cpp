// `seplab-cli sweep` and `seplab-cli report`: the users' W&B sweep file imported as a plan and
// run unchanged with real `seplab-cli train` trials, a plan stage exported back to W&B, the
// store after a controller killed with SIGKILL and resumed (exact epoch counts, no metric step
// twice), the experiment log written from that store, and the error policy.

#include "core/store/experiment_store.h"
#include "core/sweep/plan.h"
#include "core/sweep/search_space.h"
#include "support/cli_runner.h"
#include "support/tiny_corpus.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>
#include <unistd.h>

using namespace seplab;
using nlohmann::json;

namespace {

const std::string kExamples = SEPLAB_EXAMPLES_DIR;
const std::string kStage1 = kExamples + "/wandb-sweeps/dprnn-stage1-2k.yaml";
const std::string kPlans = SEPLAB_PLANS_DIR;

std::string readFile(const std::string &path)
{
    std::ifstream in(path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

int countEvents(const std::string &eventsPath, const std::string &kind)
{
    std::ifstream file(eventsPath);
    int count = 0;
    for (std::string line; std::getline(file, line);)
        if (!line.empty() && json::parse(line).at("event") == kind)
            ++count;
    return count;
}

} // namespace

class tst_SweepCommand : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void badCommandLines_data();
    void badCommandLines();
    void importWandbKeepsEveryParameter();
    void exportWandbRoundTripsAPlanStage();
    void statusOfAnEmptyStore();
    void statusColumnsFitLongNames();
    void usersWandbSweepRunsAndKilledControllerResumes();
    void oneStageTemplateAtTinyScaleEndToEnd();
    void reviewStopThenResumeWithAnEditedPlan();

private:
    std::string path(const std::string &name) const
    {
        return m_dir.filePath(QString::fromStdString(name)).toStdString();
    }
    QStringList sweepArgs(const std::string &store) const;

    QTemporaryDir m_dir;
    QString m_cli;
};

void tst_SweepCommand::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_cli = qEnvironmentVariable("SEPLAB_CLI");
    QVERIFY2(QFileInfo::exists(m_cli), "SEPLAB_CLI must name the seplab-cli binary");
    test::makeTinyCorpus(path("corpus"));
    std::ofstream(path("tiny.yaml")) << test::tinyTrainingConfig();
}

void tst_SweepCommand::badCommandLines_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("error");
    const QString stage1 = QString::fromStdString(kStage1);
    const QString plan = QString::fromStdString(kPlans + "/dprnn_onestage_8k.yaml");
    QTest::newRow("no sub-command")
        << QStringList{"sweep"} << 2
        << "sweep: name a sub-command (run, resume, status, stop, import-wandb or export-wandb).";
    QTest::newRow("unknown sub-command")
        << QStringList{"sweep", "launch"} << 2
        << "sweep: unknown sub-command 'launch' (known: run, resume, status, stop, "
           "import-wandb, export-wandb).";
    QTest::newRow("bad gpu list")
        << QStringList{"sweep", "run", stage1, "--store", "x.db", "--gpus", "0,x"} << 2
        << "sweep run: --gpus: GPU list '0,x': 'x' is not a GPU index (expected a list like 0,1).";
    QTest::newRow("zero slots") << QStringList{"sweep",
                                               "run",
                                               stage1,
                                               "--store",
                                               "x.db",
                                               "--cpu-slots",
                                               "0"}
                                << 2 << "sweep run: --cpu-slots must be 1 or more.";
    QTest::newRow("export a validate stage")
        << QStringList{"sweep", "export-wandb", plan, "--stage", "validation-16k"} << 2
        << "sweep export-wandb: stage 'validation-16k' is a validate stage; W&B sweeps can "
           "only express search stages.";
    QTest::newRow("export an unknown stage")
        << QStringList{"sweep", "export-wandb", plan, "--stage", "stage9"} << 2
        << "sweep export-wandb: plan 'dprnn-onestage-8k' has no stage 'stage9'.";
    QTest::newRow("missing plan file")
        << QStringList{"sweep", "run", "/nonexistent/plan.yaml", "--store", "x.db"} << 1
        << "seplab-cli sweep: /nonexistent/plan.yaml: cannot open the file.";
    QTest::newRow("missing edited plan")
        << QStringList{"sweep", "resume", "--store", "x.db", "--plan-file", "/nonexistent/e.yaml"}
        << 1 << "seplab-cli sweep: /nonexistent/e.yaml: cannot open the file.";
    QTest::newRow("missing store")
        << QStringList{"sweep", "status", "--store", "/nonexistent/s.db"} << 1 << "";
}

void tst_SweepCommand::badCommandLines()
{
    QFETCH(QStringList, args);
    QFETCH(int, status);
    QFETCH(QString, error);
    std::vector<std::string> argv;
    for (const QString &arg : args)
        argv.push_back(arg.toStdString());
    const test::CliResult result = test::runInProcess(argv);
    QCOMPARE(result.status, status);
    QVERIFY(result.out.empty());
    QCOMPARE(std::count(result.err.begin(), result.err.end(), '\n'), std::ptrdiff_t(1));
    if (!error.isEmpty())
        QCOMPARE(QString::fromStdString(result.err).trimmed(), error);
    else
        QVERIFY2(result.err.find("/nonexistent/s.db") != std::string::npos, result.err.c_str());
}

void tst_SweepCommand::importWandbKeepsEveryParameter()
{
    const test::CliResult result = test::runInProcess(
        {"sweep", "import-wandb", kStage1, "--out", path("imported.yaml")});
    QCOMPARE(result.status, 0);
    QCOMPARE(result.err, "wrote " + path("imported.yaml") + "\n");

    const sweep::SweepConfig original = sweep::loadSweepConfig(kStage1);
    const sweep::Plan plan = sweep::loadPlan(path("imported.yaml"));
    QCOMPARE(plan.name, std::string("3-dprnn-subset-proxy-sweep"));
    QCOMPARE(plan.metric.name, std::string("best_val_sisdr"));
    QVERIFY(plan.metric.maximize());
    QCOMPARE(plan.stages.size(), std::size_t(1));
    const sweep::StagePlan &stage = plan.stages.front();
    QCOMPARE(stage.kindName(), std::string("search"));
    QCOMPARE(stage.sweep.method, std::string("bayes"));
    QCOMPARE(stage.trials.value_or(0), std::int64_t(40)); // the file's `count: 40`
    // Every parameter, distribution and bound as the user wrote it.
    QCOMPARE(stage.sweep.parameters.toJson().dump(), original.parameters.toJson().dump());
    QVERIFY(stage.sweep.earlyTerminate.has_value());
    QCOMPARE(stage.sweep.earlyTerminate->minIter.value_or(0), 10);
    QCOMPARE(stage.sweep.earlyTerminate->s.value_or(0), 2);
    QCOMPARE(original.earlyTerminate->minIter.value_or(0), 10);
}

void tst_SweepCommand::exportWandbRoundTripsAPlanStage()
{
    const std::string planPath = kPlans + "/dprnn_onestage_8k.yaml";
    const test::CliResult result = test::runInProcess(
        {"sweep", "export-wandb", planPath, "--stage", "search-8k"});
    QCOMPARE(result.status, 0);
    const sweep::SweepConfig exported = sweep::parseSweepConfig(result.out, "exported.yaml");
    const sweep::Plan plan = sweep::loadPlan(planPath);
    const sweep::StagePlan &stage = plan.stages.front();
    QCOMPARE(exported.method, std::string("bayes"));
    QCOMPARE(exported.metric->name, std::string("best_val_sisdr"));
    QCOMPARE(exported.runCap.value_or(0), std::int64_t(130));
    QCOMPARE(exported.earlyTerminate->minIter.value_or(0), 10);
    QCOMPARE(exported.earlyTerminate->eta, 3.0);
    // The stage's five searched parameters, plus the fixed values a W&B agent needs to train
    // the same way (epochs, training samples, the stage's `set`).
    const json space = exported.parameters.toJson();
    const json searched = stage.sweep.parameters.toJson();
    for (const auto &[name, spec] : searched.items())
        QCOMPARE(space.at(name).dump(), spec.dump());
    QCOMPARE(space.at("num_epochs").at("value").get<int>(), 80);
    QCOMPARE(space.at("train_max_samples").at("value").get<int>(), 8000);
    QCOMPARE(space.at("early_stopping_patience").at("value").get<int>(), 15);
}

void tst_SweepCommand::statusOfAnEmptyStore()
{
    // A store that `sweep run` created but that holds no plan yet.
    store::ExperimentStore::open(path("empty.db"), store::ExperimentStore::Mode::ReadWrite);
    const test::CliResult result = test::runInProcess(
        {"sweep", "status", "--store", path("empty.db")});
    QCOMPARE(result.status, 0);
    QCOMPARE(result.out, path("empty.db") + ": no plans yet.\n");
    const test::CliResult asJson = test::runInProcess(
        {"sweep", "status", "--store", path("empty.db"), "--json"});
    QCOMPARE(asJson.status, 0);
    QCOMPARE(json::parse(asJson.out).at("plans").size(), std::size_t(0));
}

void tst_SweepCommand::statusColumnsFitLongNames()
{
    // Validation trials are named like "validation-16k-001", wider than the default column.
    auto writer = store::ExperimentStore::open(path("long.db"),
                                               store::ExperimentStore::Mode::ReadWrite);
    store::PlanRecord plan;
    plan.name = "p";
    plan.state = "finished";
    store::StageRecord stage;
    stage.planId = writer.addPlan(plan);
    stage.name = "validation-16k-final";
    stage.kind = "validate";
    stage.state = "finished";
    store::TrialRecord trial;
    trial.stageId = writer.addStage(stage);
    for (const char *name : {"validation-16k-001", "v-2"}) {
        trial.name = name;
        trial.number += 1;
        trial.state = store::TrialState::Finished;
        trial.device = "cpu";
        trial.bestValue = -3.5;
        writer.addTrial(trial);
    }
    const test::CliResult result = test::runInProcess(
        {"sweep", "status", "--store", path("long.db")});
    QCOMPARE(result.status, 0);
    std::istringstream lines(result.out);
    std::string line;
    std::size_t stateColumn = std::string::npos;
    int trialRows = 0;
    while (std::getline(lines, line)) {
        if (line.rfind("    trial", 0) == 0)
            stateColumn = line.find("state");
        else if (line.rfind("    v", 0) == 0) {
            QVERIFY2(stateColumn != std::string::npos, result.out.c_str());
            QCOMPARE(line.substr(stateColumn, 8), std::string("finished"));
            QCOMPARE(line[stateColumn - 1], ' ');
            ++trialRows;
        }
    }
    QCOMPARE(trialRows, 2);
    // The stage table likewise: "kind" starts where the header says.
    const std::size_t header = result.out.find("  stage");
    const std::size_t kind = result.out.find("kind", header) - header;
    const std::size_t row = result.out.find("  validation-16k-final");
    QCOMPARE(result.out.substr(row + kind, 8), std::string("validate"));
}

QStringList tst_SweepCommand::sweepArgs(const std::string &store) const
{
    // The users' file unchanged; the command line shrinks it to the tiny corpus: two trials of
    // four epochs (the file says 40 trials of 50), one thread each, two at a time.
    return {"sweep",
            "run",
            QString::fromStdString(kStage1),
            "--store",
            QString::fromStdString(path(store)),
            "--base-config",
            QString::fromStdString(path("tiny.yaml")),
            "--data",
            QString::fromStdString(path("corpus")),
            "--trials",
            "2",
            "--set",
            "num_epochs=4",
            "--cpu-slots",
            "2",
            "--threads",
            "1",
            "--runs",
            QString::fromStdString(path(store + ".runs"))};
}

void tst_SweepCommand::usersWandbSweepRunsAndKilledControllerResumes()
{
    const std::string storePath = path("users.db");
    QProcess controller;
    controller.start(m_cli, sweepArgs("users.db"));
    QVERIFY(controller.waitForStarted());

    // Wait until a trial has finished an epoch, then kill the controller outright: its trials
    // are orphaned mid-training and the store says `running`.
    bool epochSeen = false;
    for (int i = 0; i < 1200 && !epochSeen; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        if (!std::filesystem::exists(storePath))
            continue;
        try {
            const auto store = store::ExperimentStore::open(storePath,
                                                            store::ExperimentStore::Mode::ReadOnly);
            // The plan can be there a moment before its first stage.
            const auto stages = store.stages(1);
            if (stages.empty())
                continue;
            for (const store::TrialRecord &trial : store.trials(stages.front().id))
                epochSeen = epochSeen || !store.metrics(trial.id, "val_sisdr").empty();
        } catch (const std::exception &) {
            // The controller has not written the plan and stage yet.
        }
    }
    QVERIFY2(epochSeen, "no epoch reached the store within two minutes");
    ::kill(pid_t(controller.processId()), SIGKILL);
    QVERIFY(controller.waitForFinished(10000));
    QCOMPARE(controller.exitStatus(), QProcess::CrashExit);

    const test::CliResult interrupted = test::runInProcess(
        {"sweep", "status", "--store", storePath});
    QCOMPARE(interrupted.status, 0);
    QVERIFY2(interrupted.out.find("plan 3-dprnn-subset-proxy-sweep: interrupted")
                 != std::string::npos,
             interrupted.out.c_str());

    QProcess resume;
    resume.start(m_cli, {"sweep", "resume", "--store", QString::fromStdString(storePath)});
    QVERIFY(resume.waitForFinished(600000));
    const QByteArray log = resume.readAllStandardError();
    QVERIFY2(resume.exitCode() == 0, log.constData());
    QVERIFY2(log.contains("sweep resume: plan finished."), log.constData());

    const auto store = store::ExperimentStore::open(storePath,
                                                    store::ExperimentStore::Mode::ReadOnly);
    QCOMPARE(store.plans().size(), std::size_t(1));
    QCOMPARE(store.plans().front().state, std::string("finished"));
    const auto stages = store.stages(store.plans().front().id);
    QCOMPARE(stages.size(), std::size_t(1));
    const auto trials = store.trials(stages.front().id);
    QCOMPARE(trials.size(), std::size_t(2));
    for (const store::TrialRecord &trial : trials) {
        QVERIFY2(trial.state == store::TrialState::Finished,
                 (trial.name + " " + store::trialStateName(trial.state) + ": " + trial.error + "\n"
                  + log.toStdString())
                     .c_str());
        QCOMPARE(trial.epochs, 4);
        // Each epoch exactly once, whether the dead controller, the catch-up from
        // events.jsonl or the resumed process recorded it.
        const auto values = store.metrics(trial.id, "val_sisdr");
        QCOMPARE(values.size(), std::size_t(4));
        for (std::size_t e = 0; e < values.size(); ++e)
            QCOMPARE(values[e].step, std::int64_t(e + 1));
        // The best is the best of the recorded values.
        double best = values.front().value;
        for (const auto &value : values)
            best = std::max(best, value.value);
        QCOMPARE(trial.bestValue.value_or(-1e9), best);
        // The sweep's parameters reached the trial's resolved config.
        const std::string config = readFile(trial.runDir + "/config.yaml");
        const double lr = trial.params.at("lr").get<double>();
        QVERIFY(lr >= 1e-5 && lr <= 1e-2);
        QCOMPARE(trial.params.at("seed").get<int>(), 42);
        QCOMPARE(trial.params.at("num_epochs").get<int>(), 50); // as sampled; --set won
        QVERIFY2(config.find("num_epochs: 4") != std::string::npos, config.c_str());
        // The interrupted trial went on from its last.pt: two start events, not a restart.
        const int starts = countEvents(trial.runDir + "/events.jsonl", "start");
        QVERIFY2(starts == 1 || starts == 2, trial.runDir.c_str());
    }

    // The experiment log from that store.
    const test::CliResult report = test::runInProcess(
        {"report", "--store", storePath, "--out", path("report")});
    QVERIFY2(report.status == 0, report.err.c_str());
    const std::string markdown = readFile(path("report/experiment-log.md"));
    QVERIFY2(markdown.find("3-dprnn-subset-proxy-sweep") != std::string::npos, markdown.c_str());
    for (const store::TrialRecord &trial : trials)
        QVERIFY2(markdown.find(trial.name) != std::string::npos, trial.name.c_str());
}

void tst_SweepCommand::oneStageTemplateAtTinyScaleEndToEnd()
{
    // The users' Experiment A as shipped: a bayes search with hyperband, then the top 2
    // (diverse) configurations retrained with two seeds each, at --scale tiny.
    const std::string storePath = path("expA.db");
    QProcess sweep;
    sweep.start(m_cli,
                {"sweep",
                 "run",
                 QString::fromStdString(kPlans + "/dprnn_onestage_8k.yaml"),
                 "--scale",
                 "tiny",
                 "--data",
                 QString::fromStdString(path("corpus")),
                 "--store",
                 QString::fromStdString(storePath)});
    QVERIFY(sweep.waitForFinished(600000));
    const QByteArray log = sweep.readAllStandardError();
    QVERIFY2(sweep.exitCode() == 0, log.constData());

    const auto store = store::ExperimentStore::open(storePath,
                                                    store::ExperimentStore::Mode::ReadOnly);
    const auto plan = store.planByName("dprnn-onestage-8k");
    QVERIFY(plan.has_value());
    QCOMPARE(plan->state, std::string("finished"));
    const auto stages = store.stages(plan->id);
    QCOMPARE(stages.size(), std::size_t(2));
    const auto search = store.trials(stages[0].id);
    const auto validation = store.trials(stages[1].id);
    QCOMPARE(search.size(), std::size_t(6));
    QCOMPARE(validation.size(), std::size_t(4));

    // Every search trial ended finished, or stopped by hyperband with an early_stop event.
    std::map<std::int64_t, int> earlyStops;
    for (const store::EventRecord &event : store.events(plan->id))
        if (event.kind == "early_stop")
            ++earlyStops[event.trialId];
    const store::TrialRecord *best = nullptr;
    for (const store::TrialRecord &trial : search) {
        if (trial.state == store::TrialState::Stopped) {
            QCOMPARE(earlyStops[trial.id], 1);
            QVERIFY(trial.epochs < 3);
        } else {
            QVERIFY2(trial.state == store::TrialState::Finished, trial.name.c_str());
            QCOMPARE(trial.epochs, 3);
            if (!best || *trial.bestValue > *best->bestValue)
                best = &trial;
        }
        QCOMPARE(int(store.metrics(trial.id, "val_sisdr").size()), trial.epochs);
    }
    QVERIFY(best != nullptr);

    // Validation: two promoted configurations, the best first, each with seeds 42 and 123 and
    // otherwise the search trial's exact parameters.
    std::map<std::string, std::vector<std::int64_t>> seedsByGroup;
    for (const store::TrialRecord &trial : validation) {
        QVERIFY2(trial.state == store::TrialState::Finished, trial.name.c_str());
        QCOMPARE(trial.epochs, 3);
        const std::string group = trial.provenance.at("group").get<std::string>();
        seedsByGroup[group].push_back(trial.params.at("seed").get<std::int64_t>());
        const auto source = std::find_if(search.begin(), search.end(), [&](const auto &t) {
            return t.name == group;
        });
        QVERIFY2(source != search.end(), group.c_str());
        QCOMPARE(source->state, store::TrialState::Finished);
        json params = trial.params;
        params.erase("seed");
        QCOMPARE(params.dump(), source->params.dump());
    }
    QCOMPARE(seedsByGroup.size(), std::size_t(2));
    QVERIFY(seedsByGroup.count(best->name) == 1);
    for (const auto &[group, seeds] : seedsByGroup)
        QCOMPARE(seeds, (std::vector<std::int64_t>{42, 123}));

    const test::CliResult report = test::runInProcess(
        {"report", "--store", storePath, "--out", path("expA-report")});
    QVERIFY2(report.status == 0, report.err.c_str());
    const std::string markdown = readFile(path("expA-report/experiment-log.md"));
    QVERIFY(markdown.find("## Stage validation-16k: validate") != std::string::npos);
}

void tst_SweepCommand::reviewStopThenResumeWithAnEditedPlan()
{
    // A cheap external objective (tests/data/objectives): stage b waits for review after a.
    const std::string keys = "    program: " + std::string(SEPLAB_OBJECTIVES_DIR)
                             + "/quadratic_objective.py\n"
                               "    command: [\"${env}\", \"python3\", \"${program}\", "
                               "\"${args}\"]\n";
    const std::string head = "name: reviewed\n"
                             "metric: {name: score, goal: maximize}\n"
                             "executor: {type: local, cpu_slots: 2}\n"
                             "stages:\n"
                             "  - name: a\n"
                             "    method: grid\n"
                             + keys;
    const std::string stageA = "    parameters:\n"
                               "      x: {values: [0.1, 0.3, 0.9]}\n"
                               "      epochs: {value: 1}\n";
    const std::string stageB = "  - name: b\n"
                               "    review: true\n"
                               "    narrow_from: {stage: a, top_fraction: 0.5, margin: 0}\n"
                               + keys;
    const std::string planPath = path("reviewed.yaml");
    const std::string store = path("reviewed.db");
    std::ofstream(planPath) << head + stageA + stageB;
    const test::CliResult run = test::runInProcess({"sweep", "run", planPath, "--store", store});
    QCOMPARE(run.status, 3);
    QVERIFY2(run.err.find("sweep run: stopped before stage 'b' for its review (review: true); "
                          "`seplab-cli sweep resume` starts it, with an edited plan given by "
                          "--plan-file.\n")
                 != std::string::npos,
             run.err.c_str());

    // An edit of the stage that ran is refused, in one sentence naming it.
    const std::string edited = path("reviewed.edited.yaml");
    std::ofstream(edited) << head
                                 + "    parameters:\n      x: {values: [0.1, 0.3]}\n"
                                   "      epochs: {value: 1}\n"
                                 + stageB;
    const test::CliResult refused = test::runInProcess(
        {"sweep", "resume", "--store", store, "--plan-file", edited});
    QCOMPARE(refused.status, 1);
    QCOMPARE(refused.err,
             "seplab-cli sweep: " + edited
                 + ": stage 'a' has already started and cannot change; only stages that have not "
                   "started can.\n");

    // The reviewed stage's own range replaces the narrowed [0.1, 0.3] (top 2 of a's 3 trials).
    std::ofstream(edited) << head + stageA + stageB + "    parameters:\n      x: {values: [0.3]}\n";
    const test::CliResult resumed = test::runInProcess(
        {"sweep", "resume", "--store", store, "--plan-file", edited});
    QVERIFY2(resumed.status == 0, resumed.err.c_str());
    const store::ExperimentStore reader
        = store::ExperimentStore::open(store, store::ExperimentStore::Mode::ReadOnly);
    const auto stages = reader.stages(reader.plans().front().id);
    QCOMPARE(stages.size(), std::size_t(2));
    const auto b = reader.trials(stages[1].id);
    QCOMPARE(b.size(), std::size_t(1));
    QCOMPARE(b[0].params["x"].get<double>(), 0.3);
    QCOMPARE(b[0].params["epochs"].get<int>(), 1);
}

QTEST_GUILESS_MAIN(tst_SweepCommand)
#include "tst_sweep_command.moc"
