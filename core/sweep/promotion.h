#pragma once

// Promotion: which of an earlier stage's finished trials go on (a plan's
// `promote: {from, top_k, diverse, min_distance}`).
//
// The trials are ranked by value (best first; ties keep the given order). Without `diverse` the
// first top_k are promoted. With it, trials are taken in rank order and one closer than
// min_distance to a trial already promoted this way is skipped, until top_k are promoted or the
// ranking is exhausted; if fewer than top_k were promoted, the best skipped ones fill up the
// rest (their reason says so). The distance is Euclidean in the CDF-normalised [0, 1]^d space of
// the d non-constant parameters (each value through its own Parameter::cdf, as W&B's bayes
// search encodes configurations), divided by sqrt(d) so that it lies in [0, 1]. With no
// non-constant parameter every trial is the same point and diversity is not applied.
// The result is in rank order (best first), at most top_k entries.

#include "core/sweep/narrowing.h"

#include <string>
#include <vector>

namespace seplab::sweep {

struct PromotionSpec
{
    std::string from;
    int topK = 5;
    bool diverse = true;
    double minDistance = 0.15;
};

struct Promoted
{
    std::size_t index; // into the trials given
    // "rank 1", "rank 3, distance 0.22 from rank 1", or for a fill-up "rank 2, filled in:
    // distance 0.04 to rank 1 < 0.15 (too few diverse trials)".
    std::string reason;
};

// Throws std::invalid_argument for top_k below 1, a negative min_distance, or (with diverse) a
// trial whose configuration lacks a non-constant parameter or holds a value its CDF refuses.
std::vector<Promoted> promoteTopK(const SearchSpace &space,
                                  const std::vector<RankedTrial> &trials,
                                  const PromotionSpec &spec,
                                  bool maximize);

// The normalised distance between two configurations as promoteTopK measures it (0 when the
// space has no non-constant parameter). Throws as promoteTopK does.
double configurationDistance(const SearchSpace &space,
                             const nlohmann::json &a,
                             const nlohmann::json &b);

} // namespace seplab::sweep
