#include "core/sweep/sampler.h"

#include "core/sweep/bayes_sampler.h"
#include "core/sweep/samplers.h"
#include "core/sweep/tpe_sampler.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <stdexcept>

namespace seplab::sweep {

namespace {

using nlohmann::json;

// Unbounded distributions (normal, log-normal) have an infinite inverse CDF at 0 and 1.
constexpr double kUnitEdge = 1e-12;

// W&B hashes a run's values with whole-number floats written as integers, so 3e6 and 3000000 are
// the same grid point.
json normalisedForGrid(const json &value)
{
    if (value.is_number_float()) {
        const double x = value.get<double>();
        if (std::isfinite(x) && x == std::floor(x) && std::abs(x) < 9.0e18)
            return json(std::int64_t(x));
        return value;
    }
    if (value.is_object() || value.is_array()) {
        json out = value;
        for (auto &element : out)
            element = normalisedForGrid(element);
        return out;
    }
    return value;
}

class GridSearch : public Sampler
{
public:
    explicit GridSearch(SearchSpace space)
        : m_space(std::move(space))
        , m_size(gridSize(m_space)) // throws for a space a grid cannot take
    {}

    std::optional<json> suggest(std::uint64_t, const std::vector<TrialObservation> &trials) override
    {
        std::set<std::string> used;
        for (const TrialObservation &t : trials)
            used.insert(key(t.config));
        for (std::uint64_t i = 0; i < m_size; ++i) {
            std::optional<json> config = gridConfiguration(m_space, i);
            if (config && used.count(key(*config)) == 0)
                return config;
        }
        return std::nullopt;
    }

    std::string method() const override { return "grid"; }

private:
    // A configuration's grid point: its value of each parameter in W&B's order (null when
    // missing), normalised, so keys the trial's config may carry beyond the space do not count.
    std::string key(const json &config) const
    {
        json point = json::array();
        for (const std::size_t i : m_space.sortedOrder()) {
            const json *value = valueAt(config, m_space.parameters()[i]);
            point.push_back(value ? normalisedForGrid(*value) : json());
        }
        return point.dump();
    }

    SearchSpace m_space;
    std::uint64_t m_size;
};

class RandomSearch : public Sampler
{
public:
    RandomSearch(SearchSpace space, std::uint64_t seed)
        : m_random(std::move(space), seed)
    {}

    std::optional<json> suggest(std::uint64_t trial, const std::vector<TrialObservation> &) override
    {
        return m_random.configuration(trial);
    }

    std::string method() const override { return "random"; }

private:
    RandomSampler m_random;
};

} // namespace

const json *valueAt(const json &config, const NamedParameter &parameter)
{
    const json *node = &config;
    for (const std::string &component : parameter.path) {
        if (!node->is_object())
            return nullptr;
        const auto it = node->find(component);
        if (it == node->end())
            return nullptr;
        node = &*it;
    }
    return node;
}

UnitEncoding::UnitEncoding(const SearchSpace &space)
{
    for (const std::size_t i : space.sortedOrder()) {
        const NamedParameter &p = space.parameters()[i];
        if (p.parameter.isConstant())
            SearchSpace::assign(m_constants, p, p.parameter.value());
        else
            m_axes.push_back(&p);
    }
}

std::optional<std::vector<double>> UnitEncoding::encode(const json &config) const
{
    std::vector<double> unit;
    unit.reserve(m_axes.size());
    for (const NamedParameter *p : m_axes) {
        const json *value = valueAt(config, *p);
        if (!value)
            return std::nullopt;
        if (p->parameter.isCategorical()) {
            const auto index = p->parameter.indexOf(*value);
            if (!index)
                return std::nullopt;
            unit.push_back(p->parameter.cdfOfIndex(*index));
        } else {
            if (!value->is_number())
                return std::nullopt;
            const double u = p->parameter.cdf(*value);
            if (!std::isfinite(u))
                return std::nullopt;
            unit.push_back(u);
        }
    }
    return unit;
}

json UnitEncoding::decode(const std::vector<double> &unit) const
{
    if (unit.size() != m_axes.size())
        throw std::invalid_argument("A point of this search space needs "
                                    + std::to_string(m_axes.size()) + " coordinates, not "
                                    + std::to_string(unit.size()) + ".");
    json config = m_constants;
    for (std::size_t k = 0; k < m_axes.size(); ++k) {
        const double u = std::clamp(unit[k], kUnitEdge, 1.0 - kUnitEdge);
        SearchSpace::assign(config, *m_axes[k], m_axes[k]->parameter.ppf(u));
    }
    return config;
}

std::unique_ptr<Sampler> makeSampler(const std::string &method,
                                     const SearchSpace &space,
                                     const MetricSpec &metric,
                                     std::uint64_t seed)
{
    if (method == "grid")
        return std::make_unique<GridSearch>(space);
    if (method == "random")
        return std::make_unique<RandomSearch>(space, seed);
    if (method == "bayes")
        return std::make_unique<BayesSampler>(space, metric, seed);
    if (method == "tpe")
        return std::make_unique<TpeSampler>(space, metric, seed);
    throw std::invalid_argument("Unknown sweep method '" + method
                                + "'; expected grid, random, bayes or tpe.");
}

} // namespace seplab::sweep
