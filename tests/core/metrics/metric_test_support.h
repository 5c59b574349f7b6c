#pragma once

// Test helpers shared by the metric tests: tensor <-> vector conversion, a tolerance compare
// that prints both values, and a central finite difference. The straight-loop reference SI-SDR
// lives in tests/support/reference_si_sdr.h, shared with the CLI tests.

#include "support/reference_si_sdr.h"

#include <QStringList>
#include <QTest>

#include <cmath>
#include <functional>
#include <limits>
#include <torch/torch.h>
#include <vector>

#define SEPLAB_COMPARE_NEAR(actual, expected, tolerance) \
    do { \
        const double a_ = (actual); \
        const double e_ = (expected); \
        QVERIFY2(std::abs(a_ - e_) <= (tolerance), \
                 qPrintable(QStringLiteral("got %1, expected %2 (tolerance %3)") \
                                .arg(a_, 0, 'g', 17) \
                                .arg(e_, 0, 'g', 17) \
                                .arg(double(tolerance)))); \
    } while (false)

namespace seplab::test {

inline std::vector<double> toVector(const at::Tensor &t)
{
    const at::Tensor c = t.detach().to(torch::kCPU, torch::kDouble).contiguous();
    return {c.data_ptr<double>(), c.data_ptr<double>() + c.numel()};
}

// "[2, 3, 64]", the way LibTorch prints sizes, so that a failed QCOMPARE shows both shapes.
inline QString shapeString(const at::Tensor &t)
{
    QStringList dims;
    for (int64_t d : t.sizes())
        dims << QString::number(d);
    return QLatin1Char('[') + dims.join(QStringLiteral(", ")) + QLatin1Char(']');
}

// d f / d x[flatIndex] by a central difference; x must be float64 and contiguous.
inline double centralDifference(const std::function<double(const at::Tensor &)> &f,
                                const at::Tensor &x,
                                int64_t flatIndex,
                                double step = 1e-6)
{
    at::Tensor plus = x.detach().clone();
    at::Tensor minus = x.detach().clone();
    plus.view({-1})[flatIndex] += step;
    minus.view({-1})[flatIndex] -= step;
    return (f(plus) - f(minus)) / (2.0 * step);
}

} // namespace seplab::test
