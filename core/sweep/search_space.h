#pragma once

// A sweep's search space and the whole W&B sweep file (spec hpo.md §1(d), §1(e)).
//
// The `parameters:` map keeps the file's order. A parameter whose spec holds `parameters:` is
// nested, as W&B allows: its leaves are named by their dotted path ("optimizer.lr") and a
// configuration carries them as a nested object ({"optimizer": {"lr": ...}}).
//
// Errors are std::invalid_argument with one sentence naming the file, the line and the
// parameter or key: "sweep.yaml line 12: parameter 'lr': min (0.01) must be less than max
// (0.001)." YAML syntax errors give line and column.

#include "core/sweep/parameter.h"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace YAML {
class Node;
}

namespace seplab::sweep {

struct NamedParameter
{
    std::string name;              // dotted for nested parameters
    std::vector<std::string> path; // the name's components
    Parameter parameter;
    int line = 0; // 1-based line of the name in the file, 0 when unknown
};

class SearchSpace
{
public:
    SearchSpace() = default;

    // The `parameters:` map from YAML text (the map itself, not a whole sweep file).
    static SearchSpace parse(const std::string &yamlText, const std::string &source);
    // The same from JSON ({name: spec, ...}); errors name the parameter but no line.
    static SearchSpace fromJson(const nlohmann::json &parameters,
                                const std::string &source = "parameters");
    // Nested parameters are written back nested.
    nlohmann::json toJson() const;

    // Adds a leaf parameter; a dotted name is a nested path. Throws std::invalid_argument for a
    // duplicate or invalid name.
    void add(const std::string &name, Parameter parameter);
    // The same with the path given (name is set from it).
    void add(NamedParameter parameter);

    const std::vector<NamedParameter> &parameters() const { return m_parameters; }
    std::size_t size() const { return m_parameters.size(); }
    bool empty() const { return m_parameters.empty(); }
    const NamedParameter *find(const std::string &name) const;
    // Indices into parameters() in W&B's order: names sorted (by path components).
    std::vector<std::size_t> sortedOrder() const;

    // Puts `value` at the parameter's path in `config` (creating nested objects).
    static void assign(nlohmann::json &config,
                       const NamedParameter &parameter,
                       nlohmann::json value);

    // Warnings that did not stop parsing (deprecated log_uniform forms).
    std::vector<std::string> warnings;

private:
    std::vector<NamedParameter> m_parameters;
};

// A parameter name must match W&B's [A-Za-z_][A-Za-z0-9_.-]*.
bool isValidParameterName(const std::string &name);

struct MetricSpec
{
    std::string name;
    std::string goal = "minimize"; // or "maximize"
    std::optional<double> target;
    std::string impute = "worst";             // latest | best | worst
    std::string imputeWhileRunning = "false"; // latest | best | worst | false
    bool maximize() const { return goal == "maximize"; }
};

struct EarlyTerminate
{
    enum class Type { Hyperband, MedianStopping, Asha };
    Type type = Type::Hyperband;
    // hyperband (hpo.md §1(a)): either max_iter and s, or min_iter.
    // asha (a SepLab extension, not in W&B's schema): min_iter (required), eta (3) and an
    // optional max_iter; rungs at min_iter·eta^k below max_iter, each run judged once per rung.
    std::optional<int> minIter;
    std::optional<int> maxIter;
    std::optional<int> s;
    double eta = 3.0;
    bool strict = true;
    // median_stopping (a SepLab extension the users' conservative stage uses; not in W&B's
    // schema): judge a trial only after min_run_time seconds and min_step steps, and stop it
    // after `patience` consecutive judgements below the median.
    double minRunTime = 0.0;
    int minStep = 0;
    int patience = 0;
};

struct SweepConfig
{
    std::string method; // grid | random | bayes | custom
    SearchSpace parameters;
    std::optional<MetricSpec> metric;
    std::optional<EarlyTerminate> earlyTerminate;
    std::string program;
    std::vector<std::string> command;
    std::string name;
    std::string description;
    std::string project;
    std::string entity;
    std::optional<std::int64_t> runCap;
    // SepLab extension (W&B takes it from `wandb agent --count`): how many trials to run.
    std::optional<std::int64_t> count;
    // Keys W&B knows that SepLab keeps but does not act on (metrics, controller, scheduler,
    // job, image_uri, apiVersion, kind), as written.
    nlohmann::json other = nlohmann::json::object();
    std::vector<std::string> warnings;
    std::string source;

    // The training config the sweep runs: the constant parameter `config` (the users'
    // train_sweep.py reads it), or empty.
    std::string trainingConfig() const;
};

// Reads a whole W&B sweep file. Top-level keys are W&B's (§1(e)) plus `count`; any other is an
// error, as W&B's schema has additionalProperties false.
SweepConfig parseSweepConfig(const std::string &yamlText, const std::string &source);
// The same from a parsed mapping (a plan's stage body); `extraKeys` are keys the caller reads
// itself and that are therefore not errors. A plan stage whose ranges are derived from an
// earlier stage has no `parameters` of its own: it passes parametersRequired = false.
SweepConfig parseSweepNode(const YAML::Node &root,
                           const std::string &source,
                           const std::vector<std::string> &extraKeys = {},
                           bool parametersRequired = true);
// A `metric` mapping alone ({name, goal, target, impute...}), as a plan's top level has it.
MetricSpec parseMetricNode(const YAML::Node &node, const std::string &source);
SweepConfig loadSweepConfig(const std::string &path);

} // namespace seplab::sweep
