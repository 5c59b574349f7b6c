#pragma once

// What compute_budget.h needs, taken from a plan and a store: each stage's trials, epochs,
// samples and early-termination bands; the epoch times the store measured; and the
// `seplab-cli bench train` command line that measures one when the store has none.

#include "core/store/experiment_store.h"
#include "core/sweep/compute_budget.h"
#include "core/sweep/plan.h"

#include <optional>
#include <string>
#include <vector>

namespace seplab::sweep {

// One input per stage. Trials: a search stage's `trials` (a grid's size when it has none and
// its own parameters; unknown for a narrowed grid), top_k × the grid for for_each, top_k × the
// seeds for validate. Concurrency: `parallel`, at most the executor's slots. Bands: the
// early-termination rule's decision epochs below the stage's epochs, with survival 1/eta for
// hyperband and ASHA; median stopping gets none (its stops depend on the values).
std::vector<StageBudgetInput> budgetInputs(const Plan &plan);

// Trials a plan's executor runs at once on one device: slots_per_gpu with GPUs, else cpu_slots.
int trialsPerDevice(const ExecutorPlan &executor);

struct MeasuredEpochs
{
    std::vector<EpochTiming> timings;
    int share = 1;      // trialsPerDevice() of the plan that measured them
    std::string source; // "412 epochs of plan 'x' in S.db"
};

// Epoch times of the store's trials that trained like `plan`: those of the stored plan of the
// same name read at the same scale, else of every stored plan with the same training config.
// A trial's epochs are its `seconds` metric rows (one per epoch, as seplab-cli train reports
// them), else its run time over its epochs once it ended; a stage without train_samples in its
// spec is left out. Empty timings when nothing matches.
MeasuredEpochs measuredEpochs(const store::ExperimentStore &store, const Plan &plan);

// The training config the plan's trials start from (its base_config made absolute), or empty.
std::string trainingConfigPath(const Plan &plan);

// `seplab-cli` arguments that time training steps of the plan's model at its batch and segment
// length (the training config's model.model_type, data.batch_size and data.segment_seconds; a
// config without a segment trains on whole clips, for which bench's default clip length stands
// in), on the plan's first GPU or the CPU: 1 / samples_per_s of its output is the seconds per
// sample and epoch of the training steps (validation is not included). Throws
// std::invalid_argument naming the config when it is missing or names no model.
std::vector<std::string> benchTrainArguments(const Plan &plan);

} // namespace seplab::sweep
