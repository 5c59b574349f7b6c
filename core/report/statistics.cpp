#include "core/report/statistics.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace seplab::report {

double mean(const std::vector<double> &values)
{
    if (values.empty())
        throw std::invalid_argument("mean: the sample is empty.");
    return std::accumulate(values.begin(), values.end(), 0.0) / double(values.size());
}

std::optional<double> sampleStd(const std::vector<double> &values)
{
    if (values.size() < 2)
        return std::nullopt;
    const double centre = mean(values);
    double squares = 0.0;
    for (double value : values)
        squares += (value - centre) * (value - centre);
    return std::sqrt(squares / double(values.size() - 1));
}

double quantile(std::vector<double> values, double q)
{
    if (values.empty())
        throw std::invalid_argument("quantile: the sample is empty.");
    if (!(q >= 0.0 && q <= 1.0))
        throw std::invalid_argument("quantile: q must lie in [0, 1].");
    std::sort(values.begin(), values.end());
    const double position = q * double(values.size() - 1);
    const auto lower = std::size_t(std::floor(position));
    const std::size_t upper = std::min(lower + 1, values.size() - 1);
    const double fraction = position - double(lower);
    return values[lower] + fraction * (values[upper] - values[lower]);
}

std::optional<double> pearson(const std::vector<double> &x, const std::vector<double> &y)
{
    if (x.size() != y.size() || x.size() < 2)
        return std::nullopt;
    const double mx = mean(x);
    const double my = mean(y);
    double sxy = 0.0, sxx = 0.0, syy = 0.0;
    for (std::size_t i = 0; i < x.size(); ++i) {
        sxy += (x[i] - mx) * (y[i] - my);
        sxx += (x[i] - mx) * (x[i] - mx);
        syy += (y[i] - my) * (y[i] - my);
    }
    if (sxx <= 0.0 || syy <= 0.0)
        return std::nullopt;
    return sxy / std::sqrt(sxx * syy);
}

std::vector<double> averageRanks(const std::vector<double> &values)
{
    std::vector<std::size_t> order(values.size());
    std::iota(order.begin(), order.end(), std::size_t(0));
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return values[a] < values[b];
    });
    std::vector<double> ranks(values.size());
    for (std::size_t start = 0; start < order.size();) {
        std::size_t end = start + 1;
        while (end < order.size() && values[order[end]] == values[order[start]])
            ++end;
        // Positions start..end-1 hold ranks start+1..end; their mean is (start + 1 + end) / 2.
        const double rank = double(start + 1 + end) / 2.0;
        for (std::size_t i = start; i < end; ++i)
            ranks[order[i]] = rank;
        start = end;
    }
    return ranks;
}

std::optional<double> spearman(const std::vector<double> &x, const std::vector<double> &y)
{
    if (x.size() != y.size())
        return std::nullopt;
    return pearson(averageRanks(x), averageRanks(y));
}

} // namespace seplab::report
