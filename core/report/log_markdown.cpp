#include "core/report/log_markdown.h"

#include "core/report/markdown_tables.h"

#include <algorithm>
#include <cmath>

namespace seplab::report {

namespace {

constexpr std::size_t kTopTrials = 5;

struct Context
{
    const ReportInput &input;
    std::string unit;
    const ReportStage *find(const std::string &name) const
    {
        for (const ReportStage &stage : input.stages)
            if (stage.name == name)
                return &stage;
        return nullptr;
    }
};

std::string orDash(const std::string &text)
{
    return text.empty() ? "-" : text;
}

// A stage's epochs: the planned count, or for a stage that plans none (an external program
// stops itself) the most any of its trials reported, as "up to N".
std::string epochsText(const ReportStage &stage)
{
    if (stage.epochs > 0)
        return std::to_string(stage.epochs) + " epochs";
    int most = 0;
    for (const ReportTrial &trial : stage.trials)
        most = std::max(most, trial.epochs);
    return most > 0 ? "up to " + std::to_string(most) + " epochs" : std::string();
}

// A stage without train_samples trains on what its program reads: no size is known to show.
std::string dataText(const ReportStage &stage)
{
    return stage.trainSamples > 0 ? dataSizeText(stage.trainSamples) : std::string();
}

std::string dataAndEpochs(const ReportStage &stage)
{
    const std::string data = dataText(stage), epochs = epochsText(stage);
    if (!data.empty() && !epochs.empty())
        return data + " → " + epochs;
    return orDash(data.empty() ? epochs : data);
}

std::string image(const std::map<std::string, std::string> &paths,
                  const std::string &key,
                  const std::string &alt)
{
    const auto found = paths.find(key);
    return found == paths.end() ? std::string() : "![" + alt + "](" + found->second + ")\n\n";
}

std::string overview(const Context &c, const PlotIndex &plots)
{
    const ReportInput &in = c.input;
    std::string md = "# " + in.planName + " - Experiment Log\n\n## Overview\n\n";
    md += "**Plan**: " + in.planName + "  \n";
    md += "**Model**: " + orDash(in.model) + "  \n";
    md += "**Task**: " + orDash(in.task) + "  \n";
    md += "**Metric**: " + in.metricName + (in.maximize ? " (maximize)" : " (minimize)") + "  \n";
    if (!in.generatedAt.empty())
        md += "**Generated**: " + in.generatedAt + "  \n";
    if (!plots.supported)
        md += "\n_Plots skipped: this SepLab was built without cairo, so no PNG plots were "
              "written._\n";
    md += "\n---\n\n## Strategy\n\n";
    std::vector<std::vector<std::string>> rows;
    for (const ReportStage &stage : in.stages) {
        const StageSummary summary = summarizeStage(stage, in.maximize);
        std::string best = summary.best ? metricText(*summary.best, c.unit) : "n/a";
        if (stage.kind == "validate") {
            const auto validation = validationRows(in, stage);
            best = !validation.empty() && validation.front().mean
                       ? metricText(*validation.front().mean, c.unit) + " (mean)"
                       : "n/a";
        }
        rows.push_back({stage.name,
                        stage.kind,
                        orDash(stage.method),
                        dataAndEpochs(stage),
                        std::to_string(summary.runs),
                        best,
                        hoursText(summary.computeSeconds)});
    }
    md += markdownTable(
        {"Stage", "Kind", "Method", "Data → Epochs", "Trials", "Best " + in.metricName, "Compute"},
        rows);
    return md + "\n---\n\n";
}

std::string stageCounts(const Context &c, const ReportStage &stage)
{
    const StageSummary s = summarizeStage(stage, c.input.maximize);
    std::string runs = std::to_string(s.runs) + " (" + std::to_string(s.finished) + " finished";
    if (s.running > 0)
        runs += ", " + std::to_string(s.running) + " running";
    if (s.pending > 0)
        runs += ", " + std::to_string(s.pending) + " pending";
    runs += ")";
    std::string failed = std::to_string(s.failed);
    if (s.diverged > 0)
        failed += " (+" + std::to_string(s.diverged) + " diverged)";
    const std::string best = s.best
                                 ? "**" + metricText(*s.best, c.unit) + "** (" + s.bestTrial + ")"
                                 : "n/a";
    return markdownTable({"Metric", "Value"},
                         {{"Runs", runs},
                          {"Stopped", std::to_string(s.stopped)},
                          {"Failed", failed},
                          {"Best " + c.input.metricName, best},
                          {"Runtime", hoursText(stage.wallSeconds) + " wall"},
                          {"Compute", hoursText(s.computeSeconds) + " (sum of trial runtimes)"},
                          {"Early Termination",
                           stage.earlyTerminate.empty() ? "none" : stage.earlyTerminate}})
           + "\n";
}

std::string spaceAndProvenance(const ReportStage &stage)
{
    std::string md;
    if (!stage.space.empty()) {
        md += std::string("**Search Space** (") + (stage.provenance.empty() ? "given" : "derived")
              + "):\n";
        for (const ReportParameter &parameter : stage.space)
            md += "- " + parameter.name + ": " + parameter.range + "\n";
        md += "\n";
    }
    if (!stage.provenance.empty()) {
        md += stage.kind == "validate" ? "**How the configs were chosen**:\n"
                                       : "**How it was derived**:\n";
        for (const std::string &line : stage.provenance)
            md += "- " + line + "\n";
        md += "\n";
    }
    return md;
}

std::vector<std::string> paramNames(const std::vector<const ReportTrial *> &trials)
{
    std::vector<std::string> names;
    for (const ReportTrial *trial : trials)
        if (trial->params.is_object())
            for (const auto &item : trial->params.items())
                if (std::find(names.begin(), names.end(), item.key()) == names.end())
                    names.push_back(item.key());
    std::sort(names.begin(), names.end());
    return names;
}

std::string paramCell(const ReportTrial &trial, const std::string &name)
{
    return trial.params.is_object() && trial.params.contains(name)
               ? paramText(trial.params.at(name))
               : "-";
}

// Wall seconds per epoch of a trial (process start to end, over its epochs): "450", "3.2".
std::string secondsPerEpochText(const ReportTrial &trial)
{
    if (trial.epochs <= 0 || trial.runtimeSeconds <= 0)
        return "-";
    const double perEpoch = trial.runtimeSeconds / trial.epochs;
    return fixed(perEpoch, perEpoch >= 100 ? 0 : 1);
}

std::string topTrials(const Context &c, const ReportStage &stage)
{
    auto ranked = rankedTrials(stage, c.input.maximize);
    if (ranked.empty())
        return "_No trial has reported " + c.input.metricName + " yet._\n\n";
    if (ranked.size() > kTopTrials)
        ranked.resize(kTopTrials);
    const bool grouped = std::any_of(ranked.begin(), ranked.end(), [](const ReportTrial *t) {
        return !t->group.empty();
    });
    const std::vector<std::string> names = paramNames(ranked);
    std::vector<std::string> header = {"Rank", "Trial", "State"};
    if (grouped)
        header.push_back("Config");
    // Device and wall seconds per epoch, so that GPU packing never hides a slowdown.
    header.insert(header.end(), {c.input.metricName, "Epochs", "Device", "s/epoch"});
    header.insert(header.end(), names.begin(), names.end());
    std::vector<std::vector<std::string>> rows;
    for (std::size_t i = 0; i < ranked.size(); ++i) {
        const ReportTrial &trial = *ranked[i];
        std::vector<std::string> row = {std::to_string(i + 1), trial.name, trial.state};
        if (grouped)
            row.push_back(orDash(trial.group));
        row.insert(row.end(),
                   {metricText(*trial.best, c.unit),
                    std::to_string(trial.epochs),
                    orDash(trial.device),
                    secondsPerEpochText(trial)});
        for (const std::string &name : names)
            row.push_back(paramCell(trial, name));
        rows.push_back(std::move(row));
    }
    return "**Top " + std::to_string(ranked.size()) + " trials**:\n\n" + markdownTable(header, rows)
           + "\n";
}

// for_each: the best grid point around each promoted config (the Exp B "best [lr_factor,
// lr_patience] per config" lines).
std::string bestPerConfig(const Context &c, const ReportStage &stage)
{
    std::vector<std::string> groups;
    for (const ReportTrial &trial : stage.trials)
        if (!trial.group.empty()
            && std::find(groups.begin(), groups.end(), trial.group) == groups.end())
            groups.push_back(trial.group);
    if (groups.empty())
        return {};
    std::vector<std::string> header = {"Config", "Trials", "Best Trial", c.input.metricName};
    for (const ReportParameter &parameter : stage.space)
        header.push_back(parameter.name);
    std::vector<std::vector<std::string>> rows;
    for (const std::string &group : groups) {
        std::size_t count = 0;
        const ReportTrial *best = nullptr;
        for (const ReportTrial &trial : stage.trials) {
            if (trial.group != group)
                continue;
            ++count;
            if (trial.best && (!best || isBetter(*trial.best, *best->best, c.input.maximize)))
                best = &trial;
        }
        std::vector<std::string> row = {group,
                                        std::to_string(count),
                                        best ? best->name : "n/a",
                                        best ? metricText(*best->best, c.unit) : "n/a"};
        for (const ReportParameter &parameter : stage.space)
            row.push_back(best ? paramCell(*best, parameter.name) : "-");
        rows.push_back(std::move(row));
    }
    return "**Best per config**:\n\n" + markdownTable(header, rows) + "\n";
}

std::string seedResults(const ValidationRow &row, const std::string &unit)
{
    std::string values, others;
    for (const SeedResult &result : row.results) {
        if (result.best)
            values += (values.empty() ? "" : ", ") + fixed(*result.best, 2);
        else
            others += (others.empty() ? "" : "; ") + std::string("seed ")
                      + std::to_string(result.seed) + ": " + result.state;
    }
    std::string text = values.empty() ? std::string() : values + unit;
    if (!others.empty())
        text += (text.empty() ? "(" : " (") + others + ")";
    return text;
}

std::string validationSection(const Context &c, const ReportStage &stage)
{
    const auto rows = validationRows(c.input, stage);
    if (rows.empty())
        return "_No validation runs yet._\n\n";
    const ReportStage *previous = c.find(stage.previousStage);
    const bool sizesKnown = previous && !dataText(*previous).empty() && !dataText(stage).empty();
    const std::string gainTitle = sizesKnown ? dataText(*previous) + "→" + dataText(stage) + " Gain"
                                             : "Gain";
    std::vector<std::vector<std::string>> table;
    for (const ValidationRow &row : rows)
        table.push_back({std::to_string(row.rank),
                         row.config,
                         row.mean ? metricText(*row.mean, c.unit) : "n/a",
                         row.std ? fixed(*row.std, 2) : "n/a",
                         row.gain ? signedMetricText(*row.gain, c.unit) : "n/a",
                         seedResults(row, c.unit)});
    std::string md = markdownTable({"Rank",
                                    "Config",
                                    "Mean " + c.input.metricName,
                                    "Std",
                                    gainTitle,
                                    "Individual Results"},
                                   table)
                     + "\n";
    const ValidationRow &winner = rows.front();
    if (!winner.mean)
        return md;
    std::size_t finished = 0;
    for (const SeedResult &result : winner.results)
        finished += result.best ? 1 : 0;
    md += "**Winner**: " + winner.config + " (" + metricText(*winner.mean, c.unit) + " mean over "
          + std::to_string(finished) + (finished == 1 ? " seed" : " seeds") + ")\n\n";
    std::string params;
    if (winner.firstTrial && winner.firstTrial->params.is_object())
        for (const auto &item : winner.firstTrial->params.items())
            if (item.key() != "seed")
                params += (params.empty() ? "" : " | ") + item.key() + ": "
                          + paramText(item.value());
    if (!params.empty())
        md += "**Final Hyperparameters**:\n- " + params + "\n\n";
    return md;
}

std::string stageSection(const Context &c, const ReportStage &stage, const PlotIndex &plots)
{
    std::string md = "## Stage " + stage.name + ": " + stage.kind;
    if (!stage.method.empty())
        md += " (" + stage.method + ")";
    if (!dataText(stage).empty())
        md += ", " + dataText(stage) + " samples";
    if (!epochsText(stage).empty())
        md += ", " + epochsText(stage);
    md += "\n\n";
    md += stageCounts(c, stage);
    md += spaceAndProvenance(stage);
    if (stage.kind == "validate") {
        md += validationSection(c, stage);
    } else {
        md += topTrials(c, stage);
        if (stage.kind == "for_each")
            md += bestPerConfig(c, stage);
    }
    md += image(plots.stageCurves,
                stage.name,
                stage.name + ": " + c.input.metricName + " per epoch");
    return md + "---\n\n";
}

std::string insightsSection(const Context &c, const Insights &insights, const PlotIndex &plots)
{
    std::string md = "## Key Hyperparameter Insights\n\n";
    if (insights.parameters.empty())
        return md
               + "_No finished or stopped search runs with varying numeric parameters "
                 "yet._\n\n---\n\n";
    std::string stages;
    for (const std::string &name : insights.stages)
        stages += (stages.empty() ? "" : ", ") + name;
    md += "From " + std::to_string(insights.runs) + " finished or stopped runs across " + stages
          + ". Correlation: Pearson of the value (log10 for log parameters) with "
          + c.input.metricName
          + ". Importance: a seeded random forest's out-of-bag permutation importance, "
            "summing to 1.\n\n";
    std::vector<std::vector<std::string>> rows;
    for (const ParameterInsight &p : insights.parameters)
        rows.push_back({p.name + (p.log ? " (log)" : ""),
                        correlationText(p.correlation),
                        p.importance ? fixed(*p.importance, 2) : "n/a",
                        "[" + paramText(p.topMin) + ", " + paramText(p.topMax) + "] ("
                            + std::to_string(p.topCount) + " runs)"});
    md += markdownTable({"Parameter", "Correlation", "Importance", "Top 10% Range"}, rows) + "\n";
    const ParameterInsight &lead = insights.parameters.front();
    if (lead.correlation) {
        const bool helps = (*lead.correlation > 0) == c.input.maximize;
        md += std::string("**Strongest predictor**: ") + lead.name
              + (lead.importance ? " (importance " + fixed(*lead.importance, 2) + ", " : " (")
              + "correlation " + correlationText(lead.correlation) + "): higher values "
              + (helps ? "help" : "hurt") + ".\n\n";
    }
    if (!plots.importance.empty())
        md += "![importance](" + plots.importance + ")\n\n";
    for (const ParameterInsight &p : insights.parameters)
        md += image(plots.scatter, p.name, p.name + " vs " + c.input.metricName);
    return md + "---\n\n";
}

std::string computeSection(const Context &c)
{
    std::vector<std::vector<std::string>> rows;
    std::size_t trials = 0;
    double wall = 0, compute = 0;
    for (const ReportStage &stage : c.input.stages) {
        const StageSummary s = summarizeStage(stage, c.input.maximize);
        rows.push_back({stage.name,
                        std::to_string(s.runs),
                        hoursText(stage.wallSeconds),
                        hoursText(s.computeSeconds)});
        trials += s.runs;
        wall += stage.wallSeconds;
        compute += s.computeSeconds;
    }
    rows.push_back(
        {"**Total**", std::to_string(trials), hoursText(wall), "**" + hoursText(compute) + "**"});
    return "## Compute Hours\n\n"
           + markdownTable({"Stage", "Trials", "Wall", "Compute Hours"}, rows);
}

} // namespace

std::string experimentLogMarkdown(const ReportInput &input,
                                  const Insights &insights,
                                  const PlotIndex &plots)
{
    const Context c{input, metricUnit(input.metricName)};
    std::string md = overview(c, plots);
    for (const ReportStage &stage : input.stages)
        md += stageSection(c, stage, plots);
    md += insightsSection(c, insights, plots);
    md += computeSection(c);
    return md;
}

} // namespace seplab::report
