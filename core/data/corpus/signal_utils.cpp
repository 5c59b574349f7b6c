#include "core/data/corpus/signal_utils.h"

#include <algorithm>
#include <cmath>

namespace seplab::data::corpus {

namespace {
constexpr double kPi = 3.14159265358979323846;
}

double meanSquare(const Signal &x)
{
    if (x.empty())
        return 0.0;
    double sum = 0.0;
    for (double v : x)
        sum += v * v;
    return sum / double(x.size());
}

double rms(const Signal &x)
{
    return std::sqrt(meanSquare(x));
}

double peak(const Signal &x)
{
    double maximum = 0.0;
    for (double v : x)
        maximum = std::max(maximum, std::fabs(v));
    return maximum;
}

void scale(Signal &x, double gain)
{
    for (double &v : x)
        v *= gain;
}

void normalizeRms(Signal &x)
{
    const double level = rms(x);
    if (level > 0.0)
        scale(x, 1.0 / level);
}

void onePoleLowpass(Signal &x, double cutoffHz, int rate)
{
    const double a = std::exp(-2.0 * kPi * cutoffHz / rate);
    double y = 0.0;
    for (double &v : x) {
        y = (1.0 - a) * v + a * y;
        v = y;
    }
}

void onePoleHighpass(Signal &x, double cutoffHz, int rate)
{
    const double a = std::exp(-2.0 * kPi * cutoffHz / rate);
    double y = 0.0;
    double previous = 0.0;
    for (double &v : x) {
        y = a * (y + v - previous);
        previous = v;
        v = y;
    }
}

void fadeIn(Signal &x, std::size_t length)
{
    length = std::min(length, x.size());
    for (std::size_t i = 0; i < length; ++i)
        x[i] *= 0.5 - 0.5 * std::cos(kPi * double(i) / double(length));
}

void fadeOut(Signal &x, std::size_t length)
{
    length = std::min(length, x.size());
    for (std::size_t i = 0; i < length; ++i)
        x[x.size() - 1 - i] *= 0.5 - 0.5 * std::cos(kPi * double(i) / double(length));
}

void addAt(Signal &y, const Signal &x, long offset, double gain)
{
    const long begin = std::max(0L, -offset);
    const long end = std::min(long(x.size()), long(y.size()) - offset);
    for (long i = begin; i < end; ++i)
        y[std::size_t(i + offset)] += gain * x[std::size_t(i)];
}

} // namespace seplab::data::corpus
