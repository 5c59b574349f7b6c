#include "core/sweep/plan.h"

#include "core/sweep/plan_executor.h"
#include "core/sweep/samplers.h"
#include "core/sweep/yaml_map_reader.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

namespace seplab::sweep {

namespace {

using nlohmann::json;
namespace fs = std::filesystem;

// Plan and stage names become folder names: letters, digits, '_', '.' and '-' only. (W&B's
// sweep names, such as "3-dprnn-stage2-4k", may start with a digit.)
bool isValidName(const std::string &name)
{
    if (name.empty() || name == "." || name == "..")
        return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-';
    });
}

const std::vector<std::string> kPlanKeys = {"name",
                                            "metric",
                                            "base_config",
                                            "data",
                                            "seed",
                                            "set",
                                            "executor",
                                            "stages",
                                            "scales",
                                            "description"};
const std::vector<std::string> kStageKeys = {"name",
                                             "train_samples",
                                             "epochs",
                                             "trials",
                                             "parallel",
                                             "narrow_from",
                                             "promote",
                                             "for_each",
                                             "validate",
                                             "review",
                                             "set"};
// Applies `scales: {NAME: {...}}` to the document before it is read: plan-level keys replace
// the plan's (a `set` map merges key by key) and `stages: {STAGE: {...}}` replaces keys of the
// named stages. Works on the parsed nodes, so every line number still points into the file.
void applyScale(YAML::Node &root, const std::string &scale, const std::string &source)
{
    const YAML::Node scales = yamlEntry(root, "scales").second;
    const YAML::Node chosen = scales && scales.IsMap() ? yamlEntry(scales, scale).second
                                                       : YAML::Node(YAML::NodeType::Undefined);
    if (!chosen) {
        std::string known;
        if (scales && scales.IsMap())
            for (const auto &item : scales)
                known += (known.empty() ? "" : ", ") + item.first.as<std::string>();
        throw std::invalid_argument(
            source + ": no scale '" + scale + "' in 'scales'"
            + (known.empty() ? " (the plan defines none)" : " (it defines " + known + ")") + ".");
    }
    if (!chosen.IsMap())
        throw std::invalid_argument(yamlWhere(source, chosen) + "'scales." + scale
                                    + "' must be a mapping.");
    for (const auto &item : chosen) {
        const std::string key = item.first.as<std::string>();
        if (key == "stages")
            continue;
        if (key == "set" && root["set"] && root["set"].IsMap() && item.second.IsMap()) {
            YAML::Node set = root["set"];
            for (const auto &override : item.second)
                set[override.first.as<std::string>()] = override.second;
            continue;
        }
        if (!std::count(kPlanKeys.begin(), kPlanKeys.end(), key) || key == "scales")
            throw std::invalid_argument(yamlWhere(source, item.first) + "'scales." + scale + "."
                                        + key + "' is not a plan key a scale can change.");
        root[key] = item.second;
    }
    const YAML::Node stageChanges = yamlEntry(chosen, "stages").second;
    if (!stageChanges)
        return;
    if (!stageChanges.IsMap())
        throw std::invalid_argument(yamlWhere(source, stageChanges) + "'scales." + scale
                                    + ".stages' must map stage names to keys.");
    YAML::Node stages = root["stages"];
    for (const auto &change : stageChanges) {
        const std::string stageName = change.first.as<std::string>();
        bool found = false;
        for (YAML::Node stage : stages) {
            if (stage.IsMap() && stage["name"] && stage["name"].as<std::string>() == stageName) {
                for (const auto &item : change.second)
                    stage[item.first.as<std::string>()] = item.second;
                found = true;
            }
        }
        if (!found)
            throw std::invalid_argument(yamlWhere(source, change.first) + "'scales." + scale
                                        + ".stages' names stage '" + stageName
                                        + "', which the plan does not have.");
    }
}

json readSet(const YamlMapReader &reader)
{
    const json set = reader.value("set");
    if (!set.is_object())
        reader.fail("set", "must map config keys to values, such as {early_stopping_patience: 12}");
    return set;
}

StageNarrowing readNarrowing(const YAML::Node &node,
                             const std::string &prefix,
                             const std::string &source)
{
    if (!node.IsMap())
        throw std::invalid_argument(yamlWhere(source, node) + "'" + prefix
                                    + "' must be a mapping with 'stage'.");
    YamlMapReader reader(node, prefix + ".", source);
    reader.onlyKeys({"stage", "top_fraction", "margin", "quantiles"}, "'" + prefix + "'");
    StageNarrowing narrowing;
    if (!reader.has("stage"))
        throw std::invalid_argument(yamlWhere(source, node) + "'" + prefix + ".stage' is required.");
    narrowing.stage = reader.string("stage");
    if (reader.has("top_fraction")) {
        narrowing.topFraction = reader.number("top_fraction");
        if (!(narrowing.topFraction > 0.0 && narrowing.topFraction <= 1.0))
            reader.fail("top_fraction", "must be in (0, 1]");
    }
    if (reader.has("margin")) {
        narrowing.margin = reader.number("margin");
        if (!(narrowing.margin >= 0.0))
            reader.fail("margin", "must be zero or positive");
    }
    if (reader.has("quantiles")) {
        const json q = reader.value("quantiles");
        if (!q.is_array() || q.size() != 2 || !q[0].is_number() || !q[1].is_number()
            || !(q[0].get<double>() >= 0.0 && q[0].get<double>() < q[1].get<double>()
                 && q[1].get<double>() <= 1.0))
            reader.fail("quantiles", "must be two numbers [low, high] with 0 <= low < high <= 1");
        narrowing.lowQuantile = q[0].get<double>();
        narrowing.highQuantile = q[1].get<double>();
    }
    return narrowing;
}

StagePromotion readPromotion(const YamlMapReader &reader,
                             const YAML::Node &node,
                             const std::string &prefix)
{
    StagePromotion promotion;
    if (!reader.has("from"))
        throw std::invalid_argument(yamlWhere(reader.source(), node) + "'" + prefix
                                    + ".from' is required.");
    promotion.from = reader.string("from");
    if (reader.has("top_k"))
        promotion.topK = int(reader.integer("top_k", 1));
    if (reader.has("diverse"))
        promotion.diverse = reader.boolean("diverse");
    if (reader.has("per_group"))
        promotion.perGroup = reader.boolean("per_group");
    if (reader.has("min_distance")) {
        promotion.minDistance = reader.number("min_distance");
        if (!(promotion.minDistance >= 0.0 && promotion.minDistance <= 1.0))
            reader.fail("min_distance", "must be in [0, 1]");
    }
    return promotion;
}

StagePlan readStage(YAML::Node node, int index, const std::string &source)
{
    const std::string prefix = "stages[" + std::to_string(index) + "]";
    if (!node.IsMap())
        throw std::invalid_argument(yamlWhere(source, node) + "'" + prefix
                                    + "' must be a mapping (a W&B sweep body plus stage keys).");
    YamlMapReader reader(node, prefix + ".", source);
    StagePlan stage;
    stage.line = yamlLine(node);
    stage.name = reader.has("name") ? reader.string("name") : "stage" + std::to_string(index + 1);
    if (!isValidName(stage.name))
        reader.fail("name", "must be a word of letters, digits, '_', '.' or '-'");
    if (reader.has("train_samples"))
        stage.trainSamples = reader.integer("train_samples", 1);
    if (reader.has("epochs"))
        stage.epochs = int(reader.integer("epochs", 1));
    if (reader.has("trials"))
        stage.trials = reader.integer("trials", 1);
    if (reader.has("parallel"))
        stage.parallel = int(reader.integer("parallel", 1));
    if (reader.has("review"))
        stage.review = reader.boolean("review");
    if (reader.has("set"))
        stage.set = readSet(reader);
    if (reader.has("narrow_from"))
        stage.narrowFrom = readNarrowing(reader.node("narrow_from"),
                                         prefix + ".narrow_from",
                                         source);
    if (reader.has("validate")) {
        const YAML::Node validate = reader.node("validate");
        if (!validate.IsMap())
            reader.fail("validate", "must be a mapping with 'from', 'top_k' and 'seeds'");
        YamlMapReader inner(validate, prefix + ".validate.", source);
        inner.onlyKeys({"from", "top_k", "seeds", "diverse", "min_distance", "per_group"},
                       "'" + prefix + ".validate'");
        stage.kind = StagePlan::Kind::Validate;
        stage.promote = readPromotion(inner, validate, prefix + ".validate");
        if (!inner.has("seeds"))
            inner.fail("seeds", "is required (for example [42, 123, 456])");
        const json seeds = inner.value("seeds");
        if (!seeds.is_array() || seeds.empty())
            inner.fail("seeds", "must be a non-empty list of whole numbers");
        for (const json &seed : seeds) {
            if (!seed.is_number_integer())
                inner.fail("seeds", "must hold whole numbers, not " + seed.dump());
            stage.seeds.push_back(seed.get<std::int64_t>());
        }
        if (std::set<std::int64_t>(stage.seeds.begin(), stage.seeds.end()).size()
            != stage.seeds.size())
            inner.fail("seeds", "lists a seed twice");
    }
    if (reader.has("for_each")) {
        if (reader.string("for_each") != "promoted")
            reader.fail("for_each", "must be 'promoted' (a grid around each promoted config)");
        if (stage.kind == StagePlan::Kind::Validate)
            reader.fail("for_each", "cannot be combined with 'validate'");
        stage.kind = StagePlan::Kind::ForEach;
    }
    if (reader.has("promote")) {
        const YAML::Node promote = reader.node("promote");
        if (!promote.IsMap())
            reader.fail("promote", "must be a mapping with 'from' and 'top_k'");
        YamlMapReader inner(promote, prefix + ".promote.", source);
        inner.onlyKeys({"from", "top_k", "diverse", "min_distance", "per_group"},
                       "'" + prefix + ".promote'");
        if (stage.kind != StagePlan::Kind::ForEach)
            reader.fail("promote",
                        "needs 'for_each: promoted' in the same stage (a validation "
                        "stage promotes through 'validate')");
        stage.promote = readPromotion(inner, promote, prefix + ".promote");
    }
    if (stage.kind == StagePlan::Kind::ForEach && !stage.promote)
        reader.fail("for_each", "needs 'promote: {from, top_k}' to know what to run around");
    if (stage.narrowFrom && stage.kind != StagePlan::Kind::Search)
        reader.fail("narrow_from", "only applies to a search stage");

    // The W&B body. A stage that narrows may leave out `method` and `parameters` (it inherits
    // them); a validation stage has neither.
    stage.parametersGiven = reader.has("parameters");
    if (stage.kind == StagePlan::Kind::Validate) {
        for (const char *key : {"parameters", "method", "early_terminate"})
            if (reader.has(key))
                reader.fail(key,
                            "does not apply to a validation stage (it re-runs promoted "
                            "configurations with new seeds)");
        node["method"] = "grid";
    }
    if (!reader.has("method") && stage.narrowFrom)
        node["method"] = "__inherit__";
    if (!reader.has("method"))
        throw std::invalid_argument(yamlWhere(source, node) + "'" + prefix
                                    + ".method' is required (grid, random, bayes or tpe).");
    const std::string method = reader.string("method");
    if (method == "tpe" || method == "__inherit__")
        node["method"] = "random"; // W&B's schema lacks both; the real method is kept below
    stage.sweep = parseSweepNode(node, source, kStageKeys, stage.parametersGiven);
    stage.sweep.method = method == "__inherit__" ? std::string() : method;
    if (stage.sweep.count && !stage.trials)
        stage.trials = *stage.sweep.count;
    if (stage.sweep.runCap && !stage.trials)
        stage.trials = *stage.sweep.runCap;
    if (stage.kind == StagePlan::Kind::ForEach && stage.sweep.method != "grid")
        reader.fail("method", "must be grid in a 'for_each: promoted' stage");
    if (stage.kind == StagePlan::Kind::Search && stage.sweep.method == "grid"
        && stage.parametersGiven)
        gridSize(stage.sweep.parameters); // throws, naming a parameter a grid cannot take
    if (stage.kind == StagePlan::Kind::Search && !stage.trials && stage.sweep.method != "grid"
        && !stage.sweep.method.empty())
        throw std::invalid_argument(yamlWhere(source, node) + "'" + prefix
                                    + ".trials' is required for " + stage.sweep.method
                                    + " search (W&B's `count` is accepted too).");
    return stage;
}

void checkReferences(Plan &plan)
{
    std::set<std::string> earlier;
    for (StagePlan &stage : plan.stages) {
        auto check = [&](const std::string &name, const char *key) {
            if (!earlier.count(name))
                throw std::invalid_argument(plan.source + " line " + std::to_string(stage.line)
                                            + ": stage '" + stage.name + "' takes '" + key
                                            + "' from stage '" + name
                                            + "', which is not an earlier stage of the plan.");
        };
        if (earlier.count(stage.name))
            throw std::invalid_argument(plan.source + " line " + std::to_string(stage.line)
                                        + ": two stages are named '" + stage.name + "'.");
        if (stage.narrowFrom)
            check(stage.narrowFrom->stage, "narrow_from");
        if (stage.promote)
            check(stage.promote->from,
                  stage.kind == StagePlan::Kind::Validate ? "validate" : "promote");
        if (stage.sweep.method.empty()) {
            // Inherit the narrowed stage's method.
            const StagePlan *from = plan.findStage(stage.narrowFrom->stage);
            stage.sweep.method = from->sweep.method;
            if (!stage.trials && from->sweep.method != "grid")
                stage.trials = from->trials;
        }
        if (!stage.parametersGiven && stage.kind == StagePlan::Kind::Search && !stage.narrowFrom)
            throw std::invalid_argument(plan.source + " line " + std::to_string(stage.line)
                                        + ": stage '" + stage.name
                                        + "' needs 'parameters' or 'narrow_from'.");
        if (stage.sweep.metric && stage.sweep.metric->name != plan.metric.name)
            throw std::invalid_argument(plan.source + " line " + std::to_string(stage.line)
                                        + ": stage '" + stage.name + "' optimises '"
                                        + stage.sweep.metric->name + "' but the plan's metric is '"
                                        + plan.metric.name + "'; one plan has one metric.");
        earlier.insert(stage.name);
    }
}

} // namespace

std::string StagePlan::kindName() const
{
    switch (kind) {
    case Kind::Search:
        return "search";
    case Kind::ForEach:
        return "for_each";
    case Kind::Validate:
        return "validate";
    }
    return "search";
}

const StagePlan *Plan::findStage(const std::string &stageName) const
{
    const int index = stageIndex(stageName);
    return index < 0 ? nullptr : &stages[std::size_t(index)];
}

int Plan::stageIndex(const std::string &stageName) const
{
    for (std::size_t i = 0; i < stages.size(); ++i)
        if (stages[i].name == stageName)
            return int(i);
    return -1;
}

std::string Plan::resolvePath(const std::string &path) const
{
    if (path.empty())
        return path;
    const fs::path given(path);
    if (given.is_absolute())
        return given.lexically_normal().string();
    // The users' sweeps name configs relative to their project root
    // ("experiments/dprnn/dprnn_8000.yaml"); next to the plan, in the working folder, or by
    // file name in the plan's folder or the one above are all tried, in that order.
    const fs::path base = folder.empty() ? fs::current_path() : fs::path(folder);
    const std::vector<fs::path> candidates = {base / given,
                                              fs::current_path() / given,
                                              base / given.filename(),
                                              base.parent_path() / given.filename()};
    for (const fs::path &candidate : candidates)
        if (fs::is_regular_file(candidate))
            return fs::absolute(candidate).lexically_normal().string();
    return fs::absolute(base / given).lexically_normal().string();
}

Plan parsePlan(const std::string &yamlText, const std::string &source, const std::string &scale)
{
    YAML::Node root = loadYamlText(yamlText, source);
    const std::string folder = fs::absolute(fs::path(source)).parent_path().string();
    if (root.IsMap() && yamlEntry(root, "method").second && !yamlEntry(root, "stages").second) {
        if (!scale.empty())
            throw std::invalid_argument(source + ": a plain W&B sweep has no scales; '--scale "
                                        + scale + "' needs a plan file.");
        Plan plan = planFromSweep(parseSweepNode(root, source), folder);
        plan.source = source;
        return plan;
    }
    if (!root.IsMap())
        throw std::invalid_argument(source
                                    + ": a plan must be a mapping with 'name', 'metric' "
                                      "and 'stages'.");
    YamlMapReader reader(root, "", source);
    reader.onlyKeys(kPlanKeys, "a plan");
    Plan plan;
    plan.source = source;
    plan.folder = folder;
    if (const YAML::Node scales = reader.node("scales"); scales && scales.IsMap()) {
        for (const auto &item : scales)
            plan.scales.push_back(item.first.as<std::string>());
        plan.scaleDefinitions = reader.value("scales");
    }
    if (!scale.empty()) {
        applyScale(root, scale, source);
        plan.scale = scale;
    }
    if (!reader.has("name"))
        throw std::invalid_argument(source + ": 'name' is required.");
    plan.name = reader.string("name");
    if (!isValidName(plan.name))
        reader.fail("name", "must be a word of letters, digits, '_', '.' or '-'");
    if (reader.has("description"))
        plan.description = reader.string("description");
    if (reader.has("base_config"))
        plan.baseConfig = reader.string("base_config");
    if (reader.has("data"))
        plan.data = reader.string("data");
    if (reader.has("seed"))
        plan.seed = std::uint64_t(reader.integer("seed", 0));
    if (reader.has("set"))
        plan.set = readSet(reader);
    if (reader.has("executor"))
        plan.executor = readExecutor(reader.node("executor"), source);
    const YAML::Node stages = reader.node("stages");
    if (!stages || !stages.IsSequence() || stages.size() == 0)
        throw std::invalid_argument(yamlWhere(source, stages ? stages : root)
                                    + "'stages' must be a non-empty list.");
    for (std::size_t i = 0; i < stages.size(); ++i)
        plan.stages.push_back(readStage(stages[i], int(i), source));
    if (reader.has("metric")) {
        plan.metric = parseMetricNode(reader.node("metric"), source);
    } else {
        for (const StagePlan &stage : plan.stages)
            if (stage.sweep.metric) {
                plan.metric = *stage.sweep.metric;
                break;
            }
        if (plan.metric.name.empty())
            throw std::invalid_argument(source
                                        + ": 'metric' is required (for example {name: "
                                          "best_val_sisdr, goal: maximize}).");
    }
    checkReferences(plan);
    for (const StagePlan &stage : plan.stages)
        plan.warnings.insert(plan.warnings.end(),
                             stage.sweep.warnings.begin(),
                             stage.sweep.warnings.end());
    return plan;
}

Plan loadPlan(const std::string &path, const std::string &scale)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw std::invalid_argument(path + ": cannot open the plan file.");
    std::ostringstream text;
    text << in.rdbuf();
    return parsePlan(text.str(), path, scale);
}

Plan planFromSweep(const SweepConfig &sweep, const std::string &folder)
{
    if (!sweep.metric)
        throw std::invalid_argument(sweep.source
                                    + ": 'metric' is required to run a sweep (for "
                                      "example {name: best_val_sisdr, goal: "
                                      "maximize}).");
    Plan plan;
    plan.source = sweep.source;
    plan.folder = folder;
    plan.name = !sweep.name.empty() ? sweep.name : fs::path(sweep.source).stem().string();
    if (!isValidName(plan.name))
        plan.name = "sweep";
    plan.metric = *sweep.metric;
    StagePlan stage;
    stage.name = "search";
    stage.sweep = sweep;
    stage.parametersGiven = true;
    stage.line = 1;
    if (sweep.count)
        stage.trials = *sweep.count;
    else if (sweep.runCap)
        stage.trials = *sweep.runCap;
    else if (sweep.method != "grid")
        plan.warnings.push_back(sweep.source
                                + ": no 'count' or 'run_cap'; the stage runs 10 "
                                  "trials (give --trials N).");
    if (!stage.trials && sweep.method != "grid")
        stage.trials = 10;
    if (const NamedParameter *epochs = sweep.parameters.find("num_epochs");
        epochs && epochs->parameter.isConstant() && epochs->parameter.value().is_number_integer())
        stage.epochs = epochs->parameter.value().get<int>();
    plan.stages.push_back(std::move(stage));
    return plan;
}

} // namespace seplab::sweep
