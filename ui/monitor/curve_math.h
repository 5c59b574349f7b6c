#pragma once

// The arithmetic behind the live charts, kept apart from the widgets so that it is tested on
// exact numbers: TensorBoard/W&B-style smoothing and decimation to the plot's pixel width.

#include <vector>

namespace seplab::ui {

struct CurvePoint
{
    double x = 0.0;
    double y = 0.0;
};

// Exponential moving average with the start-up bias removed, as TensorBoard and W&B smooth a
// curve: s_k = w*s_{k-1} + (1-w)*y_k, shown as s_k / (1 - w^k). weight 0 returns the points
// unchanged; weight must lie in [0, 1). Non-finite values pass through and do not enter the
// average, so one NaN epoch does not blank the rest of a curve.
std::vector<CurvePoint> smoothEma(const std::vector<CurvePoint> &points, double weight);

// At most about 4 points per pixel column: the points (sorted by x) are split into `columns`
// equal x-buckets and each bucket keeps its first, lowest, highest and last point, in x order.
// A chart drawn from the result looks the same as one drawn from every point (every extreme
// survives) while QLineSeries::replace() stays cheap. Fewer than 4*columns points are returned
// unchanged.
std::vector<CurvePoint> decimateToColumns(const std::vector<CurvePoint> &points, int columns);

} // namespace seplab::ui
