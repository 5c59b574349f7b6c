#pragma once

// Shared by the store tests: sample records with every field set to a value that tests the
// round trip (inexact decimals, extreme integers, UTF-8, newlines), and small helpers.

#include "core/store/experiment_store.h"

#include <QTemporaryDir>
#include <QtTest>

#include <limits>
#include <string>

namespace seplab::store::test {

using nlohmann::json;

inline std::string storePath(const QTemporaryDir &dir, const char *name = "s.db")
{
    return dir.filePath(name).toStdString();
}

inline PlanRecord samplePlan(const std::string &name = "dprnn-progressive")
{
    PlanRecord plan;
    plan.name = name;
    plan.yaml = "name: dprnn-progressive\nstages:\n  - name: s2k\n";
    plan.sourcePath = "/home/u/plans/progressive.yaml";
    plan.state = "running";
    plan.options = json{{"gpus", {0, 1}}, {"slots_per_gpu", 4}, {"mps", true}};
    plan.controllerPid = 4242;
    plan.createdAt = 1764170000.125;
    plan.updatedAt = 1764170001.5;
    return plan;
}

inline StageRecord sampleStage(std::int64_t planId, int index = 0)
{
    StageRecord stage;
    stage.planId = planId;
    stage.index = index;
    stage.name = "s" + std::to_string(index);
    stage.kind = "search";
    stage.state = "running";
    stage.spec = json{{"method", "bayes"}, {"parameters", {{"lr", {{"min", 1e-4}, {"max", 3e-3}}}}}};
    stage.provenance = json{{"narrow_from", "s2k"}, {"top_fraction", 0.25}};
    stage.startedAt = 1764170002.25;
    stage.finishedAt = 0;
    return stage;
}

inline TrialRecord sampleTrial(std::int64_t stageId, int number = 0)
{
    TrialRecord trial;
    trial.stageId = stageId;
    trial.number = number;
    trial.name = "s2k-" + std::to_string(number);
    trial.state = TrialState::Running;
    // 0.1 and 1e-300 have no short exact decimal form: they test the JSON and REAL round trip.
    trial.params = json{{"lr", 0.1}, {"weight_decay", 1e-300}, {"batch", 16}, {"opt", "adam"}};
    trial.provenance = json{{"sampler", "bayes"}};
    trial.device = "cuda:1";
    trial.runDir = "/runs/dprnn/s2k/s2k-0";
    trial.command = json::array({"seplab-cli", "train", "--lr=0.1"});
    trial.datasetHash = "fnv1a:9f3c2b1a";
    trial.seed = std::numeric_limits<std::int64_t>::max();
    trial.pid = 31337;
    trial.jobId = "9001_3";
    trial.exitCode = -9;
    trial.bestValue = 11.123456789012345;
    trial.epochs = 37;
    trial.error = "CUDA out of memory";
    trial.logTail = "epoch 37\nłódź ✓\n";
    trial.createdAt = 1764170003.0625;
    trial.startedAt = 1764170004.5;
    trial.finishedAt = 1764170999.75;
    return trial;
}

inline void compareTrials(const TrialRecord &a, const TrialRecord &b)
{
    QCOMPARE(a.id, b.id);
    QCOMPARE(a.stageId, b.stageId);
    QCOMPARE(a.number, b.number);
    QCOMPARE(a.name, b.name);
    QVERIFY(a.state == b.state);
    QCOMPARE(a.params, b.params);
    QCOMPARE(a.provenance, b.provenance);
    QCOMPARE(a.device, b.device);
    QCOMPARE(a.runDir, b.runDir);
    QCOMPARE(a.command, b.command);
    QCOMPARE(a.datasetHash, b.datasetHash);
    QCOMPARE(a.seed, b.seed);
    QCOMPARE(a.pid, b.pid);
    QCOMPARE(a.jobId, b.jobId);
    QCOMPARE(a.exitCode, b.exitCode);
    QVERIFY(a.bestValue == b.bestValue);
    QCOMPARE(a.epochs, b.epochs);
    QCOMPARE(a.error, b.error);
    QCOMPARE(a.logTail, b.logTail);
    QCOMPARE(a.createdAt, b.createdAt);
    QCOMPARE(a.startedAt, b.startedAt);
    QCOMPARE(a.finishedAt, b.finishedAt);
}

// A store holding one plan, one stage and `trials` trials; returns the stage id.
inline std::int64_t seed(ExperimentStore &store, int trials)
{
    const std::int64_t planId = store.addPlan(samplePlan());
    const std::int64_t stageId = store.addStage(sampleStage(planId));
    for (int i = 0; i < trials; ++i)
        store.addTrial(sampleTrial(stageId, i));
    return stageId;
}

template<typename Error, typename Body>
std::string messageOf(Body body)
{
    try {
        body();
    } catch (const Error &error) {
        return error.what();
    }
    return "(nothing thrown)";
}

} // namespace seplab::store::test
