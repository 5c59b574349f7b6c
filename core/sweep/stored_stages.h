#pragma once

// The stages of a plan as the store keeps them, read back for a derivation: the controller
// derives a stage from them when it starts it, and the GUI's stage planner derives the same
// stage from them to show (and let the user edit) the narrowed ranges before it starts.

#include "core/store/experiment_store.h"
#include "core/sweep/stage_derivation.h"

#include <cstdint>

namespace seplab::sweep {

// The derivation a stored stage ran with (its spec's space, fixed trials and provenance).
DerivedStage storedDerivation(const store::StageRecord &record);

// Earlier stages of plan `planId` as the store holds them when called: the space a stage ran
// with, and its finished trials that reported the metric. `store` must outlive the result.
// A stage index the store does not have -> std::runtime_error naming it.
EarlierStages earlierStagesFromStore(const store::ExperimentStore &store, std::int64_t planId);

} // namespace seplab::sweep
