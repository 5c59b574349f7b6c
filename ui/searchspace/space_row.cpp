#include "space_row.h"

#include "core/train/yaml_json.h"

#include <map>
#include <yaml-cpp/yaml.h>

namespace seplab::ui {

using nlohmann::json;

namespace {

bool startsWith(const std::string &text, const std::string &prefix)
{
    return text.compare(0, prefix.size(), prefix) == 0;
}

bool isNormalForm(const std::string &d)
{
    return d == "normal" || d == "q_normal" || d == "log_normal" || d == "q_log_normal";
}

bool isBetaForm(const std::string &d)
{
    return d == "beta" || d == "q_beta";
}

std::string trimmed(const std::string &text)
{
    const auto begin = text.find_first_not_of(" \t");
    if (begin == std::string::npos)
        return {};
    return text.substr(begin, text.find_last_not_of(" \t") - begin + 1);
}

// A YAML scalar or flow collection as JSON; a text YAML cannot read stays a string, so that
// core's parser names the problem ("min must be a number").
json scalar(const std::string &text)
{
    try {
        return train::yamlToJson(YAML::Load(text));
    } catch (const YAML::Exception &) {
        return text;
    }
}

json list(const std::string &text)
{
    const std::string body = trimmed(text);
    if (body.empty())
        return json::array();
    if (body.front() == '[')
        return scalar(body);
    json out = json::array();
    std::size_t start = 0;
    while (start <= body.size()) {
        const std::size_t comma = body.find(',', start);
        const std::string item = trimmed(body.substr(start, comma - start));
        out.push_back(scalar(item));
        if (comma == std::string::npos)
            break;
        start = comma + 1;
    }
    return out;
}

std::string text(const json &value)
{
    if (value.is_string())
        return value.get<std::string>();
    return value.dump();
}

std::string listText(const std::vector<json> &values)
{
    std::string out;
    for (std::size_t i = 0; i < values.size(); ++i)
        out += (i ? ", " : "") + text(values[i]);
    return out;
}

} // namespace

bool rowUses(const std::string &d, const std::string &cell)
{
    if (cell == "values")
        return d == "constant" || d == "categorical" || d == "categorical_w_probabilities";
    if (cell == "weights")
        return d == "categorical_w_probabilities";
    if (cell == "q")
        return startsWith(d, "q_");
    if (cell == "low" || cell == "high")
        return d != "constant" && d != "categorical" && d != "categorical_w_probabilities";
    return false;
}

std::pair<std::string, std::string> boundNames(const std::string &d)
{
    if (isNormalForm(d))
        return {"mu", "sigma"};
    if (isBetaForm(d))
        return {"a", "b"};
    return {"min", "max"};
}

json rowSpec(const SpaceRow &row)
{
    json spec = {{"distribution", row.distribution}};
    const auto [lowKey, highKey] = boundNames(row.distribution);
    // mu, sigma, a and b have defaults: an empty cell leaves them out; min and max are required
    // and an empty cell is sent as null so that core names the missing key.
    const bool optionalBounds = isNormalForm(row.distribution) || isBetaForm(row.distribution);
    if (rowUses(row.distribution, "low") && (!trimmed(row.low).empty() || !optionalBounds))
        spec[lowKey] = trimmed(row.low).empty() ? json() : scalar(row.low);
    if (rowUses(row.distribution, "high") && (!trimmed(row.high).empty() || !optionalBounds))
        spec[highKey] = trimmed(row.high).empty() ? json() : scalar(row.high);
    if (rowUses(row.distribution, "q") && !trimmed(row.q).empty())
        spec["q"] = scalar(row.q);
    if (row.distribution == "constant")
        spec["value"] = scalar(row.values);
    else if (rowUses(row.distribution, "values"))
        spec["values"] = list(row.values);
    if (rowUses(row.distribution, "weights"))
        spec["probabilities"] = list(row.weights);
    return spec;
}

RowCheck checkRow(const SpaceRow &row)
{
    RowCheck check;
    const std::string name = trimmed(row.name);
    if (!sweep::isValidParameterName(name)) {
        check.error = name.empty() ? "a parameter needs a name."
                                   : "'" + name
                                         + "' is not a valid parameter name (letters, digits, "
                                           "_ . -; not starting with a digit).";
        check.cell = "name";
        return check;
    }
    if (!sweep::distributionFromName(row.distribution)) {
        check.error = "parameter '" + name + "': unknown distribution '" + row.distribution + "'.";
        check.cell = "distribution";
        return check;
    }
    try {
        check.parameter = sweep::Parameter::fromJson(rowSpec(row), name);
    } catch (const sweep::ParameterError &error) {
        check.error = error.what();
        static const std::map<std::string, std::string> cellOfKey = {{"min", "low"},
                                                                     {"mu", "low"},
                                                                     {"a", "low"},
                                                                     {"max", "high"},
                                                                     {"sigma", "high"},
                                                                     {"b", "high"},
                                                                     {"q", "q"},
                                                                     {"values", "values"},
                                                                     {"value", "values"},
                                                                     {"probabilities", "weights"}};
        const auto found = cellOfKey.find(error.key());
        check.cell = found == cellOfKey.end() ? std::string() : found->second;
    }
    return check;
}

SpaceRow rowFromParameter(const sweep::NamedParameter &named)
{
    const sweep::Parameter &p = named.parameter;
    SpaceRow row;
    row.name = named.name;
    row.distribution = sweep::distributionName(p.distribution());
    const json spec = p.toJson();
    const auto [lowKey, highKey] = boundNames(row.distribution);
    if (spec.contains(lowKey))
        row.low = text(spec[lowKey]);
    if (spec.contains(highKey))
        row.high = text(spec[highKey]);
    if (p.isQuantized() && spec.contains("q"))
        row.q = text(spec["q"]);
    if (p.isConstant())
        row.values = text(p.value());
    else if (p.isCategorical())
        row.values = listText(p.values());
    if (p.distribution() == sweep::Distribution::CategoricalWProbabilities) {
        std::vector<json> weights(p.probabilities().begin(), p.probabilities().end());
        row.weights = listText(weights);
    }
    return row;
}

std::string logTwin(const std::string &d)
{
    static const std::map<std::string, std::string> twins = {
        {"uniform", "log_uniform_values"},
        {"log_uniform_values", "uniform"},
        {"q_uniform", "q_log_uniform_values"},
        {"q_log_uniform_values", "q_uniform"},
        {"normal", "log_normal"},
        {"log_normal", "normal"},
        {"q_normal", "q_log_normal"},
        {"q_log_normal", "q_normal"},
    };
    const auto found = twins.find(d);
    return found == twins.end() ? std::string() : found->second;
}

} // namespace seplab::ui
