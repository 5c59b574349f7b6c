#pragma once

// Reads typed values out of one YAML mapping of a sweep or plan file, each error one sentence
// naming the file, the line and the dotted key: "plan.yaml line 7: 'stages[1].trials' must be a
// whole number, not \"many\"."

#include "core/train/yaml_json.h"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>
#include <yaml-cpp/yaml.h>

namespace seplab::sweep {

// "FILE line N: " for a node with a position, else "FILE: ".
std::string yamlWhere(const std::string &source, const YAML::Node &node);
// 1-based line of a node, 0 when unknown.
int yamlLine(const YAML::Node &node);
// The file loader is train::loadYamlText; sweep files use the same.
using train::loadYamlText;
// The key and value nodes of `key` in a map (Undefined nodes when absent).
std::pair<YAML::Node, YAML::Node> yamlEntry(const YAML::Node &map, const std::string &key);

class YamlMapReader
{
public:
    YamlMapReader(const YAML::Node &map, std::string prefix, std::string source);

    bool has(const std::string &key) const;
    YAML::Node node(const std::string &key) const { return yamlEntry(m_map, key).second; }
    [[noreturn]] void fail(const std::string &key, const std::string &problem) const;

    nlohmann::json value(const std::string &key) const;
    std::string string(const std::string &key) const;
    std::string choice(const std::string &key, const std::vector<std::string> &allowed) const;
    double number(const std::string &key) const;
    std::int64_t integer(const std::string &key, std::int64_t minimum) const;
    bool boolean(const std::string &key) const;
    // Throws for the first key not in `known`; `what` completes "unknown key 'x' in <what>".
    void onlyKeys(const std::vector<std::string> &known, const std::string &what) const;

    const std::string &prefix() const { return m_prefix; }
    const std::string &source() const { return m_source; }

private:
    YAML::Node m_map;
    std::string m_prefix;
    std::string m_source;
};

} // namespace seplab::sweep
