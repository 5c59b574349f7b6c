#include "core/sweep/search_space.h"

#include "core/sweep/yaml_map_reader.h"
#include "core/train/yaml_json.h"

#include <algorithm>
#include <fstream>
#include <numeric>
#include <set>
#include <sstream>
#include <stdexcept>
#include <yaml-cpp/yaml.h>

namespace seplab::sweep {

namespace {

using nlohmann::json;

bool isDeprecated(Distribution d)
{
    return d == Distribution::LogUniform || d == Distribution::QLogUniform
           || d == Distribution::InvLogUniform;
}

void parseInto(SearchSpace &space,
               const YAML::Node &map,
               const std::vector<std::string> &prefix,
               const std::string &source)
{
    if (!map.IsMap() || map.size() == 0)
        throw std::invalid_argument(yamlWhere(source, map)
                                    + "'parameters' must be a mapping of at least one parameter "
                                      "name to its spec.");
    for (const auto &item : map) {
        const std::string key = item.first.as<std::string>();
        std::vector<std::string> path = prefix;
        path.push_back(key);
        std::string name;
        for (const auto &part : path)
            name += (name.empty() ? "" : ".") + part;
        if (!isValidParameterName(key))
            throw std::invalid_argument(yamlWhere(source, item.first) + "parameter name '" + name
                                        + "' must match [A-Za-z_][A-Za-z0-9_.-]*.");
        const YAML::Node spec = item.second;
        if (!spec.IsMap())
            throw std::invalid_argument(yamlWhere(source, item.first) + "parameter '" + name
                                        + "' must be a mapping such as {values: [...]} or "
                                          "{min: ..., max: ...}.");
        if (spec["parameters"]) {
            for (const auto &inner : spec) {
                const std::string innerKey = inner.first.as<std::string>();
                if (innerKey != "parameters")
                    throw std::invalid_argument(yamlWhere(source, inner.first) + "parameter '" + name
                                                + "': a nested parameter takes only "
                                                  "'parameters', not '"
                                                + innerKey + "'.");
            }
            parseInto(space, spec["parameters"], path, source);
            continue;
        }
        Parameter parameter;
        try {
            parameter = Parameter::fromJson(train::yamlToJson(spec), name);
        } catch (const ParameterError &error) {
            const auto [keyNode, valueNode] = yamlEntry(spec, error.key());
            const YAML::Node &at = error.key().empty() || !keyNode ? item.first : keyNode;
            throw std::invalid_argument(yamlWhere(source, at) + error.what());
        }
        if (isDeprecated(parameter.distribution()))
            space.warnings.push_back(yamlWhere(source, item.first) + "parameter '" + name
                                     + "': " + distributionName(parameter.distribution())
                                     + " takes natural-log exponents as min and max and W&B's "
                                       "current validator rejects it; prefer "
                                     + distributionName(parameter.distribution()) + "_values.");
        if (space.find(name))
            throw std::invalid_argument(yamlWhere(source, item.first) + "parameter '" + name
                                        + "' is given twice.");
        NamedParameter named;
        named.path = path;
        named.parameter = std::move(parameter);
        named.line = yamlLine(item.first);
        space.add(std::move(named));
    }
}

// ---------------------------------------------------------------------------------------------

const std::vector<std::string> kTopLevelKeys = {"method",
                                                "parameters",
                                                "metric",
                                                "metrics",
                                                "early_terminate",
                                                "program",
                                                "command",
                                                "name",
                                                "description",
                                                "project",
                                                "entity",
                                                "run_cap",
                                                "controller",
                                                "scheduler",
                                                "job",
                                                "image_uri",
                                                "apiVersion",
                                                "kind",
                                                "count"};
const std::vector<std::string> kKeptAsWritten
    = {"metrics", "controller", "scheduler", "job", "image_uri", "apiVersion", "kind"};

bool contains(const std::vector<std::string> &keys, const std::string &key)
{
    return std::find(keys.begin(), keys.end(), key) != keys.end();
}

MetricSpec readMetric(const YAML::Node &node, const std::string &source)
{
    if (!node.IsMap())
        throw std::invalid_argument(yamlWhere(source, node)
                                    + "'metric' must be a mapping with at least 'name'.");
    YamlMapReader reader(node, "metric.", source);
    reader.onlyKeys({"name", "goal", "target", "impute", "impute_while_running"}, "'metric'");
    MetricSpec metric;
    if (!reader.has("name"))
        throw std::invalid_argument(yamlWhere(source, node) + "'metric.name' is required.");
    metric.name = reader.string("name");
    if (reader.has("goal"))
        metric.goal = reader.choice("goal", {"minimize", "maximize"});
    if (reader.has("target"))
        metric.target = reader.number("target");
    if (reader.has("impute"))
        metric.impute = reader.choice("impute", {"latest", "best", "worst"});
    if (reader.has("impute_while_running"))
        metric.imputeWhileRunning = reader.choice("impute_while_running",
                                                  {"latest", "best", "worst", "false"});
    return metric;
}

EarlyTerminate readEarlyTerminate(const YAML::Node &node, const std::string &source)
{
    if (!node.IsMap())
        throw std::invalid_argument(yamlWhere(source, node)
                                    + "'early_terminate' must be a mapping with a 'type'.");
    YamlMapReader reader(node, "early_terminate.", source);
    if (!reader.has("type"))
        throw std::invalid_argument(yamlWhere(source, node) + "'early_terminate.type' is required.");
    EarlyTerminate et;
    const std::string type = reader.choice("type", {"hyperband", "median_stopping", "asha"});
    if (type == "hyperband") {
        et.type = EarlyTerminate::Type::Hyperband;
        reader.onlyKeys({"type", "min_iter", "max_iter", "s", "eta", "strict"},
                        "hyperband's 'early_terminate'");
        if (reader.has("min_iter"))
            et.minIter = int(reader.integer("min_iter", 1));
        if (reader.has("max_iter"))
            et.maxIter = int(reader.integer("max_iter", 1));
        if (reader.has("s"))
            et.s = int(reader.integer("s", 0));
        if (reader.has("eta")) {
            et.eta = reader.number("eta");
            if (!(et.eta > 1.0))
                reader.fail("eta", "must be greater than 1, not " + reader.value("eta").dump());
        }
        if (reader.has("strict"))
            et.strict = reader.boolean("strict");
        if (!et.minIter && !(et.maxIter && et.s))
            throw std::invalid_argument(yamlWhere(source, node)
                                        + "hyperband needs 'min_iter', or 'max_iter' and 's'.");
    } else if (type == "asha") {
        // SepLab extension (W&B knows only hyperband): asynchronous successive halving.
        et.type = EarlyTerminate::Type::Asha;
        reader.onlyKeys({"type", "min_iter", "max_iter", "eta"}, "asha's 'early_terminate'");
        if (!reader.has("min_iter"))
            throw std::invalid_argument(yamlWhere(source, node) + "asha needs 'min_iter'.");
        et.minIter = int(reader.integer("min_iter", 1));
        if (reader.has("eta")) {
            et.eta = reader.number("eta");
            if (!(et.eta > 1.0))
                reader.fail("eta", "must be greater than 1, not " + reader.value("eta").dump());
        }
        if (reader.has("max_iter")) {
            et.maxIter = int(reader.integer("max_iter", 1));
            if (*et.maxIter <= *et.minIter)
                reader.fail("max_iter",
                            "must be greater than min_iter (" + std::to_string(*et.minIter)
                                + "), not " + std::to_string(*et.maxIter));
        }
    } else {
        et.type = EarlyTerminate::Type::MedianStopping;
        reader.onlyKeys({"type", "min_run_time", "min_step", "patience"},
                        "median_stopping's 'early_terminate'");
        if (reader.has("min_run_time")) {
            et.minRunTime = reader.number("min_run_time");
            if (!(et.minRunTime >= 0.0))
                reader.fail("min_run_time", "must be zero or positive");
        }
        if (reader.has("min_step"))
            et.minStep = int(reader.integer("min_step", 0));
        if (reader.has("patience"))
            et.patience = int(reader.integer("patience", 0));
    }
    return et;
}

} // namespace

bool isValidParameterName(const std::string &name)
{
    if (name.empty())
        return false;
    auto letter = [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
    };
    if (!letter(name[0]))
        return false;
    return std::all_of(name.begin() + 1, name.end(), [&](char c) {
        return letter(c) || (c >= '0' && c <= '9') || c == '.' || c == '-';
    });
}

SearchSpace SearchSpace::parse(const std::string &yamlText, const std::string &source)
{
    const YAML::Node root = loadYamlText(yamlText, source);
    SearchSpace space;
    parseInto(space, root, {}, source);
    return space;
}

namespace {

void fromJsonInto(SearchSpace &space,
                  const json &map,
                  const std::vector<std::string> &prefix,
                  const std::string &source)
{
    if (!map.is_object() || map.empty())
        throw std::invalid_argument(source
                                    + ": 'parameters' must be a mapping of at least one parameter "
                                      "name to its spec.");
    for (const auto &item : map.items()) {
        std::vector<std::string> path = prefix;
        path.push_back(item.key());
        std::string name;
        for (const auto &part : path)
            name += (name.empty() ? "" : ".") + part;
        if (!isValidParameterName(item.key()))
            throw std::invalid_argument(source + ": parameter name '" + name
                                        + "' must match [A-Za-z_][A-Za-z0-9_.-]*.");
        const json &spec = item.value();
        if (spec.is_object() && spec.contains("parameters")) {
            if (spec.size() != 1)
                throw std::invalid_argument(source + ": parameter '" + name
                                            + "': a nested parameter takes only 'parameters'.");
            fromJsonInto(space, spec.at("parameters"), path, source);
            continue;
        }
        NamedParameter named;
        named.path = path;
        try {
            named.parameter = Parameter::fromJson(spec, name);
        } catch (const ParameterError &error) {
            throw std::invalid_argument(source + ": " + error.what());
        }
        space.add(std::move(named));
    }
}

} // namespace

SearchSpace SearchSpace::fromJson(const json &parameters, const std::string &source)
{
    SearchSpace space;
    fromJsonInto(space, parameters, {}, source);
    return space;
}

json SearchSpace::toJson() const
{
    json out = json::object();
    for (const auto &p : m_parameters) {
        json *at = &out;
        for (std::size_t i = 0; i + 1 < p.path.size(); ++i) {
            json &node = (*at)[p.path[i]];
            if (!node.is_object())
                node = json::object();
            json &inner = node["parameters"];
            if (!inner.is_object())
                inner = json::object();
            at = &inner;
        }
        (*at)[p.path.back()] = p.parameter.toJson();
    }
    return out;
}

void SearchSpace::add(const std::string &name, Parameter parameter)
{
    NamedParameter named;
    std::stringstream parts(name);
    for (std::string part; std::getline(parts, part, '.');)
        named.path.push_back(part);
    named.parameter = std::move(parameter);
    add(std::move(named));
}

void SearchSpace::add(NamedParameter parameter)
{
    parameter.name.clear();
    for (const auto &part : parameter.path) {
        parameter.name += (parameter.name.empty() ? "" : ".") + part;
        if (!isValidParameterName(part))
            throw std::invalid_argument("parameter name '" + part
                                        + "' must match [A-Za-z_][A-Za-z0-9_.-]*.");
    }
    if (parameter.path.empty())
        throw std::invalid_argument("a parameter needs a name.");
    if (find(parameter.name))
        throw std::invalid_argument("parameter '" + parameter.name + "' is given twice.");
    m_parameters.push_back(std::move(parameter));
}

const NamedParameter *SearchSpace::find(const std::string &name) const
{
    for (const auto &p : m_parameters)
        if (p.name == name)
            return &p;
    return nullptr;
}

std::vector<std::size_t> SearchSpace::sortedOrder() const
{
    std::vector<std::size_t> order(m_parameters.size());
    std::iota(order.begin(), order.end(), std::size_t(0));
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return m_parameters[a].path < m_parameters[b].path;
    });
    return order;
}

void SearchSpace::assign(json &config, const NamedParameter &parameter, json value)
{
    json *at = &config;
    for (std::size_t i = 0; i + 1 < parameter.path.size(); ++i) {
        json &node = (*at)[parameter.path[i]];
        if (!node.is_object())
            node = json::object();
        at = &node;
    }
    (*at)[parameter.path.back()] = std::move(value);
}

std::string SweepConfig::trainingConfig() const
{
    const NamedParameter *config = parameters.find("config");
    if (config && config->parameter.isConstant() && config->parameter.value().is_string())
        return config->parameter.value().get<std::string>();
    return {};
}

SweepConfig parseSweepConfig(const std::string &yamlText, const std::string &source)
{
    return parseSweepNode(loadYamlText(yamlText, source), source);
}

MetricSpec parseMetricNode(const YAML::Node &node, const std::string &source)
{
    return readMetric(node, source);
}

SweepConfig parseSweepNode(const YAML::Node &root,
                           const std::string &source,
                           const std::vector<std::string> &extraKeys,
                           bool parametersRequired)
{
    if (!root.IsMap())
        throw std::invalid_argument(source
                                    + ": a W&B sweep file must be a mapping with 'method' and "
                                      "'parameters'.");
    SweepConfig config;
    config.source = source;
    YamlMapReader reader(root, "", source);
    for (const auto &item : root) {
        const std::string key = item.first.as<std::string>();
        if (!contains(kTopLevelKeys, key) && !contains(extraKeys, key))
            throw std::invalid_argument(yamlWhere(source, item.first) + "unknown top-level key '"
                                        + key + "' (W&B's sweep schema allows no other keys).");
    }
    if (!reader.has("method"))
        throw std::invalid_argument(source + ": 'method' is required (grid, random or bayes).");
    config.method = reader.choice("method", {"grid", "random", "bayes", "custom"});
    const bool hasScheduler = reader.has("scheduler");
    if (config.method == "custom" && !hasScheduler)
        reader.fail("method", "may be custom only together with 'scheduler'");

    if (reader.has("parameters")) {
        const auto [keyNode, node] = yamlEntry(root, "parameters");
        config.parameters = SearchSpace();
        parseInto(config.parameters, node, {}, source);
        config.warnings = config.parameters.warnings;
    } else if (!hasScheduler && parametersRequired) {
        throw std::invalid_argument(source + ": 'parameters' is required.");
    }
    if (reader.has("metric") && reader.has("metrics"))
        reader.fail("metrics", "cannot be given together with 'metric'");
    if (reader.has("metric"))
        config.metric = readMetric(yamlEntry(root, "metric").second, source);
    if (reader.has("early_terminate")) {
        if (hasScheduler)
            reader.fail("early_terminate", "cannot be given together with 'scheduler'");
        config.earlyTerminate = readEarlyTerminate(yamlEntry(root, "early_terminate").second,
                                                   source);
    }
    if (reader.has("program"))
        config.program = reader.string("program");
    if (reader.has("command")) {
        const json command = reader.value("command");
        if (!command.is_array())
            reader.fail("command", "must be a list of words such as ${env}, ${program}, ${args}");
        for (const json &word : command) {
            if (word.is_string())
                config.command.push_back(word.get<std::string>());
            else if (word.is_number() || word.is_boolean())
                config.command.push_back(word.dump());
            else
                reader.fail("command", "must hold only words, not " + word.dump());
        }
    }
    if (reader.has("name"))
        config.name = reader.string("name");
    if (reader.has("description"))
        config.description = reader.string("description");
    if (reader.has("project"))
        config.project = reader.string("project");
    if (reader.has("entity"))
        config.entity = reader.string("entity");
    if (reader.has("run_cap"))
        config.runCap = reader.integer("run_cap", 1);
    if (reader.has("count"))
        config.count = reader.integer("count", 1);
    for (const auto &key : kKeptAsWritten)
        if (reader.has(key))
            config.other[key] = reader.value(key);
    return config;
}

SweepConfig loadSweepConfig(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw std::invalid_argument(path + ": cannot open the sweep file.");
    std::ostringstream text;
    text << in.rdbuf();
    return parseSweepConfig(text.str(), path);
}

} // namespace seplab::sweep
