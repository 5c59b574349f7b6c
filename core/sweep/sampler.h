#pragma once

// The sampler a sweep stage asks for each new trial's configuration (spec hpo.md §1(b), §1(c),
// §2 "TPESampler"). One interface for W&B's grid, random and bayes and for a multivariate TPE:
// every suggestion is a pure function of the constructor's seed, the trial number and the stage's
// trials so far, so a resumed stage suggests what the interrupted one would have.

#include "core/sweep/search_space.h"

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace seplab::sweep {

enum class TrialOutcome { Running, Finished, Stopped, Failed };

struct TrialObservation
{
    nlohmann::json config; // the trial's parameters as sampled ({name: value}, nested as objects)
    TrialOutcome outcome = TrialOutcome::Running;
    std::vector<double> history; // the metric's finite values in logged order, raw (not negated)
};

class Sampler
{
public:
    virtual ~Sampler() = default;
    // The configuration for trial number `trial` (0-based within the stage), given every other
    // trial of the stage so far (running ones included). nullopt when the space is exhausted
    // (grid). Same inputs -> same output (seeded by the constructor's seed and `trial`).
    virtual std::optional<nlohmann::json> suggest(std::uint64_t trial,
                                                  const std::vector<TrialObservation> &trials)
        = 0;
    virtual std::string method() const = 0;
};

// method: grid | random | bayes | tpe. Throws std::invalid_argument (one sentence) for an unknown
// method or a space the method cannot take (a grid with continuous parameters).
std::unique_ptr<Sampler> makeSampler(const std::string &method,
                                     const SearchSpace &space,
                                     const MetricSpec &metric,
                                     std::uint64_t seed);

// The model-based samplers' view of a space: every non-constant parameter in W&B's order (names
// sorted) is one axis of the unit cube, a value mapped to it by the parameter's CDF (categorical
// forms through their index, W&B's ordinal encoding) and back by the inverse CDF.
class UnitEncoding
{
public:
    explicit UnitEncoding(const SearchSpace &space);

    std::size_t dimensions() const { return m_axes.size(); }
    const std::vector<const NamedParameter *> &axes() const { return m_axes; }

    // The config's point in [0,1]^d, or nullopt when it lacks a parameter or holds a value the
    // parameter cannot take (such a trial tells the model nothing about this space).
    std::optional<std::vector<double>> encode(const nlohmann::json &config) const;
    // The configuration at a point (each coordinate clamped into (0,1) so unbounded
    // distributions stay finite), constants included.
    nlohmann::json decode(const std::vector<double> &unit) const;
    // A configuration holding only the constant parameters, to which the axes are assigned.
    const nlohmann::json &constants() const { return m_constants; }

private:
    std::vector<const NamedParameter *> m_axes;
    nlohmann::json m_constants = nlohmann::json::object();
};

// The value at a parameter's (possibly nested) path of a config, or nullptr when absent.
const nlohmann::json *valueAt(const nlohmann::json &config, const NamedParameter &parameter);

} // namespace seplab::sweep
