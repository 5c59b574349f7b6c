#include "cli/model_config.h"

#include "cli/arg_parser.h"
#include "core/models/model_params.h"
#include "core/train/yaml_json.h"

#include <stdexcept>
#include <yaml-cpp/yaml.h>

namespace seplab::cli {

namespace {

std::string knownModels()
{
    std::string known;
    for (const models::ModelInfo &model : models::registeredModels())
        known += (known.empty() ? "" : ", ") + model.name;
    return known;
}

std::string lineOf(const YAML::Node &node)
{
    return node.Mark().line >= 0 ? " line " + std::to_string(node.Mark().line + 1) : "";
}

YAML::Node loadYaml(const std::string &path)
{
    try {
        return YAML::LoadFile(path);
    } catch (const YAML::BadFile &) {
        throw std::runtime_error(path + ": cannot open the config file.");
    } catch (const YAML::ParserException &error) {
        throw std::runtime_error(path + " line " + std::to_string(error.mark.line + 1)
                                 + ": not valid YAML (" + error.msg + ").");
    }
}

int sourcesOfTask(const std::string &task)
{
    return task == "SB" ? 2 : 1;
}

} // namespace

ModelSpec readModelSpec(const std::string &name, const std::string &configPath)
{
    if (!models::findModel(name))
        throw UsageError("unknown model '" + name + "' (known: " + knownModels() + ").");
    ModelSpec spec;
    spec.name = name;
    if (configPath.empty())
        return spec;

    const YAML::Node root = loadYaml(configPath);
    if (!root.IsMap())
        throw std::runtime_error(configPath
                                 + ": a training config must be a mapping with a model section.");

    const YAML::Node model = root["model"];
    if (model && !model.IsNull()) {
        if (!model.IsMap())
            throw std::runtime_error(configPath + lineOf(model) + ": model must be a mapping.");
        const YAML::Node section = model[name];
        if (section && !section.IsNull()) {
            if (!section.IsMap())
                throw std::runtime_error(configPath + lineOf(section) + ": model." + name
                                         + " must be a mapping of hyperparameters.");
            spec.params = train::yamlToJson(section);
        }
    }

    const YAML::Node data = root["data"];
    if (data && data.IsMap() && data["task"] && data["task"].IsScalar()) {
        spec.task = data["task"].Scalar();
        if (spec.task != "ES" && spec.task != "EB" && spec.task != "SB")
            throw std::runtime_error(configPath + lineOf(data["task"])
                                     + ": data.task must be ES, EB or SB, not '" + spec.task + "'.");
        const int sources = sourcesOfTask(spec.task);
        const std::string key = models::sourcesKey(name);
        const auto written = spec.params.find(key);
        if (written == spec.params.end() || written->is_null())
            spec.params[key] = sources;
        else if (!written->is_number() || written->get<double>() != double(sources))
            throw std::runtime_error(configPath + ": model." + name + "." + key + " is "
                                     + written->dump() + " but data.task " + spec.task + " has "
                                     + std::to_string(sources) + " source(s).");
    }
    return spec;
}

models::SeparatorPtr buildModel(const ModelSpec &spec, const std::string &configPath)
{
    try {
        return models::createModel(spec.name, spec.params);
    } catch (const std::invalid_argument &error) {
        // The model's message names the key (model.<name>.<key>: problem.).
        throw std::runtime_error(
            (configPath.empty() ? std::string("default hyperparameters") : configPath) + ": "
            + error.what());
    }
}

} // namespace seplab::cli
