#include "core/sweep/yaml_map_reader.h"

#include "core/train/yaml_json.h"

#include <algorithm>
#include <stdexcept>

namespace seplab::sweep {

using nlohmann::json;

std::string yamlWhere(const std::string &source, const YAML::Node &node)
{
    const int line = yamlLine(node);
    return line == 0 ? source + ": " : source + " line " + std::to_string(line) + ": ";
}

int yamlLine(const YAML::Node &node)
{
    if (!node.IsDefined())
        return 0;
    const YAML::Mark mark = node.Mark();
    return (mark.is_null() || mark.line < 0) ? 0 : mark.line + 1;
}

std::pair<YAML::Node, YAML::Node> yamlEntry(const YAML::Node &map, const std::string &key)
{
    if (map.IsMap())
        for (const auto &item : map)
            if (item.first.as<std::string>() == key)
                return {item.first, item.second};
    return {YAML::Node(YAML::NodeType::Undefined), YAML::Node(YAML::NodeType::Undefined)};
}

YamlMapReader::YamlMapReader(const YAML::Node &map, std::string prefix, std::string source)
    : m_map(map)
    , m_prefix(std::move(prefix))
    , m_source(std::move(source))
{}

bool YamlMapReader::has(const std::string &key) const
{
    return bool(yamlEntry(m_map, key).second);
}

void YamlMapReader::fail(const std::string &key, const std::string &problem) const
{
    const auto [keyNode, value] = yamlEntry(m_map, key);
    throw std::invalid_argument(yamlWhere(m_source, keyNode ? keyNode : m_map) + "'" + m_prefix
                                + key + "' " + problem + ".");
}

json YamlMapReader::value(const std::string &key) const
{
    return train::yamlToJson(yamlEntry(m_map, key).second);
}

std::string YamlMapReader::string(const std::string &key) const
{
    const json v = value(key);
    if (v.is_string())
        return v.get<std::string>();
    if (v.is_number() || v.is_boolean())
        return v.dump();
    fail(key, "must be text, not " + v.dump());
}

std::string YamlMapReader::choice(const std::string &key,
                                  const std::vector<std::string> &allowed) const
{
    const std::string v = string(key);
    if (std::find(allowed.begin(), allowed.end(), v) != allowed.end())
        return v;
    std::string list;
    for (std::size_t i = 0; i < allowed.size(); ++i)
        list += (i == 0 ? "" : i + 1 == allowed.size() ? " or " : ", ") + allowed[i];
    fail(key, "must be " + list + ", not '" + v + "'");
}

double YamlMapReader::number(const std::string &key) const
{
    const json v = value(key);
    if (!v.is_number())
        fail(key, "must be a number, not " + v.dump());
    return v.get<double>();
}

std::int64_t YamlMapReader::integer(const std::string &key, std::int64_t minimum) const
{
    const json v = value(key);
    if (!v.is_number_integer())
        fail(key, "must be a whole number, not " + v.dump());
    const auto n = v.get<std::int64_t>();
    if (n < minimum)
        fail(key, "must be at least " + std::to_string(minimum) + ", not " + v.dump());
    return n;
}

bool YamlMapReader::boolean(const std::string &key) const
{
    const json v = value(key);
    if (!v.is_boolean())
        fail(key, "must be true or false, not " + v.dump());
    return v.get<bool>();
}

void YamlMapReader::onlyKeys(const std::vector<std::string> &known, const std::string &what) const
{
    for (const auto &item : m_map) {
        const std::string key = item.first.as<std::string>();
        if (std::find(known.begin(), known.end(), key) == known.end())
            throw std::invalid_argument(yamlWhere(m_source, item.first) + "unknown key '" + m_prefix
                                        + key + "' in " + what + ".");
    }
}

} // namespace seplab::sweep
