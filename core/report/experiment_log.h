#pragma once

// The experiment log a plan's report consists of: experiment-log.md, trials.csv,
// validation.csv, insights.csv and (with cairo) plots/<stage>-curves.png,
// plots/<param>-scatter.png and plots/importance.png.

#include "core/report/report_model.h"

#include <string>

namespace seplab::report {

// Creates outDir (and outDir/plots) and writes the files; ReportOutput::files lists them in
// the order written, as outDir-prefixed paths. Throws std::invalid_argument for an
// inconsistent input and std::runtime_error naming the path on an I/O failure.
ReportOutput writeExperimentLog(const ReportInput &input, const std::string &outDir);

} // namespace seplab::report
