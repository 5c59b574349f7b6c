#include "core/report/experiment_log.h"

#include "core/report/log_markdown.h"
#include "core/report/plots.h"
#include "core/report/report_analysis.h"
#include "core/report/report_csv.h"

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <system_error>

namespace seplab::report {

namespace {

namespace fs = std::filesystem;

void createFolder(const fs::path &folder)
{
    std::error_code error;
    fs::create_directories(folder, error);
    if (error || !fs::is_directory(folder))
        throw std::runtime_error("Cannot create the report folder " + folder.string() + ": "
                                 + (error ? error.message() : "it is not a folder") + ".");
}

void writeText(const fs::path &path, const std::string &text, ReportOutput &output)
{
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    if (file)
        file << text;
    file.close();
    if (!file)
        throw std::runtime_error("Cannot write " + path.string() + ".");
    output.files.push_back(path.string());
}

PlotIndex drawPlots(const ReportInput &input,
                    const Insights &insights,
                    const fs::path &outDir,
                    ReportOutput &output)
{
    PlotIndex index;
    index.supported = plotsSupported();
    if (!index.supported) {
        output.warnings.push_back(
            "Plots skipped: this SepLab was built without cairo (install libcairo2-dev and "
            "rebuild to get them).");
        return index;
    }
    const fs::path folder = outDir / "plots";
    createFolder(folder);
    auto record = [&](const std::string &file) {
        output.files.push_back((folder / file).string());
        return "plots/" + file;
    };
    for (const ReportStage &stage : input.stages) {
        const std::string file = plotFileStem(stage.name) + "-curves.png";
        if (plotStageCurves(input, stage, (folder / file).string()))
            index.stageCurves[stage.name] = record(file);
    }
    for (const ParameterInsight &parameter : insights.parameters) {
        const std::string file = plotFileStem(parameter.name) + "-scatter.png";
        if (plotParameterScatter(input, parameter, (folder / file).string()))
            index.scatter[parameter.name] = record(file);
    }
    if (plotImportance(insights, (folder / "importance.png").string()))
        index.importance = record("importance.png");
    return index;
}

} // namespace

ReportOutput writeExperimentLog(const ReportInput &input, const std::string &outDir)
{
    validateReportInput(input);
    const fs::path folder(outDir);
    createFolder(folder);
    ReportOutput output;
    const Insights insights = computeInsights(input, output.warnings);
    const PlotIndex plots = drawPlots(input, insights, folder, output);
    writeText(folder / "experiment-log.md", experimentLogMarkdown(input, insights, plots), output);
    writeText(folder / "trials.csv", trialsCsv(input).text(), output);
    writeText(folder / "validation.csv", validationCsv(input).text(), output);
    writeText(folder / "insights.csv", insightsCsv(insights).text(), output);
    return output;
}

} // namespace seplab::report
