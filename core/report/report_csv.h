#pragma once

// The report's CSVs: trials.csv (one row per trial, every parameter a column),
// validation.csv (one row per validated config) and insights.csv (one row per parameter).
// Numbers keep full precision so that the files can be analysed further.

#include "core/report/csv_writer.h"
#include "core/report/report_analysis.h"
#include "core/report/report_model.h"

namespace seplab::report {

CsvTable trialsCsv(const ReportInput &input);
CsvTable validationCsv(const ReportInput &input);
CsvTable insightsCsv(const Insights &insights);

} // namespace seplab::report
