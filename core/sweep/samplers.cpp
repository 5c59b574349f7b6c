#include "core/sweep/samplers.h"

#include "core/data/deterministic_random.h"
#include "core/data/fnv1a.h"

#include <limits>
#include <stdexcept>

namespace seplab::sweep {

namespace {

using nlohmann::json;

// The grid values of every parameter, in W&B's order.
std::vector<std::pair<const NamedParameter *, std::vector<json>>> gridAxes(const SearchSpace &space)
{
    if (space.empty())
        throw std::invalid_argument("A grid needs at least one parameter.");
    std::vector<std::pair<const NamedParameter *, std::vector<json>>> axes;
    for (const std::size_t i : space.sortedOrder()) {
        const NamedParameter &p = space.parameters()[i];
        if (!p.parameter.isGridable())
            throw std::invalid_argument(
                "parameter '" + p.name + "' (" + distributionName(p.parameter.distribution())
                + ") cannot be searched by a grid; a grid takes value, values (without "
                  "probabilities), int_uniform or q_uniform.");
        axes.emplace_back(&p, p.parameter.gridValues());
    }
    return axes;
}

} // namespace

std::uint64_t gridSize(const SearchSpace &space)
{
    std::uint64_t size = 1;
    for (const auto &axis : gridAxes(space)) {
        const std::uint64_t n = axis.second.size();
        if (n != 0 && size > std::numeric_limits<std::uint64_t>::max() / n)
            throw std::invalid_argument("The grid has more than 2^64 configurations.");
        size *= n;
    }
    return size;
}

std::optional<json> gridConfiguration(const SearchSpace &space, std::uint64_t index)
{
    const auto axes = gridAxes(space);
    std::uint64_t size = 1;
    for (const auto &axis : axes)
        size *= axis.second.size();
    if (index >= size)
        return std::nullopt;
    // Mixed radix, the last parameter the fastest digit.
    std::vector<std::size_t> digits(axes.size());
    for (std::size_t k = axes.size(); k-- > 0;) {
        const std::uint64_t n = axes[k].second.size();
        digits[k] = std::size_t(index % n);
        index /= n;
    }
    json config = json::object();
    for (std::size_t k = 0; k < axes.size(); ++k)
        SearchSpace::assign(config, *axes[k].first, axes[k].second[digits[k]]);
    return config;
}

std::vector<json> gridConfigurations(const SearchSpace &space)
{
    const std::uint64_t size = gridSize(space);
    std::vector<json> configs;
    configs.reserve(std::size_t(size));
    for (std::uint64_t i = 0; i < size; ++i)
        configs.push_back(*gridConfiguration(space, i));
    return configs;
}

RandomSampler::RandomSampler(SearchSpace space, std::uint64_t seed)
    : m_space(std::move(space))
    , m_seed(seed)
{}

json RandomSampler::configuration(std::uint64_t trial) const
{
    json config = json::object();
    for (const std::size_t i : m_space.sortedOrder()) {
        const NamedParameter &p = m_space.parameters()[i];
        // Each parameter has its own stream, keyed by its name: adding or removing a parameter
        // leaves the others' draws unchanged.
        data::SplitMix64 rng(data::mixSeed(m_seed, trial, data::fnv1a(p.name)));
        SearchSpace::assign(config, p, p.parameter.ppf(uniformOpen01(rng)));
    }
    return config;
}

json RandomSampler::next()
{
    return configuration(m_next++);
}

} // namespace seplab::sweep
