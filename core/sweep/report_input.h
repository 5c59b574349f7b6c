#pragma once

// The experiment log's input, read from the store: what `seplab-cli report` and the
// workbench's one-click report write (core/report does the writing; this file only reads).

#include "core/report/report_model.h"
#include "core/store/experiment_store.h"

#include <string>

namespace seplab::sweep {

// Every stage of plan `planName` (empty: the store's latest plan). Throws std::runtime_error
// naming the store when it has no such plan.
report::ReportInput reportInputFromStore(const store::ExperimentStore &store,
                                         const std::string &planName);

} // namespace seplab::sweep
