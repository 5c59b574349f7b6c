// The resolved training config: every setting, in the original project's layout and key order,
// as the run folder records it.

#include "core/train/config_keys.h"
#include "core/train/train_config.h"
#include "core/train/yaml_json.h"

#include <yaml-cpp/yaml.h>

namespace seplab::train {

using config_keys::kDataKeys;
using config_keys::kTrainingKeys;

std::string resolvedConfigYaml(const TrainConfig &config, const nlohmann::json &modelParams)
{
    const DataSettings &data = config.data;
    const TrainingSettings &training = config.training;
    const auto limit = [](std::int64_t value) {
        return value < 0 ? nlohmann::json(nullptr) : nlohmann::json(value);
    };
    nlohmann::json variants = nlohmann::json::array();
    for (data::Variant variant : training.validationVariants)
        variants.push_back(data::variantName(variant));
    nlohmann::json curriculum = nullptr;
    if (!training.curriculum.empty()) {
        curriculum = nlohmann::json::array();
        for (const data::CurriculumEntry &entry : training.curriculum.entries()) {
            nlohmann::json names = nlohmann::json::array();
            for (data::Variant variant : entry.variants)
                names.push_back(data::variantName(variant));
            nlohmann::json item = {{"epoch", entry.epoch}, {"variants", names}};
            if (entry.startsScheduler)
                item["lr_scheduler"] = "start";
            curriculum.push_back(item);
        }
    }
    const nlohmann::json dataJson = {{"dataset_type", data.datasetType},
                                     {"data_root", data.dataRoot},
                                     {"batch_size", data.batchSize},
                                     {"task", data::taskName(data.task)},
                                     {"train_max_samples", limit(data.trainMaxSamples)},
                                     {"val_max_samples", limit(data.valMaxSamples)},
                                     {"num_workers", data.numWorkers},
                                     {"prefetch_factor", data.prefetchFactor},
                                     {"subset", data.subset},
                                     {"subset_seed", data.subsetSeed},
                                     {"segment_seconds", data.segmentSeconds}};
    const nlohmann::json trainingJson = {{"lr", training.lr},
                                         {"weight_decay", training.weightDecay},
                                         {"grad_clip_norm", training.gradClipNorm},
                                         {"lr_factor", training.lrFactor},
                                         {"lr_patience", training.lrPatience},
                                         {"num_epochs", training.numEpochs},
                                         {"use_amp", training.useAmp},
                                         {"amp_eps", training.ampEps},
                                         {"amp_dtype", training.ampDtype},
                                         {"early_stopping_patience",
                                          training.earlyStoppingPatience
                                              ? nlohmann::json(*training.earlyStoppingPatience)
                                              : nlohmann::json(nullptr)},
                                         {"validation_variants", variants},
                                         {"per_variant_validation", training.perVariantValidation},
                                         {"curriculum_learning", curriculum},
                                         {"seed", training.seed},
                                         {"grad_accumulation_steps", training.gradAccumulationSteps},
                                         {"save_all_checkpoints", training.saveAllCheckpoints}};

    // Emitted section by section in the original's order (data, model, training); JSON objects
    // would sort the keys.
    YAML::Emitter out;
    out << YAML::BeginMap;
    const auto emitSection = [&out](const char *name,
                                    const nlohmann::json &section,
                                    const std::vector<std::string> &order) {
        out << YAML::Key << name << YAML::Value << YAML::BeginMap;
        for (const std::string &key : order) {
            out << YAML::Key << key << YAML::Value;
            const nlohmann::json &value = section.at(key);
            if (value.is_array() || value.is_object())
                out << YAML::Flow;
            out << jsonToYaml(value);
        }
        out << YAML::EndMap;
    };
    emitSection("data", dataJson, kDataKeys);
    out << YAML::Key << "model" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "model_type" << YAML::Value << config.model.modelType;
    out << YAML::Key << config.model.modelType << YAML::Value
        << jsonToYaml(modelParams.is_null() ? config.model.params : modelParams);
    out << YAML::EndMap;
    out << YAML::Key << "training" << YAML::Value << YAML::BeginMap;
    for (const std::string &key : kTrainingKeys) {
        if (key == "curriculum_learning")
            continue; // written last, in block style, below

        out << YAML::Key << key << YAML::Value;
        const nlohmann::json &value = trainingJson.at(key);
        if (value.is_array())
            out << YAML::Flow;
        out << jsonToYaml(value);
    }
    // The curriculum in block style, one entry per item, as users write it.
    out << YAML::Key << "curriculum_learning" << YAML::Value;
    if (curriculum.is_null()) {
        out << YAML::Null;
    } else {
        out << YAML::BeginSeq;
        for (const nlohmann::json &entry : curriculum) {
            out << YAML::BeginMap << YAML::Key << "epoch" << YAML::Value
                << entry.at("epoch").get<int>();
            out << YAML::Key << "variants" << YAML::Value << YAML::Flow
                << jsonToYaml(entry.at("variants"));
            if (entry.contains("lr_scheduler"))
                out << YAML::Key << "lr_scheduler" << YAML::Value << "start";
            out << YAML::EndMap;
        }
        out << YAML::EndSeq;
    }
    out << YAML::EndMap;
    out << YAML::EndMap;
    return std::string(out.c_str()) + "\n";
}

} // namespace seplab::train
