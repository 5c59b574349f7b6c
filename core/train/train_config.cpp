#include "core/train/train_config.h"

#include "core/models/model_params.h"
#include "core/train/config_keys.h"
#include "core/train/yaml_json.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>
#include <yaml-cpp/yaml.h>

namespace seplab::train {

namespace {

using config_keys::kDataKeys;
using config_keys::kTrainingKeys;

// Keys of the original project that SepLab reads elsewhere or that only concern W&B, logging
// and paths there: known, so they draw no warning, and without effect on training here.
const std::set<std::string> kInertDataKeys = {"num_workers_val", "pin_memory"};
const std::set<std::string> kInertTrainingKeys = {"save_dir",
                                                  "use_wandb",
                                                  "wandb_project",
                                                  "wandb_entity",
                                                  "wandb_run_name",
                                                  "wandb_tags",
                                                  "log_file",
                                                  "log_level",
                                                  "resume_from"};
// Model sections the original knows besides SepLab's registry; a config may carry them.
const std::set<std::string> kOtherModelSections
    = {"sepformer", "spmamba", "mossformer2", "resepformer", "mamba_tasnet", "dpmamba"};

bool contains(const std::vector<std::string> &keys, const std::string &key)
{
    return std::find(keys.begin(), keys.end(), key) != keys.end();
}

const std::map<std::string, std::string> kShortNames = {
    {"lr", "training.lr"},
    {"weight_decay", "training.weight_decay"},
    {"grad_clip_norm", "training.grad_clip_norm"},
    {"lr_factor", "training.lr_factor"},
    {"lr_patience", "training.lr_patience"},
    {"num_epochs", "training.num_epochs"},
    {"epochs", "training.num_epochs"},
    {"seed", "training.seed"},
    {"use_amp", "training.use_amp"},
    {"amp_dtype", "training.amp_dtype"},
    {"early_stopping_patience", "training.early_stopping_patience"},
    {"save_all_checkpoints", "training.save_all_checkpoints"},
    {"curriculum_learning", "training.curriculum_learning"},
    {"validation_variants", "training.validation_variants"},
    {"per_variant_validation", "training.per_variant_validation"},
    {"grad_accumulation_steps", "training.grad_accumulation_steps"},
    {"task", "data.task"},
    {"batch_size", "data.batch_size"},
    {"train_max_samples", "data.train_max_samples"},
    {"val_max_samples", "data.val_max_samples"},
    {"data_root", "data.data_root"},
    {"segment_seconds", "data.segment_seconds"},
    {"model_type", "model.model_type"},
    {"model_B", "model.convtasnet.B"},
    {"model_H", "model.convtasnet.H"},
};

std::string where(const std::string &source, const YAML::Node &node)
{
    const YAML::Mark mark = node.Mark();
    if (mark.is_null() || mark.line < 0)
        return source + ": ";
    return source + " line " + std::to_string(mark.line + 1) + ": ";
}

// Reads one section's keys into typed settings, remembering which keys it read so that the
// rest can be reported.
class SectionReader
{
public:
    SectionReader(const YAML::Node &section, std::string name, std::string source)
        : m_section(section)
        , m_name(std::move(name))
        , m_source(std::move(source))
    {
        if (m_section && !m_section.IsNull() && !m_section.IsMap())
            throw std::invalid_argument(where(m_source, m_section) + "'" + m_name
                                        + "' must be a mapping of keys to values.");
    }

    // The node of `key` (undefined when absent or null); marks the key as read.
    YAML::Node take(const std::string &key)
    {
        m_read.insert(key);
        // An undefined node tests false; a default-constructed YAML::Node would be a *defined*
        // null and read as the text "null".
        const YAML::Node absent(YAML::NodeType::Undefined);
        if (!m_section || !m_section.IsMap())
            return absent;
        const YAML::Node &section = m_section;
        YAML::Node node = section[key];
        if (!node || node.IsNull())
            return absent;
        return node;
    }

    template<typename T>
    void read(const std::string &key, T &value)
    {
        const YAML::Node node = take(key);
        if (!node)
            return;
        try {
            value = node.as<T>();
        } catch (const YAML::Exception &) {
            fail(node, key, std::string("must be ") + typeName<T>() + ", not '" + text(node) + "'");
        }
    }

    void readPositive(const std::string &key, int &value)
    {
        read(key, value);
        if (value < 1)
            fail(m_section[key], key, "must be at least 1");
    }

    void readNonNegative(const std::string &key, double &value)
    {
        read(key, value);
        if (!(value >= 0.0))
            fail(m_section[key], key, "must be zero or positive");
    }

    // -1 for null.
    void readLimit(const std::string &key, std::int64_t &value)
    {
        const YAML::Node node = take(key);
        if (!node)
            return;
        read(key, value);
        if (value < 1)
            fail(node, key, "must be a positive number of rows or null");
    }

    void ignore(const std::set<std::string> &keys) { m_read.insert(keys.begin(), keys.end()); }

    void warnUnknown(std::vector<std::string> &warnings) const
    {
        if (!m_section || !m_section.IsMap())
            return;
        for (const auto &entry : m_section) {
            const std::string key = entry.first.as<std::string>();
            if (!m_read.count(key))
                warnings.push_back(where(m_source, entry.first) + "unknown key '" + m_name + "."
                                   + key + "' is ignored.");
        }
    }

    [[noreturn]] void fail(const YAML::Node &node,
                           const std::string &key,
                           const std::string &problem) const
    {
        throw std::invalid_argument(where(m_source, node) + "'" + m_name + "." + key + "' "
                                    + problem + ".");
    }

    const std::string &source() const { return m_source; }

private:
    template<typename T>
    static const char *typeName()
    {
        if constexpr (std::is_same_v<T, bool>)
            return "true or false";
        else if constexpr (std::is_integral_v<T>)
            return "an integer";
        else if constexpr (std::is_floating_point_v<T>)
            return "a number";
        else
            return "text";
    }

    static std::string text(const YAML::Node &node)
    {
        if (node.IsScalar())
            return node.Scalar();
        return node.IsSequence() ? "a list" : "a mapping";
    }

    YAML::Node m_section;
    std::string m_name;
    std::string m_source;
    std::set<std::string> m_read;
};

std::vector<data::Variant> readVariants(SectionReader &reader,
                                        const std::string &key,
                                        std::vector<data::Variant> fallback)
{
    const YAML::Node node = reader.take(key);
    if (!node)
        return fallback;
    if (!node.IsSequence() || node.size() == 0)
        reader.fail(node, key, "must be a non-empty list of variants (SER, SR, ER, R, SE, S, E, C)");
    std::vector<data::Variant> variants;
    for (const YAML::Node &item : node) {
        const std::optional<data::Variant> variant = item.IsScalar()
                                                         ? data::parseVariant(item.Scalar())
                                                         : std::nullopt;
        if (!variant)
            reader.fail(item,
                        key,
                        "holds '" + (item.IsScalar() ? item.Scalar() : std::string("?"))
                            + "', which is not a variant (SER, SR, ER, R, SE, S, E, C)");
        variants.push_back(*variant);
    }
    return variants;
}

void readData(const YAML::Node &root, TrainConfig &config)
{
    SectionReader reader(root["data"], "data", config.source);
    DataSettings &data = config.data;
    reader.read("dataset_type", data.datasetType);
    if (data.datasetType != "polsess" && data.datasetType != "libri2mix")
        reader.fail(root["data"]["dataset_type"],
                    "dataset_type",
                    "must be polsess or libri2mix, not '" + data.datasetType + "'");
    reader.read("data_root", data.dataRoot);
    reader.readPositive("batch_size", data.batchSize);
    std::string task = data::taskName(data.task);
    reader.read("task", task);
    const std::optional<data::Task> parsedTask = data::parseTask(task);
    if (!parsedTask)
        reader.fail(root["data"]["task"], "task", "must be ES, EB or SB, not '" + task + "'");
    data.task = *parsedTask;
    reader.readLimit("train_max_samples", data.trainMaxSamples);
    reader.readLimit("val_max_samples", data.valMaxSamples);
    reader.read("num_workers", data.numWorkers);
    if (data.numWorkers < 0)
        reader.fail(root["data"]["num_workers"], "num_workers", "must be zero or positive");
    reader.readPositive("prefetch_factor", data.prefetchFactor);
    reader.read("subset", data.subset);
    if (data.subset != "random" && data.subset != "head")
        reader.fail(root["data"]["subset"],
                    "subset",
                    "must be random or head, not '" + data.subset + "'");
    reader.read("subset_seed", data.subsetSeed);
    reader.readNonNegative("segment_seconds", data.segmentSeconds);
    reader.ignore(kInertDataKeys);
    reader.warnUnknown(config.warnings);
}

void readModel(const YAML::Node &root, TrainConfig &config)
{
    SectionReader reader(root["model"], "model", config.source);
    reader.read("model_type", config.model.modelType);
    const YAML::Node section = reader.take(config.model.modelType);
    if (section && !section.IsMap())
        reader.fail(section, config.model.modelType, "must be a mapping of hyperparameters");
    config.model.params = section ? yamlToJson(section) : nlohmann::json::object();
    // Sections of other models are legitimate (a config may carry several); unknown ones warn.
    const YAML::Node model = root["model"];
    if (model && model.IsMap()) {
        for (const auto &entry : model) {
            const std::string key = entry.first.as<std::string>();
            if (entry.second.IsMap() && kOtherModelSections.count(key))
                reader.ignore({key});
            if (entry.second.IsMap() && (key == "dprnn" || key == "convtasnet"))
                reader.ignore({key});
        }
    }
    reader.warnUnknown(config.warnings);
}

// As the original's Config.__post_init__: the task decides the model's source count (ES and EB
// one, SB two). A section that leaves C out gets it from the task; one that contradicts the
// task is an error rather than the original's silent overwrite.
void matchSourcesToTask(const YAML::Node &root, TrainConfig &config)
{
    const int sources = data::sourceCount(config.data.task);
    const std::string key = models::sourcesKey(config.model.modelType);
    nlohmann::json &params = config.model.params;
    const auto written = params.find(key);
    if (written == params.end() || written->is_null()) {
        if (sources != 2) // 2 is every model's default
            params[key] = sources;
        return;
    }
    if (!written->is_number_integer() || written->get<int>() != sources) {
        const YAML::Node model = root["model"];
        const YAML::Node node = model && model.IsMap() && model[config.model.modelType].IsMap()
                                    ? model[config.model.modelType][key]
                                    : YAML::Node(YAML::NodeType::Undefined);
        throw std::invalid_argument(where(config.source, node) + "'model." + config.model.modelType
                                    + "." + key + "' is " + written->dump() + " but data.task "
                                    + data::taskName(config.data.task) + " has "
                                    + std::to_string(sources) + " source(s).");
    }
}

void readTraining(const YAML::Node &root, TrainConfig &config)
{
    SectionReader reader(root["training"], "training", config.source);
    TrainingSettings &training = config.training;
    reader.read("lr", training.lr);
    if (!(training.lr > 0.0))
        reader.fail(root["training"]["lr"], "lr", "must be positive");
    reader.readNonNegative("weight_decay", training.weightDecay);
    reader.read("grad_clip_norm", training.gradClipNorm);
    reader.read("lr_factor", training.lrFactor);
    if (!(training.lrFactor > 0.0 && training.lrFactor < 1.0))
        reader.fail(root["training"]["lr_factor"], "lr_factor", "must lie strictly between 0 and 1");
    reader.read("lr_patience", training.lrPatience);
    if (training.lrPatience < 0)
        reader.fail(root["training"]["lr_patience"], "lr_patience", "must be zero or positive");
    reader.readPositive("num_epochs", training.numEpochs);
    reader.read("use_amp", training.useAmp);
    reader.read("amp_eps", training.ampEps);
    reader.read("amp_dtype", training.ampDtype);
    if (training.ampDtype != "auto" && training.ampDtype != "fp16" && training.ampDtype != "bf16")
        reader.fail(root["training"]["amp_dtype"],
                    "amp_dtype",
                    "must be auto, fp16 or bf16, not '" + training.ampDtype + "'");
    if (const YAML::Node node = reader.take("early_stopping_patience")) {
        int patience = 0;
        reader.readPositive("early_stopping_patience", patience);
        training.earlyStoppingPatience = patience;
    }
    training.validationVariants = readVariants(reader,
                                               "validation_variants",
                                               training.validationVariants);
    reader.read("per_variant_validation", training.perVariantValidation);
    if (const YAML::Node node = reader.take("curriculum_learning"))
        training.curriculum = data::Curriculum::fromYaml(node, config.source);
    reader.read("seed", training.seed);
    reader.readPositive("grad_accumulation_steps", training.gradAccumulationSteps);
    reader.read("save_all_checkpoints", training.saveAllCheckpoints);
    reader.ignore(kInertTrainingKeys);
    reader.warnUnknown(config.warnings);
}

void warnUnknownSections(const YAML::Node &root, TrainConfig &config)
{
    for (const auto &entry : root) {
        const std::string key = entry.first.as<std::string>();
        if (key != "data" && key != "model" && key != "training")
            config.warnings.push_back(where(config.source, entry.first) + "unknown section '" + key
                                      + "' is ignored.");
    }
}

// Walks (creating maps as needed) to the parent of the last path component.
void setPath(YAML::Node &root, const std::vector<std::string> &path, const YAML::Node &value)
{
    std::vector<YAML::Node> chain{root};
    for (std::size_t i = 0; i + 1 < path.size(); ++i) {
        YAML::Node child = chain.back()[path[i]];
        if (!child.IsMap())
            child = YAML::Node(YAML::NodeType::Map);
        chain.back()[path[i]] = child;
        chain.push_back(chain.back()[path[i]]);
    }
    chain.back()[path.back()] = value;
}

std::vector<std::string> split(const std::string &dotted)
{
    std::vector<std::string> parts;
    std::stringstream stream(dotted);
    std::string part;
    while (std::getline(stream, part, '.'))
        parts.push_back(part);
    return parts;
}

bool knownDottedKey(const std::vector<std::string> &path)
{
    if (path.size() == 2 && path[0] == "data")
        return contains(kDataKeys, path[1]);
    if (path.size() == 2 && path[0] == "training")
        return contains(kTrainingKeys, path[1]) || kInertTrainingKeys.count(path[1]) > 0;
    if (path.size() == 2 && path[0] == "model")
        return path[1] == "model_type";
    // model.<type>.<key>: the model's own fromJson validates the key when the model is built.
    return path.size() == 3 && path[0] == "model";
}

TrainConfig readConfig(const YAML::Node &root, const std::string &source)
{
    TrainConfig config;
    config.source = source;
    if (root && !root.IsNull() && !root.IsMap())
        throw std::invalid_argument(source
                                    + ": a training config must be a mapping with data, "
                                      "model and training sections.");
    try {
        readData(root, config);
        readModel(root, config);
        matchSourcesToTask(root, config);
        readTraining(root, config);
    } catch (const YAML::Exception &error) {
        throw std::invalid_argument(source + " line " + std::to_string(error.mark.line + 1) + ": "
                                    + error.msg + ".");
    }
    if (root && root.IsMap())
        warnUnknownSections(root, config);
    return config;
}

std::string modelTypeOf(const YAML::Node &root)
{
    const YAML::Node type = root["model"] ? root["model"]["model_type"] : YAML::Node();
    return type && type.IsScalar() ? type.Scalar() : ModelSettings().modelType;
}

} // namespace

std::string resolveOverrideKey(const std::string &key, const std::string &modelType)
{
    if (key.find('.') != std::string::npos)
        return knownDottedKey(split(key)) ? key : std::string();
    if (const auto it = kShortNames.find(key); it != kShortNames.end())
        return it->second;
    if (kInertTrainingKeys.count(key))
        return "training." + key;
    // Any other short key is a hyperparameter of the active model (dropout, chunk_size, ...);
    // the model rejects it when it has no such key.
    static const std::set<std::string> modelKeys = {"N",
                                                    "kernel_size",
                                                    "stride",
                                                    "C",
                                                    "num_layers",
                                                    "chunk_size",
                                                    "rnn_type",
                                                    "hidden_size",
                                                    "num_rnn_layers",
                                                    "dropout",
                                                    "bidirectional",
                                                    "norm_type",
                                                    "B",
                                                    "H",
                                                    "P",
                                                    "X",
                                                    "R",
                                                    "mask_nonlinear",
                                                    "causal",
                                                    "norm_eps",
                                                    // SepFormer
                                                    "num_blocks",
                                                    "d_model",
                                                    "nhead",
                                                    "d_ffn",
                                                    "hop_size",
                                                    "use_positional_encoding",
                                                    // SPMamba
                                                    "n_srcs",
                                                    "n_fft",
                                                    "n_layers",
                                                    "attn_n_head",
                                                    "attn_approx_qk_dim",
                                                    "emb_dim",
                                                    "emb_ks",
                                                    "emb_hs",
                                                    "eps"};
    if (modelKeys.count(key))
        return "model." + modelType + "." + key;
    return {};
}

void applyOverride(YAML::Node &root, const std::string &override)
{
    const std::size_t equals = override.find('=');
    if (equals == std::string::npos || equals == 0)
        throw std::invalid_argument("--set '" + override + "' must have the form key=value.");
    const std::string key = override.substr(0, equals);
    const std::string text = override.substr(equals + 1);
    const std::string path = resolveOverrideKey(key, modelTypeOf(root));
    if (path.empty())
        throw std::invalid_argument("--set '" + override + "': unknown key '" + key
                                    + "' (use a dotted path such as training.lr or a sweep "
                                      "name such as lr, batch_size, dropout).");
    YAML::Node value;
    try {
        // Rebuilt from JSON so that the value carries no position: errors about it must not
        // point at a line of the config file.
        value = text.empty() ? YAML::Node(YAML::NodeType::Null)
                             : jsonToYaml(yamlToJson(YAML::Load(text)));
    } catch (const YAML::ParserException &error) {
        throw std::invalid_argument("--set '" + override + "': the value is not valid YAML ("
                                    + error.msg + ").");
    }
    if (!root || !root.IsMap())
        root = YAML::Node(YAML::NodeType::Map);
    setPath(root, split(path), value);
}

TrainConfig parseTrainConfig(const std::string &yamlText,
                             const std::string &source,
                             const std::vector<std::string> &overrides)
{
    YAML::Node root = loadYamlText(yamlText, source);
    for (const std::string &override : overrides)
        applyOverride(root, override);
    return readConfig(root, source);
}

TrainConfig loadTrainConfig(const std::string &path, const std::vector<std::string> &overrides)
{
    std::ifstream file(path);
    if (!file)
        throw std::invalid_argument(path + ": cannot open the training config.");
    std::stringstream text;
    text << file.rdbuf();
    return parseTrainConfig(text.str(), path, overrides);
}

} // namespace seplab::train
