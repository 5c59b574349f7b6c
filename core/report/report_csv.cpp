#include "core/report/report_csv.h"

#include "core/report/markdown_tables.h"

#include <algorithm>
#include <set>

namespace seplab::report {

namespace {

std::string optionalNumber(const std::optional<double> &value)
{
    return value ? exactNumber(*value) : std::string();
}

std::string cellOf(const nlohmann::json &value)
{
    if (value.is_string())
        return value.get<std::string>();
    if (value.is_number_float())
        return exactNumber(value.get<double>());
    return value.dump();
}

} // namespace

CsvTable trialsCsv(const ReportInput &input)
{
    std::vector<std::string> header = {"stage",
                                       "trial",
                                       "state",
                                       "group",
                                       "best",
                                       "epochs",
                                       "runtime_s",
                                       "seed",
                                       "device",
                                       "train_samples_note"};
    std::set<std::string> names;
    for (const ReportStage &stage : input.stages)
        for (const ReportTrial &trial : stage.trials)
            if (trial.params.is_object())
                for (const auto &item : trial.params.items())
                    names.insert(item.key());
    const std::size_t fixedColumns = header.size();
    // A parameter named like a fixed column ("seed") gets a prefix rather than a twin column.
    for (const std::string &name : names)
        header.push_back(std::find(header.begin(), header.begin() + long(fixedColumns), name)
                                 != header.begin() + long(fixedColumns)
                             ? "param:" + name
                             : name);
    CsvTable table(header);
    for (const ReportStage &stage : input.stages)
        for (const ReportTrial &trial : stage.trials) {
            std::vector<std::string> row = {stage.name,
                                            trial.name,
                                            trial.state,
                                            trial.group,
                                            optionalNumber(trial.best),
                                            std::to_string(trial.epochs),
                                            exactNumber(trial.runtimeSeconds),
                                            std::to_string(trial.seed),
                                            trial.device,
                                            trial.trainSamplesNote};
            for (const std::string &name : names) {
                const bool has = trial.params.is_object() && trial.params.contains(name);
                row.push_back(has ? cellOf(trial.params.at(name)) : std::string());
            }
            table.addRow(std::move(row));
        }
    return table;
}

CsvTable validationCsv(const ReportInput &input)
{
    CsvTable table({"stage",
                    "rank",
                    "config",
                    "mean",
                    "std",
                    "previous_stage",
                    "previous_best",
                    "gain",
                    "finished",
                    "seeds",
                    "results"});
    for (const ReportStage &stage : input.stages) {
        if (stage.kind != "validate")
            continue;
        for (const ValidationRow &row : validationRows(input, stage)) {
            std::string seeds, results;
            std::size_t finished = 0;
            for (const SeedResult &result : row.results) {
                seeds += (seeds.empty() ? "" : ";") + std::to_string(result.seed);
                results += (results.empty() ? "" : ";")
                           + (result.best ? exactNumber(*result.best) : result.state);
                finished += result.best ? 1 : 0;
            }
            table.addRow({stage.name,
                          std::to_string(row.rank),
                          row.config,
                          optionalNumber(row.mean),
                          optionalNumber(row.std),
                          stage.previousStage,
                          optionalNumber(row.previousBest),
                          optionalNumber(row.gain),
                          std::to_string(finished),
                          seeds,
                          results});
        }
    }
    return table;
}

CsvTable insightsCsv(const Insights &insights)
{
    CsvTable table(
        {"parameter", "log", "samples", "pearson", "importance", "top_count", "top_min", "top_max"});
    for (const ParameterInsight &parameter : insights.parameters)
        table.addRow({parameter.name,
                      parameter.log ? "true" : "false",
                      std::to_string(parameter.samples),
                      optionalNumber(parameter.correlation),
                      optionalNumber(parameter.importance),
                      std::to_string(parameter.topCount),
                      exactNumber(parameter.topMin),
                      exactNumber(parameter.topMax)});
    return table;
}

} // namespace seplab::report
