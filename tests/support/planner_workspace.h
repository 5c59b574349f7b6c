#pragma once

// The stage planner tests' workspace: the GUI's sample store (tests/support/sample_store.h, plan
// "demo") as a controller would have left it for a plan that the planner opens, with the space
// stage s1 ran, its train_samples, measured epoch times, and one more finished trial:
//
//   s1 (finished, train_samples 100): t0 finished, best 4.0, lr 0.00125, batch_size 4, four
//       `seconds` rows of 2.5 s; t1 stopped, 2 epochs in 1250 - 1000 = 250 s; t2 failed (no
//       epoch); t5 finished, best 3.0, lr 0.005, batch_size 8, 4 epochs in 1750 - 1000 = 750 s.
//   s2 (running, no train_samples in its spec): t3, t4, left out of the timings.
//
// The plan file: s1 random (3 trials, 4 epochs, 100 samples), s2 narrowed from s1 with
// hyperband (2 trials, 4 epochs, 200 samples), s3 narrowed from s1's whole finished set without
// margin (2 trials, 2 epochs, 50 samples); 2 CPU slots.

#include "support/sample_store.h"

#include <QString>

#include <fstream>

namespace seplab::testsupport {

inline const char *plannerPlanText()
{
    return "name: demo\n"
           "metric: {name: best_val_sisdr, goal: maximize}\n"
           "base_config: no-config.yaml\n"
           "executor: {type: local, cpu_slots: 2}\n"
           "stages:\n"
           "  - name: s1\n"
           "    method: random\n"
           "    trials: 3\n"
           "    epochs: 4\n"
           "    train_samples: 100\n"
           "    parameters:\n"
           "      lr: {distribution: log_uniform_values, min: 1.0e-4, max: 1.0e-2}\n"
           "      batch_size: {values: [4, 8]}\n"
           "  - name: s2\n"
           "    narrow_from: {stage: s1, top_fraction: 0.5, margin: 0.1}\n"
           "    trials: 2\n"
           "    epochs: 4\n"
           "    train_samples: 200\n"
           "    early_terminate: {type: hyperband, min_iter: 1, eta: 2}\n"
           "  - name: s3\n"
           "    narrow_from: {stage: s1, top_fraction: 1.0, margin: 0}\n"
           "    review: true\n"
           "    trials: 2\n"
           "    epochs: 2\n"
           "    train_samples: 50\n";
}

// Writes the store at `storePath` and the plan at `planPath`.
inline SampleStore makePlannerWorkspace(const QString &storePath, const QString &planPath)
{
    std::ofstream(planPath.toStdString()) << plannerPlanText();
    SampleStore sample = makeSampleStore(storePath.toStdString());
    store::ExperimentStore &writer = sample.writer;
    store::StageRecord s1 = *writer.stage(sample.stage1);
    s1.spec["train_samples"] = 100;
    s1.spec["space"] = {{"lr",
                         {{"distribution", "log_uniform_values"}, {"min", 1.0e-4}, {"max", 1.0e-2}}},
                        {"batch_size", {{"values", {4, 8}}}}};
    writer.updateStage(s1);

    store::TrialRecord t5 = sampleTrialRecord(sample.stage1, 5, store::TrialState::Finished, 3.0, 4);
    t5.params = {{"lr", 0.005}, {"batch_size", 8}};
    writer.addTrial(t5);
    std::vector<store::MetricRecord> rows;
    for (int epoch = 1; epoch <= 4; ++epoch)
        rows.push_back({0, sample.trials[0], epoch, "seconds", 2.5, 0.0});
    writer.addMetrics(rows);
    return sample;
}

} // namespace seplab::testsupport
