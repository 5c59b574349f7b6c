#pragma once

// The few statistics the experiment log needs, written out so that the report library stays
// free of torch and every number in the log can be checked by hand.

#include <optional>
#include <vector>

namespace seplab::report {

// Arithmetic mean. Throws std::invalid_argument for an empty sample.
double mean(const std::vector<double> &values);

// Sample standard deviation (n - 1 in the denominator, as the users' mean±std tables over
// seeds use); nullopt for fewer than two values.
std::optional<double> sampleStd(const std::vector<double> &values);

// Quantile q in [0, 1] with linear interpolation between order statistics (numpy's default,
// "type 7"). Throws std::invalid_argument for an empty sample or q outside [0, 1].
double quantile(std::vector<double> values, double q);

// Pearson correlation coefficient; nullopt when the sizes differ from each other, there are
// fewer than two pairs, or either side has zero variance (the coefficient is undefined then).
std::optional<double> pearson(const std::vector<double> &x, const std::vector<double> &y);

// Ranks 1..n, ties given the mean of the ranks they span.
std::vector<double> averageRanks(const std::vector<double> &values);

// Spearman's rank correlation: Pearson over average ranks, so ties are handled exactly.
std::optional<double> spearman(const std::vector<double> &x, const std::vector<double> &y);

} // namespace seplab::report
