#include "core/sweep/gaussian_process.h"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <torch/torch.h>

namespace seplab::sweep {

namespace {

const double kSqrt3 = std::sqrt(3.0);
constexpr double kLog2Pi = 1.8378770664093453; // log(2π)
// The length-scale search: a grid with two points per decade over the bounds, then
// golden-section search between the best grid point's neighbours.
constexpr int kGridPoints = 41;
constexpr int kGoldenSteps = 40;
// How close (in log length-scale) to a bound counts as "at the bound".
constexpr double kBoundTolerance = 1e-3;

torch::Tensor matrixOf(const std::vector<std::vector<double>> &rows, std::size_t columns)
{
    torch::Tensor m = torch::empty({std::int64_t(rows.size()), std::int64_t(columns)},
                                   torch::kFloat64);
    auto a = m.accessor<double, 2>();
    for (std::size_t i = 0; i < rows.size(); ++i)
        for (std::size_t j = 0; j < columns; ++j)
            a[std::int64_t(i)][std::int64_t(j)] = rows[i][j];
    return m;
}

torch::Tensor vectorOf(const std::vector<double> &values)
{
    return torch::from_blob(const_cast<double *>(values.data()),
                            {std::int64_t(values.size())},
                            torch::kFloat64)
        .clone();
}

std::vector<double> valuesOf(const torch::Tensor &t)
{
    const torch::Tensor c = t.contiguous();
    return std::vector<double>(c.data_ptr<double>(), c.data_ptr<double>() + c.numel());
}

// Euclidean distances between the rows of a (m×d) and b (n×d), computed directly rather than by
// torch::cdist's matrix-product shortcut, so a point's distance to itself is exactly 0.
torch::Tensor distances(const torch::Tensor &a, const torch::Tensor &b)
{
    const torch::Tensor diff = a.unsqueeze(1) - b.unsqueeze(0);
    return (diff * diff).sum(-1).sqrt();
}

torch::Tensor matern15(const torch::Tensor &distance, double lengthScale)
{
    const torch::Tensor a = distance * (kSqrt3 / lengthScale);
    return (1.0 + a) * torch::exp(-a);
}

std::size_t dimensionOf(const std::vector<std::vector<double>> &points)
{
    return points.empty() ? 0 : points.front().size();
}

} // namespace

double maternKernel15(double distance, double lengthScale)
{
    const double a = kSqrt3 * distance / lengthScale;
    return (1.0 + a) * std::exp(-a);
}

GaussianProcess::GaussianProcess(std::vector<std::vector<double>> points,
                                 std::vector<double> targets)
    : m_points(std::move(points))
    , m_targets(std::move(targets))
{
    if (m_points.empty())
        throw std::invalid_argument("A Gaussian process needs at least one observation.");
    if (m_points.size() != m_targets.size())
        throw std::invalid_argument("A Gaussian process needs as many targets as points.");
    const std::size_t d = dimensionOf(m_points);
    for (const auto &p : m_points)
        if (p.size() != d)
            throw std::invalid_argument("Every point of a Gaussian process needs the same "
                                        "number of coordinates.");
    double sum = 0.0;
    for (const double y : m_targets)
        sum += y;
    m_mean = sum / double(m_targets.size());
    double squares = 0.0;
    for (const double y : m_targets)
        squares += (y - m_mean) * (y - m_mean);
    const double stddev = std::sqrt(squares / double(m_targets.size()));
    // scikit-learn keeps a zero spread at 1 so constant targets stay finite.
    m_scale = stddev > 0.0 ? stddev : 1.0;
    for (const double y : m_targets)
        m_standardised.push_back((y - m_mean) / m_scale);
}

double GaussianProcess::logMarginalLikelihood(double lengthScale) const
{
    const std::size_t n = m_points.size();
    const torch::Tensor x = matrixOf(m_points, dimensionOf(m_points));
    const torch::Tensor k = matern15(distances(x, x), lengthScale)
                            + kNugget * torch::eye(std::int64_t(n), torch::kFloat64);
    const auto [factor, info] = torch::linalg_cholesky_ex(k);
    if (info.item<std::int64_t>() != 0)
        return -std::numeric_limits<double>::infinity();
    const torch::Tensor y = vectorOf(m_standardised).unsqueeze(1);
    const torch::Tensor alpha = torch::cholesky_solve(y, factor);
    const double fit = (y * alpha).sum().item<double>();
    const double logDet = factor.diagonal().log().sum().item<double>();
    return -0.5 * fit - logDet - 0.5 * double(n) * kLog2Pi;
}

GaussianProcess GaussianProcess::fit(std::vector<std::vector<double>> points,
                                     std::vector<double> targets)
{
    GaussianProcess gp(std::move(points), std::move(targets));
    const double lo = std::log(kMinLengthScale), hi = std::log(kMaxLengthScale);
    const double step = (hi - lo) / double(kGridPoints - 1);
    int best = 0;
    double bestValue = -std::numeric_limits<double>::infinity();
    for (int i = 0; i < kGridPoints; ++i) {
        const double value = gp.logMarginalLikelihood(std::exp(lo + step * i));
        if (value > bestValue) { // the first of equal values: the search is deterministic
            bestValue = value;
            best = i;
        }
    }
    // Golden-section search for the maximum between the best grid point's neighbours.
    double a = lo + step * std::max(0, best - 1);
    double b = lo + step * std::min(kGridPoints - 1, best + 1);
    const double ratio = (std::sqrt(5.0) - 1.0) / 2.0;
    double c = b - ratio * (b - a), d = a + ratio * (b - a);
    double fc = gp.logMarginalLikelihood(std::exp(c)), fd = gp.logMarginalLikelihood(std::exp(d));
    for (int i = 0; i < kGoldenSteps; ++i) {
        if (fc >= fd) {
            b = d;
            d = c;
            fd = fc;
            c = b - ratio * (b - a);
            fc = gp.logMarginalLikelihood(std::exp(c));
        } else {
            a = c;
            c = d;
            fc = fd;
            d = a + ratio * (b - a);
            fd = gp.logMarginalLikelihood(std::exp(d));
        }
    }
    double logScale = 0.5 * (a + b);
    // Keep the grid point when the refinement found nothing better (a flat likelihood).
    if (gp.logMarginalLikelihood(std::exp(logScale)) < bestValue)
        logScale = lo + step * best;
    gp.factorise(std::exp(logScale));
    return gp;
}

GaussianProcess GaussianProcess::withLengthScale(std::vector<std::vector<double>> points,
                                                 std::vector<double> targets,
                                                 double lengthScale)
{
    if (!(lengthScale > 0.0))
        throw std::invalid_argument("The length-scale of a Gaussian process must be positive.");
    GaussianProcess gp(std::move(points), std::move(targets));
    gp.factorise(lengthScale);
    return gp;
}

bool GaussianProcess::lengthScaleAtBound() const
{
    const double logScale = std::log(m_lengthScale);
    return std::abs(logScale - std::log(kMinLengthScale)) < kBoundTolerance
           || std::abs(logScale - std::log(kMaxLengthScale)) < kBoundTolerance;
}

void GaussianProcess::factorise(double lengthScale)
{
    m_lengthScale = lengthScale;
    const std::size_t n = m_points.size();
    const torch::Tensor x = matrixOf(m_points, dimensionOf(m_points));
    const torch::Tensor k = matern15(distances(x, x), lengthScale)
                            + kNugget * torch::eye(std::int64_t(n), torch::kFloat64);
    const auto [factor, info] = torch::linalg_cholesky_ex(k);
    if (info.item<std::int64_t>() != 0)
        throw std::invalid_argument("The Gaussian process's kernel matrix is not positive "
                                    "definite at length-scale "
                                    + std::to_string(lengthScale) + ".");
    m_cholesky = valuesOf(factor);
    m_alpha = valuesOf(torch::cholesky_solve(vectorOf(m_standardised).unsqueeze(1), factor));
}

void GaussianProcess::predict(const std::vector<std::vector<double>> &points,
                              std::vector<double> &mean,
                              std::vector<double> &stddev) const
{
    mean.clear();
    stddev.clear();
    if (points.empty())
        return;
    const std::size_t d = dimensionOf(m_points);
    for (const auto &p : points)
        if (p.size() != d)
            throw std::invalid_argument("A prediction point needs " + std::to_string(d)
                                        + " coordinates.");
    const auto n = std::int64_t(m_points.size());
    const torch::Tensor x = matrixOf(m_points, d);
    const torch::Tensor query = matrixOf(points, d);
    const torch::Tensor cross = matern15(distances(query, x), m_lengthScale); // m×n
    const torch::Tensor factor = vectorOf(m_cholesky).view({n, n});
    const torch::Tensor mu = torch::matmul(cross, vectorOf(m_alpha));
    // Posterior variance k(x,x) − k*ᵀ K⁻¹ k* = 1 − |L⁻¹ k*|², with k(x,x) = 1 (no nugget, as
    // scikit-learn predicts); clamped at 0 against rounding.
    const torch::Tensor v = torch::linalg_solve_triangular(factor, cross.t(), /*upper=*/false);
    const torch::Tensor variance = (1.0 - (v * v).sum(0)).clamp_min(0.0);
    mean = valuesOf(mu * m_scale + m_mean);
    stddev = valuesOf(variance.sqrt() * m_scale);
}

} // namespace seplab::sweep
