#pragma once

// A small, seeded regression random forest (Breiman 2001) for the report's hyperparameter
// importance. Hand-written because Debian's mlpack 4.0 has no regression forest (only a
// classifier), and the report library must stay free of torch; the data sets are a few
// hundred trials by a handful of parameters, so a plain CART builder is fast enough.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace seplab::report {

struct ForestOptions
{
    int trees = 200;
    // Features tried per split; 0 means max(1, features / 3), the usual regression default.
    int featuresPerSplit = 0;
    int minSamplesLeaf = 2;
    int maxDepth = 16;
    std::uint64_t seed = 1;
};

class RandomForest
{
public:
    // rows[i] holds sample i's features; every row must have the same positive length and
    // there must be at least two rows. Throws std::invalid_argument otherwise.
    static RandomForest fit(const std::vector<std::vector<double>> &rows,
                            const std::vector<double> &targets,
                            const ForestOptions &options = {});

    double predict(const std::vector<double> &row) const;

    // Mean decrease in impurity (summed squared-error reduction per feature over all splits),
    // normalised to sum 1; all zeros when no split was made.
    std::vector<double> impurityImportance() const;

    // Out-of-bag permutation importance: per tree, the rise in squared error on the samples
    // the tree did not see when one feature's values are shuffled among them; averaged over
    // trees, negatives clipped to 0 (a feature cannot help less than not at all), normalised
    // to sum 1. All zeros when no feature helps. Seeded by the forest's seed.
    std::vector<double> permutationImportance() const;

    std::size_t featureCount() const { return m_featureCount; }

private:
    struct Node
    {
        int feature = -1; // -1: a leaf
        double threshold = 0.0;
        int left = -1;
        int right = -1;
        double value = 0.0;
    };
    struct Tree
    {
        std::vector<Node> nodes;
        std::vector<std::size_t> outOfBag;
    };

    double predictTree(const Tree &tree, const std::vector<double> &row) const;

    std::vector<std::vector<double>> m_rows;
    std::vector<double> m_targets;
    std::vector<Tree> m_trees;
    std::vector<double> m_impurityDecrease;
    std::size_t m_featureCount = 0;
    std::uint64_t m_seed = 1;

    friend class TreeBuilder;
};

} // namespace seplab::report
