#pragma once

// The compute a plan will take, before it runs: the stage planner's "estimated compute budget".
// Pure arithmetic (no torch, no store, no Qt); plan_budget.h turns a plan and a store into
// these inputs.
//
// Per stage, with T trials of E epochs on N training samples, and s the seconds one trial
// spends per training sample per epoch (measured, or 1 / samples_per_s of `bench train`):
//
//   trial-seconds   T × E' × N × s
//   device-hours    trial-seconds / share / 3600   (share: trials that ran at once on one
//                                                   device while s was measured)
//   wall-hours      trial-seconds / min(T, concurrency) / 3600
//
// E' is E for the upper bound (every trial runs every epoch). The expected figure applies
// successive halving's idealised survival: early termination decides at bands b0 < b1 < ...
// below E, and a fraction r of the trials that reach a band goes on past it (r = 1/eta: W&B's
// hyperband keeps the runs not worse than the floor(n/eta)+1-th best of the n that reached a
// band, ASHA the top max(1, floor(n/eta))). So
//
//   E' = b0 + r (b1 - b0) + r² (b2 - b1) + ... + r^K (E - b(K-1))
//
// which is E without bands (no early termination, or median stopping, whose stops depend on
// the values). It ignores the trainer's own early stopping and trials that fail, both of which
// only shorten a stage, and a promotion that finds fewer than top_k diverse configurations.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace seplab::sweep {

struct StageBudgetInput
{
    std::string name;
    std::optional<std::int64_t> trials; // unknown: a grid whose size the derivation decides
    std::optional<int> epochs;
    std::optional<std::int64_t> trainSamples;
    std::vector<int> bands; // early-termination decision epochs; those at or above E are ignored
    double survival = 1.0;  // fraction of trials going on past each band
    int concurrency = 1;    // trials of the stage running at once
};

struct EpochRate
{
    double secondsPerSampleEpoch = 0.0;
    int share = 1;      // trials per device while it was measured
    std::string source; // one line: where the rate comes from
};

struct StageBudget
{
    std::string name;
    std::string unknown; // why the stage has no estimate ("no epochs"), empty when it has one
    double trials = 0.0;
    double epochs = 0.0;         // E
    double expectedEpochs = 0.0; // E'
    double upperDeviceHours = 0.0;
    double expectedDeviceHours = 0.0;
    double expectedWallHours = 0.0;
};

struct ComputeBudget
{
    std::vector<StageBudget> stages;
    double upperDeviceHours = 0.0; // sums over the stages with an estimate
    double expectedDeviceHours = 0.0;
    double expectedWallHours = 0.0;
    int unknownStages = 0;
};

// E' above. Throws std::invalid_argument for epochs < 1 or survival outside (0, 1].
double expectedEpochs(int epochs, std::vector<int> bands, double survival);

// Throws std::invalid_argument for a rate that is not positive or a share below 1.
ComputeBudget estimateBudget(const std::vector<StageBudgetInput> &stages, const EpochRate &rate);

// One trial's measured epochs: `epochs` epochs on `trainSamples` samples took `seconds`.
struct EpochTiming
{
    std::int64_t trainSamples = 0;
    int epochs = 0;
    double seconds = 0.0;
};

// Σ seconds / Σ (trainSamples × epochs) over the timings with positive values; nullopt when
// none has.
std::optional<double> secondsPerSampleEpoch(const std::vector<EpochTiming> &timings);

} // namespace seplab::sweep
