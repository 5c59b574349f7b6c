#include "curve_math.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace seplab::ui {

std::vector<CurvePoint> smoothEma(const std::vector<CurvePoint> &points, double weight)
{
    if (!(weight >= 0.0 && weight < 1.0))
        throw std::invalid_argument("smoothing weight must lie in [0, 1).");
    std::vector<CurvePoint> out = points;
    double accumulated = 0.0;
    int count = 0;
    for (CurvePoint &point : out) {
        if (!std::isfinite(point.y))
            continue;
        accumulated = weight * accumulated + (1.0 - weight) * point.y;
        ++count;
        const double debias = 1.0 - std::pow(weight, count);
        point.y = debias > 0.0 ? accumulated / debias : point.y;
    }
    return out;
}

std::vector<CurvePoint> decimateToColumns(const std::vector<CurvePoint> &points, int columns)
{
    if (columns < 1 || points.size() < std::size_t(4) * std::size_t(columns))
        return points;
    const double x0 = points.front().x, x1 = points.back().x;
    const double width = x1 - x0;
    if (!(width > 0.0))
        return points;
    std::vector<CurvePoint> out;
    out.reserve(std::size_t(4) * std::size_t(columns));
    std::size_t begin = 0;
    while (begin < points.size()) {
        const int column = std::min(columns - 1,
                                    int((points[begin].x - x0) / width * double(columns)));
        std::size_t end = begin + 1;
        while (end < points.size()
               && std::min(columns - 1, int((points[end].x - x0) / width * double(columns)))
                      == column)
            ++end;
        std::size_t low = begin, high = begin;
        for (std::size_t i = begin; i < end; ++i) {
            if (points[i].y < points[low].y)
                low = i;
            if (points[i].y > points[high].y)
                high = i;
        }
        // First, extremes in x order, last; each index once.
        std::vector<std::size_t> keep = {begin, std::min(low, high), std::max(low, high), end - 1};
        keep.erase(std::unique(keep.begin(), keep.end()), keep.end());
        for (std::size_t index : keep)
            out.push_back(points[index]);
        begin = end;
    }
    return out;
}

} // namespace seplab::ui
