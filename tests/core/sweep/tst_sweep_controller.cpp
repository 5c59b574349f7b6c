// The sweep controller end to end with a cheap external objective (a Python script run W&B
// agent style, tests/data/objectives/quadratic_objective.py): every trial's metrics reach the
// store exactly, a narrowed stage's ranges come from the best trials, a validation stage runs
// the promoted configurations with every seed, hyperband stops a losing trial, a failed trial
// keeps its log tail while the sweep goes on, a stop leaves trials that resume completes, and a
// `review: true` stage stops the controller before it so that an edited plan can continue.

#include "core/store/experiment_store.h"
#include "core/sweep/plan_writer.h"
#include "core/sweep/sweep_controller.h"

#include <QtTest>

#include <atomic>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

using namespace seplab;
using nlohmann::json;

namespace {

const std::string kObjective = std::string(SEPLAB_OBJECTIVES_DIR) + "/quadratic_objective.py";

// The objective's score at epoch k (see the script's docstring).
double score(double lr, double x, int epoch, std::int64_t seed = 0)
{
    return -(std::pow(std::log10(lr) + 3.0, 2) + std::pow(x - 0.3, 2)) + 0.01 * double(seed % 7)
           - 1.0 / epoch;
}

std::string planText(const std::string &body)
{
    return "name: quad\n"
           "metric: {name: score, goal: maximize}\n"
           "executor: {type: local, cpu_slots: 2, kill_delay: 5}\n"
           "stages:\n"
           + body;
}

std::string programKeys()
{
    return "    program: " + kObjective
           + "\n"
             "    command: [\"${env}\", \"python3\", \"${program}\", \"${args}\"]\n";
}

struct Run
{
    sweep::ControllerResult result;
    std::string log;
};

Run runPlan(const QTemporaryDir &dir,
            const std::string &text,
            const std::atomic<bool> *stop = nullptr)
{
    const std::string path = dir.filePath("plan.yaml").toStdString();
    std::ofstream(path) << text;
    sweep::ControllerOptions options;
    options.storePath = dir.filePath("s.db").toStdString();
    std::ostringstream log;
    options.log = &log;
    options.stopRequested = stop;
    options.pollMilliseconds = 50;
    sweep::SweepController controller(options);
    const sweep::Plan plan = sweep::parsePlan(text, path);
    Run run{controller.run(plan, text), {}};
    run.log = log.str();
    return run;
}

store::ExperimentStore openStore(const QTemporaryDir &dir)
{
    return store::ExperimentStore::open(dir.filePath("s.db").toStdString(),
                                        store::ExperimentStore::Mode::ReadOnly);
}

} // namespace

class tst_SweepController : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void searchNarrowValidateEndToEnd();
    void hyperbandStopsTheLosingTrial();
    void failedTrialKeepsLogTailAndSweepGoesOn();
    void stopLeavesTrialsPendingAndResumeCompletes();
    void reviewStopsBeforeTheStageAndAnEditedPlanContinues();
};

void tst_SweepController::searchNarrowValidateEndToEnd()
{
    QTemporaryDir dir;
    const std::string text = planText(
        "  - name: a\n"
        "    method: random\n"
        "    trials: 6\n"
        + programKeys()
        + "    parameters:\n"
          "      lr: {distribution: log_uniform_values, min: 1.0e-5, max: 1.0e-1}\n"
          "      x: {min: 0.0, max: 1.0}\n"
          "      epochs: {value: 3}\n"
          "  - name: b\n"
          "    narrow_from: {stage: a, top_fraction: 0.5, margin: 0.0}\n"
          "    trials: 3\n"
        + programKeys()
        + "  - name: v\n"
          "    validate: {from: b, top_k: 2, diverse: false, seeds: [1, 2]}\n"
        + programKeys());
    const Run run = runPlan(dir, text);
    QVERIFY2(run.result.state == "finished", (run.result.error + "\n" + run.log).c_str());

    const store::ExperimentStore store = openStore(dir);
    const auto stages = store.stages(run.result.planId);
    QCOMPARE(stages.size(), std::size_t(3));
    const auto a = store.trials(stages[0].id);
    QCOMPARE(a.size(), std::size_t(6));
    for (const store::TrialRecord &trial : a) {
        QCOMPARE(store::trialStateName(trial.state), std::string("finished"));
        const double lr = trial.params["lr"].get<double>();
        const double x = trial.params["x"].get<double>();
        const auto metrics = store.metrics(trial.id, "score");
        QCOMPARE(metrics.size(), std::size_t(3));
        for (int k = 1; k <= 3; ++k) {
            QCOMPARE(metrics[std::size_t(k - 1)].step, k);
            QVERIFY(std::abs(metrics[std::size_t(k - 1)].value - score(lr, x, k)) < 2e-6);
        }
        QVERIFY(std::abs(*trial.bestValue - score(lr, x, 3)) < 2e-6);
        QCOMPARE(trial.epochs, 3);
    }

    // Stage b's lr range is the [min, max] of the top 3 of a (margin 0), in log space.
    std::vector<const store::TrialRecord *> ranked;
    for (const auto &trial : a)
        ranked.push_back(&trial);
    std::sort(ranked.begin(), ranked.end(), [](auto *l, auto *r) {
        return *l->bestValue > *r->bestValue;
    });
    double low = 1, high = 0;
    for (int i = 0; i < 3; ++i) {
        low = std::min(low, ranked[std::size_t(i)]->params["lr"].get<double>());
        high = std::max(high, ranked[std::size_t(i)]->params["lr"].get<double>());
    }
    const json lr = stages[1].spec["space"]["lr"];
    QVERIFY2(std::abs(lr["min"].get<double>() / low - 1) < 1e-9, lr.dump().c_str());
    QVERIFY2(std::abs(lr["max"].get<double>() / high - 1) < 1e-9, lr.dump().c_str());
    QCOMPARE(stages[1].provenance["narrow_from"].get<std::string>(), std::string("a"));
    const auto b = store.trials(stages[1].id);
    QCOMPARE(b.size(), std::size_t(3));
    for (const auto &trial : b) {
        QVERIFY(trial.params["lr"].get<double>() >= low * (1 - 1e-12));
        QVERIFY(trial.params["lr"].get<double>() <= high * (1 + 1e-12));
    }

    // Validation: the 2 best of b, each with seeds 1 and 2, in that order.
    std::vector<const store::TrialRecord *> bRanked;
    for (const auto &trial : b)
        bRanked.push_back(&trial);
    std::sort(bRanked.begin(), bRanked.end(), [](auto *l, auto *r) {
        return *l->bestValue > *r->bestValue;
    });
    const auto v = store.trials(stages[2].id);
    QCOMPARE(v.size(), std::size_t(4));
    for (std::size_t i = 0; i < 4; ++i) {
        const store::TrialRecord &promoted = *bRanked[i / 2];
        const std::int64_t seed = i % 2 == 0 ? 1 : 2;
        QCOMPARE(v[i].provenance["group"].get<std::string>(), promoted.name);
        QCOMPARE(v[i].params["lr"], promoted.params["lr"]);
        QCOMPARE(v[i].params["seed"].get<std::int64_t>(), seed);
        QCOMPARE(v[i].seed, seed);
        const double expected = score(promoted.params["lr"].get<double>(),
                                      promoted.params["x"].get<double>(),
                                      3,
                                      seed);
        QVERIFY(std::abs(*v[i].bestValue - expected) < 2e-6);
    }
}

void tst_SweepController::hyperbandStopsTheLosingTrial()
{
    QTemporaryDir dir;
    // One at a time: x = 0.3 runs all 8 epochs first; x = 0.9 is judged at band 2 against it
    // (n = 2, eta 3: the threshold is the best value) and loses.
    const std::string text = planText(
        "  - name: a\n"
        "    method: grid\n"
        "    parallel: 1\n"
        "    early_terminate: {type: hyperband, min_iter: 2, eta: 3}\n"
        + programKeys()
        + "    parameters:\n"
          "      x: {values: [0.3, 0.9]}\n"
          "      epochs: {value: 8}\n"
          "      delay: {value: 0.3}\n");
    const Run run = runPlan(dir, text);
    QVERIFY2(run.result.state == "finished", (run.result.error + "\n" + run.log).c_str());
    const store::ExperimentStore store = openStore(dir);
    const auto trials = store.trials(store.stages(run.result.planId)[0].id);
    QCOMPARE(trials.size(), std::size_t(2));
    QCOMPARE(store::trialStateName(trials[0].state), std::string("finished"));
    QCOMPARE(trials[0].epochs, 8);
    QCOMPARE(store::trialStateName(trials[1].state), std::string("stopped"));
    QVERIFY2(trials[1].epochs >= 2 && trials[1].epochs < 8, run.log.c_str());
    int earlyStops = 0;
    for (const store::EventRecord &event : store.events(run.result.planId))
        if (event.kind == "early_stop") {
            ++earlyStops;
            QCOMPARE(event.trialId, trials[1].id);
            QCOMPARE(event.payload["rule"].get<std::string>().rfind("hyperband", 0), std::size_t(0));
        }
    QCOMPARE(earlyStops, 1);
    // The stage record carries what the GUI's chart draws: the metric and the band ladder
    // (min_iter 2, eta 3, no epochs key: up to 1000 iterations).
    const json spec = store.stages(run.result.planId)[0].spec;
    QCOMPARE(spec["metric"]["name"].get<std::string>(), std::string("score"));
    QCOMPARE(spec["metric"]["goal"].get<std::string>(), std::string("maximize"));
    QCOMPARE(spec["bands"].get<std::vector<int>>(), (std::vector<int>{2, 6, 18, 54, 162, 486}));
}

void tst_SweepController::failedTrialKeepsLogTailAndSweepGoesOn()
{
    QTemporaryDir dir;
    const std::string text = planText("  - name: a\n"
                                      "    method: grid\n"
                                      + programKeys()
                                      + "    parameters:\n"
                                        "      x: {values: [0.2, 0.8, 0.4]}\n"
                                        "      fail_above: {value: 0.5}\n"
                                        "      epochs: {value: 2}\n");
    const Run run = runPlan(dir, text);
    QVERIFY2(run.result.state == "finished", (run.result.error + "\n" + run.log).c_str());
    const store::ExperimentStore store = openStore(dir);
    const auto trials = store.trials(store.stages(run.result.planId)[0].id);
    QCOMPARE(trials.size(), std::size_t(3));
    std::map<std::string, int> states;
    for (const auto &trial : trials)
        ++states[store::trialStateName(trial.state)];
    QCOMPARE(states["finished"], 2);
    QCOMPARE(states["failed"], 1);
    const auto failed = std::find_if(trials.begin(), trials.end(), [](const auto &t) {
        return t.state == store::TrialState::Failed;
    });
    QCOMPARE(failed->params["x"].get<double>(), 0.8);
    QCOMPARE(failed->exitCode, 1);
    QCOMPARE(failed->error, std::string("exited with status 1"));
    QVERIFY2(failed->logTail.find("x is above fail_above") != std::string::npos,
             failed->logTail.c_str());
}

void tst_SweepController::stopLeavesTrialsPendingAndResumeCompletes()
{
    QTemporaryDir dir;
    const std::string text = planText("  - name: a\n"
                                      "    method: random\n"
                                      "    trials: 4\n"
                                      + programKeys()
                                      + "    parameters:\n"
                                        "      x: {min: 0.0, max: 1.0}\n"
                                        "      epochs: {value: 4}\n"
                                        "      delay: {value: 0.25}\n");
    std::atomic<bool> stop{false};
    std::thread stopper([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(600));
        stop = true;
    });
    const Run first = runPlan(dir, text, &stop);
    stopper.join();
    QCOMPARE(first.result.state, std::string("stopped"));
    {
        const store::ExperimentStore store = openStore(dir);
        const auto trials = store.trials(store.stages(first.result.planId)[0].id);
        QCOMPARE(trials.size(), std::size_t(2)); // two slots, both interrupted mid-run
        for (const auto &trial : trials)
            QCOMPARE(store::trialStateName(trial.state), std::string("pending"));
        QCOMPARE(store.plan(first.result.planId)->state, std::string("stopped"));
    }
    sweep::ControllerOptions options;
    options.storePath = dir.filePath("s.db").toStdString();
    options.pollMilliseconds = 50;
    const sweep::ControllerResult resumed = sweep::SweepController(options).resume("quad");
    QCOMPARE(resumed.state, std::string("finished"));
    const store::ExperimentStore store = openStore(dir);
    const auto trials = store.trials(store.stages(resumed.planId)[0].id);
    QCOMPARE(trials.size(), std::size_t(4));
    for (const auto &trial : trials) {
        QCOMPARE(store::trialStateName(trial.state), std::string("finished"));
        // A restarted external program repeats its steps; each is stored once.
        const auto metrics = store.metrics(trial.id, "score");
        QCOMPARE(metrics.size(), std::size_t(4));
        for (int k = 1; k <= 4; ++k)
            QCOMPARE(metrics[std::size_t(k - 1)].step, k);
    }
}

void tst_SweepController::reviewStopsBeforeTheStageAndAnEditedPlanContinues()
{
    QTemporaryDir dir;
    const std::string text = planText(
        "  - name: a\n"
        "    method: random\n"
        "    trials: 4\n"
        + programKeys()
        + "    parameters:\n"
          "      x: {min: 0.0, max: 1.0}\n"
          "      epochs: {value: 2}\n"
          "  - name: b\n"
          "    review: true\n"
          "    narrow_from: {stage: a, top_fraction: 0.5, margin: 0}\n"
          "    trials: 3\n"
        + programKeys());
    const Run first = runPlan(dir, text);
    QCOMPARE(first.result.state, std::string("stopped"));
    QCOMPARE(first.result.reviewStage, std::string("b"));
    QVERIFY2(first.log.find("stage 'b' waits for review") != std::string::npos, first.log.c_str());
    {
        const store::ExperimentStore store = openStore(dir);
        QCOMPARE(store.stages(first.result.planId).size(), std::size_t(1));
        QCOMPARE(store.plan(first.result.planId)->state, std::string("stopped"));
        int reviews = 0;
        for (const store::EventRecord &event : store.events(first.result.planId))
            if (event.kind == "stage_review") {
                ++reviews;
                QCOMPARE(event.payload["stage"].get<std::string>(), std::string("b"));
            }
        QCOMPARE(reviews, 1);
    }

    // The reviewed copy: stage b's x range given explicitly, as the planner writes it.
    const std::string planPath = dir.filePath("plan.yaml").toStdString();
    const std::string editedPath = dir.filePath("edited.yaml").toStdString();
    sweep::Plan edited = sweep::parsePlan(text, planPath);
    edited.stages[1].sweep.parameters = sweep::SearchSpace::fromJson(
        json{{"x", {{"min", 0.8}, {"max", 0.9}}}});
    edited.stages[1].parametersGiven = true;
    const std::string editedText = sweep::planYaml(edited);

    sweep::ControllerOptions options;
    options.storePath = dir.filePath("s.db").toStdString();
    options.pollMilliseconds = 50;
    // A change to the stage that has already run is refused, naming it; the store is unchanged.
    sweep::Plan changedStarted = edited;
    changedStarted.stages[0].trials = 5;
    try {
        sweep::SweepController(options).resumeWithPlan("quad",
                                                       sweep::planYaml(changedStarted),
                                                       editedPath);
        QFAIL("a change to a started stage was accepted");
    } catch (const std::runtime_error &error) {
        QCOMPARE(std::string(error.what()),
                 editedPath
                     + ": stage 'a' has already started and cannot change; only stages that "
                       "have not started can.");
    }
    sweep::Plan renamed = edited;
    renamed.name = "other";
    QVERIFY_THROWS_EXCEPTION(std::runtime_error,
                             sweep::SweepController(options).resumeWithPlan("quad",
                                                                            sweep::planYaml(renamed),
                                                                            editedPath));
    QCOMPARE(openStore(dir).plan(first.result.planId)->yaml, text);

    const sweep::ControllerResult resumed = sweep::SweepController(options)
                                                .resumeWithPlan("quad", editedText, editedPath);
    QCOMPARE(resumed.state, std::string("finished"));
    const store::ExperimentStore store = openStore(dir);
    QCOMPARE(store.plan(resumed.planId)->yaml, editedText);
    const auto stages = store.stages(resumed.planId);
    QCOMPARE(stages.size(), std::size_t(2));
    const auto b = store.trials(stages[1].id);
    QCOMPARE(b.size(), std::size_t(3));
    for (const store::TrialRecord &trial : b) {
        QCOMPARE(store::trialStateName(trial.state), std::string("finished"));
        const double x = trial.params["x"].get<double>();
        QVERIFY2(x >= 0.8 && x <= 0.9, trial.params.dump().c_str());
        // The narrowed constant the edit left alone is still there.
        QCOMPARE(trial.params["epochs"].get<int>(), 2);
    }
    const auto lines = stages[1].spec["provenance_lines"].get<std::vector<std::string>>();
    QVERIFY(std::any_of(lines.begin(), lines.end(), [](const std::string &line) {
        return line.rfind("x: ", 0) == 0
               && line.find("(replaced by the stage's own range)") != std::string::npos;
    }));
}

QTEST_APPLESS_MAIN(tst_SweepController)
#include "tst_sweep_controller.moc"
