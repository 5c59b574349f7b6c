#pragma once

// What a parameter's distribution looks like: a histogram of 200 seeded draws, as the
// search-space editor's live preview shows it. Categorical forms get one bar per value; numbers
// get equal-width bins over the draws' range, in log space for log distributions (so that
// log_uniform_values looks flat, as it should). No Qt.

#include "core/sweep/parameter.h"

#include <cstdint>
#include <string>
#include <vector>

namespace seplab::ui {

struct Histogram
{
    std::vector<std::string> labels; // one per bar: the value, or the bin's lower edge
    std::vector<int> counts;         // sums to the number of draws
    bool logBins = false;
};

Histogram previewHistogram(const sweep::Parameter &parameter,
                           int draws = 200,
                           int bins = 12,
                           std::uint64_t seed = 1);

} // namespace seplab::ui
