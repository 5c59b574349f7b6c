#pragma once

// One hyperparameter of a sweep, in every form W&B's sweep schema knows (spec hpo.md §1(d)):
//
//   constant                       value
//   categorical                    values                 (uniform over the list)
//   categorical_w_probabilities    values, probabilities  (same length, summing to 1)
//   int_uniform                    min, max (integers; max inclusive)
//   uniform                        min, max
//   q_uniform                      min, max, q (1)        round(x/q)*q; an integer when q is one
//   log_uniform                    min, max               natural-log exponents: exp(U(min,max))
//   log_uniform_values             min > 0, max           log(value) uniform in [log min, log max]
//   q_log_uniform(_values)         as above, q (1)
//   inv_log_uniform                min, max (exponents)   log(1/X) ~ U(min, max)
//   inv_log_uniform_values         min > 0, max           log(1/X) ~ U(log 1/max, log 1/min)
//   normal, q_normal               mu (0), sigma (1), q (1)
//   log_normal, q_log_normal       mu (0), sigma (1), q (1): log(X) ~ N(mu, sigma)
//   beta, q_beta                   a (1), b (1), q (1)
//
// Without `distribution:`, `values` is categorical (with `probabilities`, weighted), `value` is
// constant, integer min and max are int_uniform and any other min and max are uniform.
//
// Every draw is the inverse CDF (ppf) of one uniform number, as W&B's random search draws; the
// CDF and its inverse are W&B's (`HyperParameter.cdf` / `ppf`): categorical forms map a value's
// list index i to (i+1)/n (weighted: the cumulative probability), int_uniform the same over
// min..max, q forms use the CDF of the unrounded distribution, and a constant maps to 0.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace seplab::data {
class SplitMix64;
}

namespace seplab::sweep {

enum class Distribution {
    Constant,
    Categorical,
    CategoricalWProbabilities,
    IntUniform,
    Uniform,
    QUniform,
    LogUniform,
    LogUniformValues,
    QLogUniform,
    QLogUniformValues,
    InvLogUniform,
    InvLogUniformValues,
    Normal,
    QNormal,
    LogNormal,
    QLogNormal,
    Beta,
    QBeta,
};

// W&B's name ("log_uniform_values") and back; nullopt for an unknown name.
std::string distributionName(Distribution distribution);
std::optional<Distribution> distributionFromName(const std::string &name);
// Every distribution, in the order of the enum.
const std::vector<Distribution> &allDistributions();

// A parameter that cannot be built. what() is one sentence naming the parameter; key() is the
// offending key of the spec when there is one (so a YAML reader can point at its line).
class ParameterError : public std::invalid_argument
{
public:
    ParameterError(const std::string &message, std::string key)
        : std::invalid_argument(message)
        , m_key(std::move(key))
    {}
    const std::string &key() const { return m_key; }

private:
    std::string m_key;
};

// Uniform in (0, 1), never 0 or 1 (53 random bits, centred in their cell).
double uniformOpen01(data::SplitMix64 &rng);

class Parameter
{
public:
    Parameter() = default; // a constant null

    // A W&B parameter spec (the JSON of its YAML map). Infers `distribution` when omitted and
    // fills the defaults (q 1, mu 0, sigma 1, a 1, b 1). Throws ParameterError for unknown keys,
    // keys the distribution does not take, missing keys, min >= max, an empty `values`, a
    // non-positive log bound, probabilities of the wrong length or not summing to 1 (within
    // 1e-6), non-positive sigma, q, a or b, and values of the wrong type. `name` is only for
    // messages.
    static Parameter fromJson(const nlohmann::json &spec, const std::string &name = "parameter");
    // The spec in W&B's form, `distribution` always written; fromJson(toJson()) is the same.
    nlohmann::json toJson() const;

    static Parameter constant(nlohmann::json value);
    static Parameter categorical(std::vector<nlohmann::json> values,
                                 std::vector<double> probabilities = {});

    Distribution distribution() const { return m_distribution; }
    const nlohmann::json &value() const { return m_value; }
    const std::vector<nlohmann::json> &values() const { return m_values; }
    const std::vector<double> &probabilities() const { return m_probabilities; }
    double min() const { return m_min; }
    double max() const { return m_max; }
    double q() const { return m_q; }
    bool qIsInteger() const { return m_qInteger; }
    double mu() const { return m_mu; }
    double sigma() const { return m_sigma; }
    double a() const { return m_a; }
    double b() const { return m_b; }

    bool isConstant() const { return m_distribution == Distribution::Constant; }
    // values / categorical_w_probabilities: the CDF works on list indices.
    bool isCategorical() const;
    // Uniform in log space (log_uniform*, q_log_uniform*, inv_log_uniform*) or log-normal.
    bool isLog() const;
    // Rounded to a multiple of q (every q_* form).
    bool isQuantized() const;
    // Samples are JSON integers (int_uniform, or a q form with an integer q).
    bool isInteger() const;
    // W&B's grid accepts constant, categorical, int_uniform and q_uniform.
    bool isGridable() const;

    // The grid values: the value; the list; min..max for int_uniform; min, min+q, ... < max for
    // q_uniform (numpy arange: max excluded). Throws std::logic_error for any other form.
    std::vector<nlohmann::json> gridValues() const;

    // One draw: ppf(u) for u uniform in (0, 1).
    nlohmann::json sample(data::SplitMix64 &rng) const;
    // The inverse CDF at u in [0, 1] (std::invalid_argument outside).
    nlohmann::json ppf(double u) const;
    // The CDF of a value (for categorical forms, of the value's index; std::invalid_argument for
    // a value not in the list or not a number).
    double cdf(const nlohmann::json &value) const;
    // The CDF of a list index (categorical forms only).
    double cdfOfIndex(std::size_t index) const;
    // The index of a value in `values`, or nullopt.
    std::optional<std::size_t> indexOf(const nlohmann::json &value) const;

private:
    double continuousPpf(double u) const; // before rounding to q
    nlohmann::json quantize(double x) const;

    Distribution m_distribution = Distribution::Constant;
    nlohmann::json m_value;
    std::vector<nlohmann::json> m_values;
    std::vector<double> m_probabilities;
    double m_min = 0.0;
    double m_max = 0.0;
    nlohmann::json m_minJson; // min and max as written (integer or not)
    nlohmann::json m_maxJson;
    double m_q = 1.0;
    bool m_qInteger = true;
    double m_mu = 0.0;
    double m_sigma = 1.0;
    double m_a = 1.0;
    double m_b = 1.0;
};

// Standard normal CDF and its inverse (Acklam's rational approximation refined by one Halley
// step; |error| < 1e-13), and the regularised incomplete beta function with its inverse.
double normalCdf(double x);
double normalPpf(double u);
double betaCdf(double x, double a, double b);
double betaPpf(double u, double a, double b);

} // namespace seplab::sweep
