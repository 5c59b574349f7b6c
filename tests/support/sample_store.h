#pragma once

// A small experiment store as a running sweep leaves it, for the GUI's tests: plan "demo" with
// a finished search stage "s1" (t0 finished, t1 stopped by hyperband, t2 failed) and a running
// stage "s2" (t3 finished, t4 running). val_sisdr values are simple numbers the tests recompute
// by hand. The test writes more rows through `writer` to play the controller.

#include "core/store/experiment_store.h"

#include <string>
#include <vector>

namespace seplab::testsupport {

struct SampleStore
{
    store::ExperimentStore writer;
    std::int64_t planId = 0;
    std::int64_t stage1 = 0, stage2 = 0;
    std::vector<std::int64_t> trials; // t0..t4
};

inline store::TrialRecord sampleTrialRecord(std::int64_t stageId,
                                            int number,
                                            store::TrialState state,
                                            std::optional<double> best,
                                            int epochs)
{
    store::TrialRecord trial;
    trial.stageId = stageId;
    trial.number = number;
    trial.name = "t" + std::to_string(number);
    trial.state = state;
    trial.bestValue = best;
    trial.epochs = epochs;
    trial.params = {{"lr", 0.00125 * (number + 1)}, {"batch_size", 4}};
    trial.device = number % 2 ? "cuda:1" : "cpu";
    if (state != store::TrialState::Pending)
        trial.startedAt = 1000.0;
    if (store::isTerminal(state))
        trial.finishedAt = 1000.0 + 125.0 * (number + 1);
    return trial;
}

inline void addCurve(store::ExperimentStore &writer,
                     std::int64_t trialId,
                     const std::vector<double> &values,
                     int firstStep = 1)
{
    std::vector<store::MetricRecord> rows;
    for (std::size_t i = 0; i < values.size(); ++i) {
        store::MetricRecord row;
        row.trialId = trialId;
        row.step = firstStep + int(i);
        row.name = "val_sisdr";
        row.value = values[i];
        rows.push_back(row);
    }
    writer.addMetrics(rows);
}

// Writes the store at `path`.
inline SampleStore makeSampleStore(const std::string &path, int controllerPid = 0)
{
    SampleStore sample{store::ExperimentStore::open(path, store::ExperimentStore::Mode::ReadWrite)};
    store::ExperimentStore &writer = sample.writer;
    store::PlanRecord plan;
    plan.name = "demo";
    plan.state = "running";
    plan.controllerPid = controllerPid;
    sample.planId = writer.addPlan(plan);

    store::StageRecord stage;
    stage.planId = sample.planId;
    stage.name = "s1";
    stage.kind = "search";
    stage.state = "finished";
    stage.spec = {{"metric", {{"name", "best_val_sisdr"}, {"goal", "maximize"}}},
                  {"bands", {2, 6, 18}}};
    sample.stage1 = writer.addStage(stage);
    stage.index = 1;
    stage.name = "s2";
    stage.state = "running";
    sample.stage2 = writer.addStage(stage);

    using S = store::TrialState;
    sample.trials.push_back(
        writer.addTrial(sampleTrialRecord(sample.stage1, 0, S::Finished, 4.0, 4)));
    sample.trials.push_back(
        writer.addTrial(sampleTrialRecord(sample.stage1, 1, S::Stopped, 1.0, 2)));
    sample.trials.push_back(writer.addTrial(sampleTrialRecord(sample.stage1, 2, S::Failed, {}, 0)));
    sample.trials.push_back(
        writer.addTrial(sampleTrialRecord(sample.stage2, 3, S::Finished, 6.0, 3)));
    sample.trials.push_back(
        writer.addTrial(sampleTrialRecord(sample.stage2, 4, S::Running, 5.5, 2)));

    addCurve(writer, sample.trials[0], {1.0, 2.0, 3.0, 4.0});
    addCurve(writer, sample.trials[1], {0.5, 1.0});
    addCurve(writer, sample.trials[3], {2.0, 5.0, 6.0});
    addCurve(writer, sample.trials[4], {3.0, 5.5});
    return sample;
}

} // namespace seplab::testsupport
