#include "core/train/yaml_json.h"

#include <cerrno>
#include <cstdlib>
#include <stdexcept>
#include <string>

namespace seplab::train {

namespace {

bool parseInteger(const std::string &text, long long &value)
{
    if (text.empty())
        return false;
    char *end = nullptr;
    errno = 0;
    value = std::strtoll(text.c_str(), &end, 10);
    return errno == 0 && end && *end == '\0';
}

bool parseNumber(const std::string &text, double &value)
{
    if (text.empty())
        return false;
    char *end = nullptr;
    errno = 0;
    value = std::strtod(text.c_str(), &end);
    return errno == 0 && end && *end == '\0';
}

nlohmann::json scalarToJson(const YAML::Node &node)
{
    const std::string text = node.Scalar();
    // A quoted scalar is a string whatever it looks like ("1e-4" stays text).
    if (node.Tag() == "!")
        return text;
    if (text == "null" || text == "~" || text == "Null" || text == "NULL")
        return nullptr;
    if (text == "true" || text == "True" || text == "TRUE")
        return true;
    if (text == "false" || text == "False" || text == "FALSE")
        return false;
    long long integer = 0;
    if (parseInteger(text, integer))
        return integer;
    double number = 0.0;
    if (parseNumber(text, number))
        return number;
    return text;
}

// The shortest text that reads back as the same double, written so that PyYAML (the original
// project's reader) also sees a float: it wants a '.' and a signed exponent ("1.0e-05").
std::string floatText(const nlohmann::json &number)
{
    std::string text = number.dump();
    const std::size_t exponent = text.find_first_of("eE");
    if (exponent != std::string::npos && text.find('.') == std::string::npos)
        text.insert(exponent, ".0");
    return text;
}

} // namespace

nlohmann::json yamlToJson(const YAML::Node &node)
{
    switch (node.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
        return nullptr;
    case YAML::NodeType::Scalar:
        return scalarToJson(node);
    case YAML::NodeType::Sequence: {
        nlohmann::json list = nlohmann::json::array();
        for (const YAML::Node &item : node)
            list.push_back(yamlToJson(item));
        return list;
    }
    case YAML::NodeType::Map: {
        nlohmann::json map = nlohmann::json::object();
        for (const auto &entry : node)
            map[entry.first.as<std::string>()] = yamlToJson(entry.second);
        return map;
    }
    }
    return nullptr;
}

YAML::Node jsonToYaml(const nlohmann::json &json)
{
    switch (json.type()) {
    case nlohmann::json::value_t::null:
    case nlohmann::json::value_t::discarded:
        return YAML::Node(YAML::NodeType::Null);
    case nlohmann::json::value_t::boolean:
        return YAML::Node(json.get<bool>());
    case nlohmann::json::value_t::number_integer:
        return YAML::Node(json.get<long long>());
    case nlohmann::json::value_t::number_unsigned:
        return YAML::Node(json.get<unsigned long long>());
    case nlohmann::json::value_t::number_float:
        return YAML::Node(floatText(json));
    case nlohmann::json::value_t::string:
        return YAML::Node(json.get<std::string>());
    case nlohmann::json::value_t::array: {
        YAML::Node list(YAML::NodeType::Sequence);
        for (const nlohmann::json &item : json)
            list.push_back(jsonToYaml(item));
        return list;
    }
    case nlohmann::json::value_t::object:
    case nlohmann::json::value_t::binary: {
        YAML::Node map(YAML::NodeType::Map);
        for (auto it = json.begin(); it != json.end(); ++it)
            map[it.key()] = jsonToYaml(it.value());
        return map;
    }
    }
    return YAML::Node();
}

YAML::Node loadYamlText(const std::string &text, const std::string &source)
{
    try {
        return YAML::Load(text);
    } catch (const YAML::ParserException &error) {
        throw std::invalid_argument(source + " line " + std::to_string(error.mark.line + 1)
                                    + ", column " + std::to_string(error.mark.column + 1)
                                    + ": YAML syntax error: " + error.msg + ".");
    }
}

} // namespace seplab::train
