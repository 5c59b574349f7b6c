#include "sample_preview.h"

#include "core/data/deterministic_random.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace seplab::ui {

using nlohmann::json;

namespace {

std::string label(double value)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.3g", value);
    return text;
}

std::string valueText(const json &value)
{
    return value.is_string() ? value.get<std::string>() : value.dump();
}

} // namespace

Histogram previewHistogram(const sweep::Parameter &parameter,
                           int draws,
                           int bins,
                           std::uint64_t seed)
{
    Histogram histogram;
    data::SplitMix64 rng(seed);
    std::vector<json> samples;
    for (int i = 0; i < draws; ++i)
        samples.push_back(parameter.sample(rng));

    if (parameter.isConstant() || parameter.isCategorical()) {
        const std::vector<json> values = parameter.isConstant()
                                             ? std::vector<json>{parameter.value()}
                                             : parameter.values();
        histogram.counts.assign(values.size(), 0);
        for (const json &value : values)
            histogram.labels.push_back(valueText(value));
        for (const json &sample : samples) {
            const auto found = std::find(values.begin(), values.end(), sample);
            ++histogram.counts[std::size_t(found - values.begin())];
        }
        return histogram;
    }

    histogram.logBins = parameter.isLog();
    std::vector<double> xs;
    for (const json &sample : samples) {
        const double x = sample.get<double>();
        // A log distribution's draws are positive; guard anyway (log_normal of a q form can
        // round to 0).
        xs.push_back(histogram.logBins ? std::log(std::max(x, 1e-300)) : x);
    }
    const auto [lowIt, highIt] = std::minmax_element(xs.begin(), xs.end());
    const double low = *lowIt, high = *highIt;
    if (!(high > low)) {
        histogram.labels.push_back(label(samples.front().get<double>()));
        histogram.counts.push_back(draws);
        return histogram;
    }
    const double width = (high - low) / bins;
    histogram.counts.assign(std::size_t(bins), 0);
    for (int b = 0; b < bins; ++b) {
        const double edge = low + b * width;
        histogram.labels.push_back(label(histogram.logBins ? std::exp(edge) : edge));
    }
    for (double x : xs)
        ++histogram.counts[std::size_t(std::min(bins - 1, int((x - low) / width)))];
    return histogram;
}

} // namespace seplab::ui
