#pragma once

// experiment-log.md, shaped like the users' hand-written DPRNN log: overview, the strategy
// table, one section per stage (counts, runtime, search space and provenance, top trials or
// the validation table), the hyperparameter insights and the compute hours.

#include "core/report/report_analysis.h"
#include "core/report/report_model.h"

#include <map>
#include <string>

namespace seplab::report {

// The plots that were written, as paths relative to the report folder.
struct PlotIndex
{
    bool supported = false;
    std::map<std::string, std::string> stageCurves; // stage name -> "plots/stage1-curves.png"
    std::map<std::string, std::string> scatter;     // parameter -> "plots/lr-scatter.png"
    std::string importance;                         // empty when not drawn
};

std::string experimentLogMarkdown(const ReportInput &input,
                                  const Insights &insights,
                                  const PlotIndex &plots);

} // namespace seplab::report
