#pragma once

// Small sample-level helpers shared by the corpus' signal generators (double precision; the
// layers become float32 only when a row is finished).

#include <cstddef>
#include <vector>

namespace seplab::data::corpus {

using Signal = std::vector<double>;

double meanSquare(const Signal &x);
double rms(const Signal &x);
double peak(const Signal &x);
void scale(Signal &x, double gain);
// Scales x to unit RMS; a silent x stays silent.
void normalizeRms(Signal &x);
// First-order low/high-pass filters; enough to colour noise, no need for a flat passband.
void onePoleLowpass(Signal &x, double cutoffHz, int rate);
void onePoleHighpass(Signal &x, double cutoffHz, int rate);
// Raised-cosine fade over `length` samples at the start or at the end.
void fadeIn(Signal &x, std::size_t length);
void fadeOut(Signal &x, std::size_t length);
// y[offset + i] += x[i] where it lands inside y; offset may be negative.
void addAt(Signal &y, const Signal &x, long offset, double gain = 1.0);

} // namespace seplab::data::corpus
