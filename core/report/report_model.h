#pragma once

// The experiment log's input: a plain description of a plan's stages and trials. The sweep
// controller fills it from the store (core/sweep/report_input.h); core/report never reads the
// store, so that the report can be tested on hand-made inputs and written without SQLite.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace seplab::report {

struct ReportTrial
{
    std::string name;                          // "stage1-007"
    std::string state;                         // finished|stopped|failed|diverged|running|pending
    nlohmann::json params;                     // {name: value} (flat dotted names)
    std::optional<double> best;                // best metric value
    std::vector<std::pair<int, double>> curve; // (epoch, metric value)
    double runtimeSeconds = 0;                 // wall time of the trial process
    int epochs = 0;
    std::int64_t seed = 0;
    std::string device;
    // validation/for_each: the promoted config this trial belongs to ("stage3-012"), else empty.
    std::string group;
    std::string trainSamplesNote; // optional
};

// range as text: "[1e-05, 0.01] log_uniform_values", "[2, 3, 4]"
struct ReportParameter
{
    std::string name;
    bool log = false;
    std::string range;
};

struct ReportStage
{
    std::string name;
    std::string kind; // search | for_each | validate
    std::string method;
    std::string earlyTerminate; // "hyperband min_iter 10, eta 3, strict" or ""
    std::int64_t trainSamples = 0;
    int epochs = 0;
    std::vector<ReportParameter> space; // the search space as it was run
    // Sentences: how ranges/configs were derived ("lr: top 10 of 40 ... -> [5e-4, 2e-3]").
    std::vector<std::string> provenance;
    std::vector<ReportTrial> trials;
    double wallSeconds = 0; // stage wall-clock
    // For validate: the stage whose data size the "gain" is measured against.
    std::string previousStage;
};

struct ReportInput
{
    std::string planName;
    std::string metricName;
    bool maximize = true;
    std::string model;
    std::string task;
    std::vector<ReportStage> stages;
    std::string generatedAt;
};

struct ReportOutput
{
    std::vector<std::string> files; // every file written, as paths under outDir
    std::vector<std::string> warnings;
};

} // namespace seplab::report
