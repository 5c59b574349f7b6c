#include "core/report/report_analysis.h"

#include "core/report/random_forest.h"
#include "core/report/statistics.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <stdexcept>

namespace seplab::report {

namespace {

const std::set<std::string> kKinds = {"search", "for_each", "validate"};
const std::set<std::string> kStates
    = {"finished", "stopped", "failed", "diverged", "running", "pending"};

// The forest needs a few samples beyond its leaf size before its importance means anything.
constexpr std::size_t kMinForestSamples = 6;

std::optional<double> numericValue(const nlohmann::json &params, const std::string &name)
{
    const auto found = params.find(name);
    if (found == params.end() || !found->is_number())
        return std::nullopt;
    return found->get<double>();
}

// A diverged run may report NaN or inf as its best; it ranks nowhere (and would break the
// strict weak ordering the sorts rely on).
bool hasFiniteBest(const ReportTrial &trial)
{
    return trial.best && std::isfinite(*trial.best);
}

} // namespace

void validateReportInput(const ReportInput &input)
{
    if (input.metricName.empty())
        throw std::invalid_argument("ReportInput.metricName must not be empty.");
    std::set<std::string> names;
    for (const ReportStage &stage : input.stages) {
        if (stage.name.empty())
            throw std::invalid_argument("A ReportStage has an empty name.");
        if (!names.insert(stage.name).second)
            throw std::invalid_argument("Stage name '" + stage.name + "' appears twice.");
        if (!kKinds.count(stage.kind))
            throw std::invalid_argument("Stage '" + stage.name + "' has kind '" + stage.kind
                                        + "'; expected search, for_each or validate.");
        for (const ReportTrial &trial : stage.trials) {
            if (!kStates.count(trial.state))
                throw std::invalid_argument(
                    "Trial '" + trial.name + "' has state '" + trial.state
                    + "'; expected finished, stopped, failed, diverged, running or pending.");
            if (!trial.params.is_object() && !trial.params.is_null())
                throw std::invalid_argument("Trial '" + trial.name
                                            + "' has params that are not a JSON object.");
        }
    }
}

bool isBetter(double candidate, double incumbent, bool maximize)
{
    return maximize ? candidate > incumbent : candidate < incumbent;
}

StageSummary summarizeStage(const ReportStage &stage, bool maximize)
{
    StageSummary summary;
    summary.runs = stage.trials.size();
    for (const ReportTrial &trial : stage.trials) {
        summary.computeSeconds += trial.runtimeSeconds;
        if (trial.state == "finished")
            ++summary.finished;
        else if (trial.state == "stopped")
            ++summary.stopped;
        else if (trial.state == "failed")
            ++summary.failed;
        else if (trial.state == "diverged")
            ++summary.diverged;
        else if (trial.state == "running")
            ++summary.running;
        else if (trial.state == "pending")
            ++summary.pending;
    }
    const auto ranked = rankedTrials(stage, maximize);
    if (!ranked.empty()) {
        summary.best = ranked.front()->best;
        summary.bestTrial = ranked.front()->name;
    }
    return summary;
}

std::vector<const ReportTrial *> rankedTrials(const ReportStage &stage, bool maximize)
{
    std::vector<const ReportTrial *> ranked;
    for (const ReportTrial &trial : stage.trials)
        if (hasFiniteBest(trial))
            ranked.push_back(&trial);
    std::stable_sort(ranked.begin(), ranked.end(), [&](const auto *a, const auto *b) {
        return isBetter(*a->best, *b->best, maximize);
    });
    return ranked;
}

std::vector<ValidationRow> validationRows(const ReportInput &input, const ReportStage &stage)
{
    const ReportStage *previous = nullptr;
    for (const ReportStage &candidate : input.stages)
        if (!stage.previousStage.empty() && candidate.name == stage.previousStage)
            previous = &candidate;

    std::vector<ValidationRow> rows;
    std::map<std::string, std::size_t> rowOfConfig;
    for (const ReportTrial &trial : stage.trials) {
        const std::string config = trial.group.empty() ? trial.name : trial.group;
        auto [found, inserted] = rowOfConfig.emplace(config, rows.size());
        if (inserted) {
            rows.push_back({});
            rows.back().config = config;
            rows.back().firstTrial = &trial;
        }
        ValidationRow &row = rows[found->second];
        const bool finished = trial.state == "finished" && hasFiniteBest(trial);
        row.results.push_back(
            {trial.seed, trial.state, finished ? trial.best : std::optional<double>()});
    }
    for (ValidationRow &row : rows) {
        std::vector<double> values;
        for (const SeedResult &result : row.results)
            if (result.best)
                values.push_back(*result.best);
        if (!values.empty())
            row.mean = mean(values);
        row.std = sampleStd(values);
        if (previous)
            for (const ReportTrial &trial : previous->trials)
                if (trial.name == row.config && hasFiniteBest(trial))
                    row.previousBest = trial.best;
        if (row.mean && row.previousBest)
            row.gain = *row.mean - *row.previousBest;
    }
    std::stable_sort(rows.begin(), rows.end(), [&](const auto &a, const auto &b) {
        if (a.mean && b.mean)
            return isBetter(*a.mean, *b.mean, input.maximize);
        return a.mean.has_value() && !b.mean.has_value();
    });
    for (std::size_t i = 0; i < rows.size(); ++i)
        rows[i].rank = int(i + 1);
    return rows;
}

std::vector<InsightSample> insightSamples(const ReportInput &input)
{
    std::vector<InsightSample> samples;
    for (const ReportStage &stage : input.stages) {
        if (stage.kind == "validate")
            continue;
        for (const ReportTrial &trial : stage.trials)
            if ((trial.state == "finished" || trial.state == "stopped") && hasFiniteBest(trial))
                samples.push_back({&stage, &trial});
    }
    return samples;
}

bool isLogParameter(const ReportInput &input, const std::string &name)
{
    for (const ReportStage &stage : input.stages)
        for (const ReportParameter &parameter : stage.space)
            if (parameter.name == name && parameter.log)
                return true;
    return false;
}

Insights computeInsights(const ReportInput &input, std::vector<std::string> &warnings)
{
    Insights insights;
    const std::vector<InsightSample> samples = insightSamples(input);
    insights.runs = samples.size();
    for (const InsightSample &sample : samples)
        if (std::find(insights.stages.begin(), insights.stages.end(), sample.stage->name)
            == insights.stages.end())
            insights.stages.push_back(sample.stage->name);

    // Numeric parameters only: a name with any non-numeric value (a categorical choice) is
    // left out, since neither a correlation nor a range means anything for it.
    std::set<std::string> names, nonNumeric;
    for (const InsightSample &sample : samples) {
        if (!sample.trial->params.is_object())
            continue;
        for (const auto &[name, value] : sample.trial->params.items()) {
            names.insert(name);
            if (!value.is_number())
                nonNumeric.insert(name);
        }
    }

    std::vector<std::string> forestFeatures;
    for (const std::string &name : names) {
        if (nonNumeric.count(name))
            continue;
        ParameterInsight insight;
        insight.name = name;
        insight.log = isLogParameter(input, name);
        std::vector<std::pair<double, double>> pairs; // (value, metric), best first
        for (const InsightSample &sample : samples)
            if (const auto value = numericValue(sample.trial->params, name))
                pairs.emplace_back(*value, *sample.trial->best);
        if (insight.log
            && std::any_of(pairs.begin(), pairs.end(), [](auto &p) { return p.first <= 0; })) {
            warnings.push_back("Parameter '" + name
                               + "' is log-scaled but has values <= 0; its correlation uses "
                                 "the raw values.");
            insight.log = false;
        }
        std::set<double> distinct;
        for (const auto &pair : pairs)
            distinct.insert(pair.first);
        if (distinct.size() < 2)
            continue; // fixed in every run: nothing to learn about it
        std::vector<double> x, y;
        for (const auto &[value, metric] : pairs) {
            x.push_back(insight.log ? std::log10(value) : value);
            y.push_back(metric);
        }
        insight.samples = pairs.size();
        insight.correlation = pearson(x, y);
        std::stable_sort(pairs.begin(), pairs.end(), [&](const auto &a, const auto &b) {
            return isBetter(a.second, b.second, input.maximize);
        });
        const auto tenth = std::size_t(std::ceil(0.1 * double(pairs.size())));
        insight.topCount = std::min(pairs.size(), std::max<std::size_t>(2, tenth));
        insight.topMin = insight.topMax = pairs.front().first;
        for (std::size_t i = 0; i < insight.topCount; ++i) {
            insight.topMin = std::min(insight.topMin, pairs[i].first);
            insight.topMax = std::max(insight.topMax, pairs[i].first);
        }
        if (insight.samples == samples.size())
            forestFeatures.push_back(name);
        insights.parameters.push_back(insight);
    }

    if (forestFeatures.empty() || samples.size() < kMinForestSamples) {
        if (!samples.empty())
            warnings.push_back("Random-forest importance skipped: it needs at least "
                               + std::to_string(kMinForestSamples)
                               + " finished or stopped search runs and one parameter set in "
                                 "all of them.");
    } else {
        std::vector<std::vector<double>> rows;
        std::vector<double> targets;
        for (const InsightSample &sample : samples) {
            std::vector<double> row;
            for (const std::string &name : forestFeatures) {
                const double value = *numericValue(sample.trial->params, name);
                row.push_back(isLogParameter(input, name) && value > 0 ? std::log10(value) : value);
            }
            rows.push_back(std::move(row));
            targets.push_back(*sample.trial->best);
        }
        const RandomForest forest = RandomForest::fit(rows, targets, ForestOptions{});
        const std::vector<double> importance = forest.permutationImportance();
        for (ParameterInsight &insight : insights.parameters)
            for (std::size_t f = 0; f < forestFeatures.size(); ++f)
                if (forestFeatures[f] == insight.name)
                    insight.importance = importance[f];
    }

    std::stable_sort(insights.parameters.begin(),
                     insights.parameters.end(),
                     [](const ParameterInsight &a, const ParameterInsight &b) {
                         const double ia = a.importance.value_or(-1.0);
                         const double ib = b.importance.value_or(-1.0);
                         if (ia != ib)
                             return ia > ib;
                         const double ca = std::fabs(a.correlation.value_or(0.0));
                         const double cb = std::fabs(b.correlation.value_or(0.0));
                         if (ca != cb)
                             return ca > cb;
                         return a.name < b.name;
                     });
    return insights;
}

} // namespace seplab::report
