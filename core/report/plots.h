#pragma once

// The experiment log's PNG plots, drawn with cairo. When SepLab is built without cairo
// (SEPLAB_HAVE_CAIRO unset) plotsSupported() is false and the plot functions draw nothing, so
// the report can still be written from markdown and CSV alone.

#include "core/report/report_analysis.h"
#include "core/report/report_model.h"

#include <string>

namespace seplab::report {

bool plotsSupported();

// The metric against the epoch for every trial with a curve, the stage's best trial drawn
// thick on top. Returns false (nothing written) when no trial has a curve or without cairo.
bool plotStageCurves(const ReportInput &input, const ReportStage &stage, const std::string &path);

// Each insight sample's parameter value against its metric, one colour per stage, log x axis
// for log parameters. Returns false when no sample has the parameter or without cairo.
bool plotParameterScatter(const ReportInput &input,
                          const ParameterInsight &parameter,
                          const std::string &path);

// The random-forest importance per parameter as horizontal bars, most important on top.
// Returns false when no parameter has an importance or without cairo.
bool plotImportance(const Insights &insights, const std::string &path);

// A file name made of [A-Za-z0-9._-] only ("optimizer.lr" stays, "a/b c" becomes "a_b_c").
std::string plotFileStem(const std::string &name);

} // namespace seplab::report
