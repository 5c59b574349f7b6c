#pragma once

// The numbers behind the experiment log, computed once and shared by the markdown, the CSVs
// and the plots: per-stage counts, the validation table and the hyperparameter insights.

#include "core/report/report_model.h"

#include <optional>
#include <string>
#include <vector>

namespace seplab::report {

// Throws std::invalid_argument (one sentence naming the field) for an empty metric name, an
// unknown stage kind or trial state, a duplicate stage name or params that are not an object.
void validateReportInput(const ReportInput &input);

bool isBetter(double candidate, double incumbent, bool maximize);

struct StageSummary
{
    std::size_t runs = 0, finished = 0, stopped = 0, failed = 0, diverged = 0, running = 0,
                pending = 0;
    std::optional<double> best;
    std::string bestTrial;
    double computeSeconds = 0; // sum of the trials' runtimes
};
StageSummary summarizeStage(const ReportStage &stage, bool maximize);

// The stage's trials that have a best value, best first (ties keep the stage's order).
std::vector<const ReportTrial *> rankedTrials(const ReportStage &stage, bool maximize);

struct SeedResult
{
    std::int64_t seed = 0;
    std::string state;
    std::optional<double> best; // set for finished trials only
};

struct ValidationRow
{
    int rank = 0;
    std::string config; // the group: the promoted trial's name in previousStage
    std::vector<SeedResult> results;
    std::optional<double> mean; // over the finished seeds
    std::optional<double> std;  // sample std over the finished seeds
    std::optional<double> previousBest;
    std::optional<double> gain; // mean - previousBest
    const ReportTrial *firstTrial = nullptr;
};
// Groups a validate stage's trials by config, ranked by mean (configs without a finished seed
// last); the gain is measured against the config's own best in stage.previousStage.
std::vector<ValidationRow> validationRows(const ReportInput &input, const ReportStage &stage);

// Finished and stopped trials with a best value from the search and for_each stages: the
// runs the insights are computed over (validation repeats configs over seeds, so it would
// weigh those configs several times).
struct InsightSample
{
    const ReportStage *stage;
    const ReportTrial *trial;
};
std::vector<InsightSample> insightSamples(const ReportInput &input);

struct ParameterInsight
{
    std::string name;
    bool log = false;
    std::size_t samples = 0;
    std::optional<double> correlation; // Pearson of (log10) value with the metric
    std::optional<double> importance;  // random-forest permutation importance, sums to 1
    std::size_t topCount = 0;          // trials in the top 10% (at least 2)
    double topMin = 0, topMax = 0;     // the parameter's range over them
};

struct Insights
{
    std::vector<std::string> stages;
    std::size_t runs = 0;
    std::vector<ParameterInsight> parameters; // by importance, then |correlation|, then name
};
// Numeric parameters that vary over the samples; warnings says why importance was skipped.
Insights computeInsights(const ReportInput &input, std::vector<std::string> &warnings);

// True when any stage's space marks the parameter as log-scaled.
bool isLogParameter(const ReportInput &input, const std::string &name);

} // namespace seplab::report
