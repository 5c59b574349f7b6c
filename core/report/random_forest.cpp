#include "core/report/random_forest.h"

#include <algorithm>
#include <numeric>
#include <stdexcept>
#include <string>

namespace seplab::report {

namespace {

// splitmix64, as in core/data/deterministic_random.h. Repeated here because that file is
// compiled into seplab_core, which links torch, and this library must not; the forest only
// needs the bare generator.
class Generator
{
public:
    explicit Generator(std::uint64_t seed)
        : m_state(seed)
    {}
    std::uint64_t next()
    {
        std::uint64_t z = (m_state += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    // Uniform in [0, n) by rejection, so small n carry no modulo bias.
    std::size_t below(std::size_t n)
    {
        const std::uint64_t limit = ~std::uint64_t(0) - (~std::uint64_t(0) % n);
        std::uint64_t draw = next();
        while (draw >= limit)
            draw = next();
        return std::size_t(draw % n);
    }

private:
    std::uint64_t m_state;
};

template<typename T>
void shuffle(std::vector<T> &items, Generator &generator)
{
    for (std::size_t i = items.size(); i > 1; --i)
        std::swap(items[i - 1], items[generator.below(i)]);
}

double meanOf(const std::vector<double> &targets, const std::vector<std::size_t> &samples)
{
    double sum = 0.0;
    for (std::size_t sample : samples)
        sum += targets[sample];
    return sum / double(samples.size());
}

} // namespace

class TreeBuilder
{
public:
    TreeBuilder(RandomForest &forest, const ForestOptions &options, Generator &generator)
        : m_forest(forest)
        , m_options(options)
        , m_generator(generator)
    {}

    int build(std::vector<RandomForest::Node> &nodes, std::vector<std::size_t> samples, int depth)
    {
        const int index = int(nodes.size());
        nodes.push_back({});
        nodes[std::size_t(index)].value = meanOf(m_forest.m_targets, samples);
        Split split;
        if (depth < m_options.maxDepth
            && samples.size() >= std::size_t(2 * m_options.minSamplesLeaf))
            split = bestSplit(samples);
        if (split.feature < 0)
            return index;
        m_forest.m_impurityDecrease[std::size_t(split.feature)] += split.decrease;
        std::vector<std::size_t> left, right;
        for (std::size_t sample : samples)
            (m_forest.m_rows[sample][std::size_t(split.feature)] <= split.threshold ? left : right)
                .push_back(sample);
        const int leftIndex = build(nodes, std::move(left), depth + 1);
        const int rightIndex = build(nodes, std::move(right), depth + 1);
        RandomForest::Node &node = nodes[std::size_t(index)];
        node.feature = split.feature;
        node.threshold = split.threshold;
        node.left = leftIndex;
        node.right = rightIndex;
        return index;
    }

private:
    struct Split
    {
        int feature = -1;
        double threshold = 0.0;
        double decrease = 0.0;
    };

    Split bestSplit(const std::vector<std::size_t> &samples)
    {
        const auto &rows = m_forest.m_rows;
        const auto &targets = m_forest.m_targets;
        std::vector<std::size_t> features(m_forest.m_featureCount);
        std::iota(features.begin(), features.end(), std::size_t(0));
        shuffle(features, m_generator);
        std::size_t tried = m_options.featuresPerSplit > 0
                                ? std::size_t(m_options.featuresPerSplit)
                                : std::max<std::size_t>(1, features.size() / 3);
        tried = std::min(tried, features.size());

        const double n = double(samples.size());
        double total = 0.0, totalSquares = 0.0;
        for (std::size_t sample : samples) {
            total += targets[sample];
            totalSquares += targets[sample] * targets[sample];
        }
        const double parentError = totalSquares - total * total / n;
        const auto leaf = std::size_t(m_options.minSamplesLeaf);

        Split best;
        std::vector<std::size_t> order = samples;
        for (std::size_t f = 0; f < tried; ++f) {
            const std::size_t feature = features[f];
            std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
                return rows[a][feature] < rows[b][feature];
            });
            double leftSum = 0.0, leftSquares = 0.0;
            for (std::size_t i = 0; i + 1 < order.size(); ++i) {
                const double y = targets[order[i]];
                leftSum += y;
                leftSquares += y * y;
                const std::size_t leftCount = i + 1;
                const double here = rows[order[i]][feature];
                const double next = rows[order[i + 1]][feature];
                if (leftCount < leaf || order.size() - leftCount < leaf || !(here < next))
                    continue;
                const double rightSum = total - leftSum;
                const double rightSquares = totalSquares - leftSquares;
                const double rightCount = n - double(leftCount);
                const double error = (leftSquares - leftSum * leftSum / double(leftCount))
                                     + (rightSquares - rightSum * rightSum / rightCount);
                const double decrease = parentError - error;
                if (decrease > best.decrease + 1e-12) {
                    best.feature = int(feature);
                    best.threshold = here + (next - here) / 2.0;
                    best.decrease = decrease;
                }
            }
        }
        return best;
    }

    RandomForest &m_forest;
    const ForestOptions &m_options;
    Generator &m_generator;
};

RandomForest RandomForest::fit(const std::vector<std::vector<double>> &rows,
                               const std::vector<double> &targets,
                               const ForestOptions &options)
{
    if (rows.size() < 2)
        throw std::invalid_argument("RandomForest: rows must hold at least two samples.");
    if (targets.size() != rows.size())
        throw std::invalid_argument("RandomForest: targets must have one value per row ("
                                    + std::to_string(rows.size()) + ").");
    if (rows.front().empty())
        throw std::invalid_argument("RandomForest: rows must have at least one feature.");
    for (const auto &row : rows)
        if (row.size() != rows.front().size())
            throw std::invalid_argument("RandomForest: every row must have "
                                        + std::to_string(rows.front().size()) + " features.");
    if (options.trees < 1 || options.minSamplesLeaf < 1 || options.maxDepth < 0)
        throw std::invalid_argument(
            "RandomForest: options need trees >= 1, minSamplesLeaf >= 1 and maxDepth >= 0.");

    RandomForest forest;
    forest.m_rows = rows;
    forest.m_targets = targets;
    forest.m_featureCount = rows.front().size();
    forest.m_impurityDecrease.assign(forest.m_featureCount, 0.0);
    forest.m_seed = options.seed;
    Generator generator(options.seed);
    TreeBuilder builder(forest, options, generator);
    const std::size_t n = rows.size();
    for (int t = 0; t < options.trees; ++t) {
        std::vector<std::size_t> bootstrap(n);
        std::vector<bool> drawn(n, false);
        for (std::size_t &sample : bootstrap) {
            sample = generator.below(n);
            drawn[sample] = true;
        }
        Tree tree;
        builder.build(tree.nodes, std::move(bootstrap), 0);
        for (std::size_t i = 0; i < n; ++i)
            if (!drawn[i])
                tree.outOfBag.push_back(i);
        forest.m_trees.push_back(std::move(tree));
    }
    return forest;
}

double RandomForest::predictTree(const Tree &tree, const std::vector<double> &row) const
{
    std::size_t index = 0;
    while (tree.nodes[index].feature >= 0) {
        const Node &node = tree.nodes[index];
        index = std::size_t(row[std::size_t(node.feature)] <= node.threshold ? node.left
                                                                             : node.right);
    }
    return tree.nodes[index].value;
}

double RandomForest::predict(const std::vector<double> &row) const
{
    if (row.size() != m_featureCount)
        throw std::invalid_argument("RandomForest::predict: row must have "
                                    + std::to_string(m_featureCount) + " features.");
    double sum = 0.0;
    for (const Tree &tree : m_trees)
        sum += predictTree(tree, row);
    return sum / double(m_trees.size());
}

namespace {

std::vector<double> normalised(std::vector<double> values)
{
    for (double &value : values)
        value = std::max(value, 0.0);
    const double sum = std::accumulate(values.begin(), values.end(), 0.0);
    if (sum > 0.0)
        for (double &value : values)
            value /= sum;
    return values;
}

} // namespace

std::vector<double> RandomForest::impurityImportance() const
{
    return normalised(m_impurityDecrease);
}

std::vector<double> RandomForest::permutationImportance() const
{
    // A stream of its own (seed mixed with a constant), so that asking for the importance
    // never depends on how many draws building the trees took.
    Generator generator(m_seed ^ 0xA5A5A5A55A5A5A5AULL);
    std::vector<double> rise(m_featureCount, 0.0);
    std::size_t treesUsed = 0;
    for (const Tree &tree : m_trees) {
        if (tree.outOfBag.size() < 2)
            continue;
        ++treesUsed;
        double baseError = 0.0;
        for (std::size_t sample : tree.outOfBag) {
            const double error = predictTree(tree, m_rows[sample]) - m_targets[sample];
            baseError += error * error;
        }
        for (std::size_t feature = 0; feature < m_featureCount; ++feature) {
            std::vector<std::size_t> donors = tree.outOfBag;
            shuffle(donors, generator);
            double error = 0.0;
            for (std::size_t k = 0; k < tree.outOfBag.size(); ++k) {
                std::vector<double> row = m_rows[tree.outOfBag[k]];
                row[feature] = m_rows[donors[k]][feature];
                const double e = predictTree(tree, row) - m_targets[tree.outOfBag[k]];
                error += e * e;
            }
            rise[feature] += (error - baseError) / double(tree.outOfBag.size());
        }
    }
    if (treesUsed == 0)
        return std::vector<double>(m_featureCount, 0.0);
    for (double &value : rise)
        value /= double(treesUsed);
    return normalised(rise);
}

} // namespace seplab::report
