#include "core/report/plots.h"

#include <algorithm>
#include <cctype>
#include <cmath>

#if defined(SEPLAB_HAVE_CAIRO)
#include "core/report/plot_canvas.h"
#endif

namespace seplab::report {

std::string plotFileStem(const std::string &name)
{
    std::string stem = name;
    for (char &c : stem)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != '_')
            c = '_';
    return stem.empty() ? "_" : stem;
}

#if defined(SEPLAB_HAVE_CAIRO)

namespace {

constexpr int kWidth = 900;
constexpr int kHeight = 560;

// Tableau-like colours, distinct in print and for the common colour-vision deficiencies.
const Colour kPalette[] = {{0.12, 0.47, 0.71},
                           {1.00, 0.50, 0.05},
                           {0.17, 0.63, 0.17},
                           {0.84, 0.15, 0.16},
                           {0.58, 0.40, 0.74},
                           {0.55, 0.34, 0.29},
                           {0.89, 0.47, 0.76},
                           {0.50, 0.50, 0.50}};

Colour paletteColour(std::size_t index)
{
    return kPalette[index % (sizeof kPalette / sizeof kPalette[0])];
}

std::string direction(const ReportInput &input)
{
    return input.maximize ? " (higher is better)" : " (lower is better)";
}

} // namespace

bool plotsSupported()
{
    return true;
}

bool plotStageCurves(const ReportInput &input, const ReportStage &stage, const std::string &path)
{
    double xLow = 0, xHigh = 0, yLow = 0, yHigh = 0;
    bool any = false;
    for (const ReportTrial &trial : stage.trials)
        for (const auto &[epoch, value] : trial.curve) {
            if (!std::isfinite(value))
                continue;
            xLow = any ? std::min(xLow, double(epoch)) : epoch;
            xHigh = any ? std::max(xHigh, double(epoch)) : epoch;
            yLow = any ? std::min(yLow, value) : value;
            yHigh = any ? std::max(yHigh, value) : value;
            any = true;
        }
    if (!any)
        return false;
    const auto ranked = rankedTrials(stage, input.maximize);
    const ReportTrial *best = ranked.empty() ? nullptr : ranked.front();

    PlotCanvas canvas(kWidth, kHeight, stage.name + ": " + input.metricName + " per epoch");
    canvas.setRanges(xLow, xHigh, yLow, yHigh);
    canvas.drawAxes("epoch", input.metricName + direction(input));
    const Colour others{0.45, 0.55, 0.70, 0.35};
    const Colour highlight = paletteColour(3);
    for (const ReportTrial &trial : stage.trials) {
        if (&trial == best)
            continue;
        std::vector<std::pair<double, double>> points;
        for (const auto &[epoch, value] : trial.curve)
            if (std::isfinite(value))
                points.emplace_back(epoch, value);
        canvas.polyline(points, others, 1.0);
    }
    std::vector<std::pair<std::string, Colour>> legend = {{"other trials", others}};
    if (best) {
        std::vector<std::pair<double, double>> points;
        for (const auto &[epoch, value] : best->curve)
            if (std::isfinite(value))
                points.emplace_back(epoch, value);
        canvas.polyline(points, highlight, 3.0);
        legend.insert(legend.begin(), {"best: " + best->name, highlight});
    }
    canvas.legend(legend);
    canvas.savePng(path);
    return true;
}

bool plotParameterScatter(const ReportInput &input,
                          const ParameterInsight &parameter,
                          const std::string &path)
{
    struct Point
    {
        double x, y;
        std::size_t stage;
    };
    std::vector<Point> points;
    std::vector<std::string> stages;
    for (const InsightSample &sample : insightSamples(input)) {
        const auto found = sample.trial->params.find(parameter.name);
        if (found == sample.trial->params.end() || !found->is_number())
            continue;
        const double x = found->get<double>();
        if (parameter.log && x <= 0)
            continue;
        auto stage = std::find(stages.begin(), stages.end(), sample.stage->name);
        if (stage == stages.end())
            stage = stages.insert(stages.end(), sample.stage->name);
        points.push_back({x, *sample.trial->best, std::size_t(stage - stages.begin())});
    }
    if (points.empty())
        return false;
    auto [xMin, xMax] = std::minmax_element(points.begin(), points.end(), [](auto &a, auto &b) {
        return a.x < b.x;
    });
    auto [yMin, yMax] = std::minmax_element(points.begin(), points.end(), [](auto &a, auto &b) {
        return a.y < b.y;
    });
    double xLow = xMin->x, xHigh = xMax->x;
    if (parameter.log) {
        // Pad by a twentieth of the decades spanned, in log space, so no dot sits on the frame.
        const double pad = std::max(0.05, (std::log10(xHigh) - std::log10(xLow)) * 0.05);
        xLow /= std::pow(10.0, pad);
        xHigh *= std::pow(10.0, pad);
    } else {
        const double pad = (xHigh - xLow) * 0.05;
        xLow -= pad;
        xHigh += pad;
    }
    PlotCanvas canvas(kWidth, kHeight, parameter.name + " vs " + input.metricName);
    canvas.setRanges(xLow, xHigh, yMin->y, yMax->y, parameter.log);
    canvas.drawAxes(parameter.name, input.metricName + direction(input));
    for (const Point &point : points) {
        Colour colour = paletteColour(point.stage);
        colour.a = 0.75;
        canvas.dot(point.x, point.y, colour, 4.0);
    }
    std::vector<std::pair<std::string, Colour>> legend;
    for (std::size_t i = 0; i < stages.size(); ++i)
        legend.emplace_back(stages[i], paletteColour(i));
    canvas.legend(legend);
    canvas.savePng(path);
    return true;
}

bool plotImportance(const Insights &insights, const std::string &path)
{
    std::vector<const ParameterInsight *> rows;
    for (const ParameterInsight &parameter : insights.parameters)
        if (parameter.importance)
            rows.push_back(&parameter);
    if (rows.empty())
        return false;
    double highest = 0.0;
    std::size_t longest = 0;
    for (const ParameterInsight *row : rows) {
        highest = std::max(highest, *row->importance);
        longest = std::max(longest, row->name.size());
    }
    const int height = std::max(240, 80 + 36 * int(rows.size()));
    PlotCanvas canvas(kWidth, height, "Random-forest permutation importance");
    canvas.setLeftMargin(std::min(360.0, 20.0 + 7.0 * double(longest)));
    // 10% headroom so that the longest bar stops short of the frame.
    canvas.setRanges(0.0, std::max(highest * 1.1, 0.05), 0.0, 1.0);
    canvas.drawAxes("importance (all parameters sum to 1)", "");
    for (std::size_t i = 0; i < rows.size(); ++i)
        canvas.horizontalBar(int(i),
                             int(rows.size()),
                             *rows[i]->importance,
                             rows[i]->name,
                             paletteColour(0));
    canvas.savePng(path);
    return true;
}

#else // without cairo: the report says that the plots were skipped

bool plotsSupported()
{
    return false;
}

bool plotStageCurves(const ReportInput &, const ReportStage &, const std::string &)
{
    return false;
}

bool plotParameterScatter(const ReportInput &, const ParameterInsight &, const std::string &)
{
    return false;
}

bool plotImportance(const Insights &, const std::string &)
{
    return false;
}

#endif

} // namespace seplab::report
