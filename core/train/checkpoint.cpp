#include "core/train/checkpoint.h"

#include <cstdio>
#include <filesystem>
#include <map>
#include <stdexcept>
#include <torch/torch.h>

namespace seplab::train {

namespace {

constexpr const char *kFormatKey = "seplab_checkpoint";
constexpr std::int64_t kFormatVersion = 1;

nlohmann::json metaToJson(const CheckpointMeta &meta)
{
    return {{"model_type", meta.modelType},
            {"model_params", meta.modelParams},
            {"sample_rate", meta.sampleRate},
            {"task", meta.task},
            {"config_yaml", meta.configYaml},
            {"trainer_state", meta.trainerState}};
}

CheckpointMeta metaFromJson(const nlohmann::json &json)
{
    CheckpointMeta meta;
    meta.modelType = json.at("model_type").get<std::string>();
    meta.modelParams = json.at("model_params");
    meta.sampleRate = json.at("sample_rate").get<int>();
    meta.task = json.at("task").get<std::string>();
    meta.configYaml = json.at("config_yaml").get<std::string>();
    meta.trainerState = json.at("trainer_state");
    return meta;
}

torch::serialize::InputArchive openArchive(const std::string &path)
{
    if (!std::filesystem::is_regular_file(path))
        throw std::runtime_error(path + ": no such checkpoint file.");
    torch::serialize::InputArchive archive;
    try {
        archive.load_from(path);
    } catch (const c10::Error &) {
        throw std::runtime_error(path
                                 + ": not a SepLab checkpoint (not a LibTorch archive; "
                                   "use import-weights for PyTorch state_dicts).");
    }
    return archive;
}

CheckpointMeta readMeta(torch::serialize::InputArchive &archive, const std::string &path)
{
    c10::IValue format, metaText;
    if (!archive.try_read(kFormatKey, format) || !archive.try_read("meta", metaText)
        || !format.isInt() || !metaText.isString())
        throw std::runtime_error(path + ": not a SepLab checkpoint (no seplab_checkpoint record).");
    if (format.toInt() > kFormatVersion)
        throw std::runtime_error(path + ": checkpoint format " + std::to_string(format.toInt())
                                 + " is newer than this SepLab reads ("
                                 + std::to_string(kFormatVersion) + ").");
    try {
        return metaFromJson(nlohmann::json::parse(metaText.toStringRef()));
    } catch (const nlohmann::json::exception &error) {
        throw std::runtime_error(path + ": damaged checkpoint record (" + error.what() + ").");
    }
}

} // namespace

void replaceFileAtomically(const std::string &temporary, const std::string &target)
{
    if (std::rename(temporary.c_str(), target.c_str()) != 0) {
        std::remove(temporary.c_str());
        throw std::runtime_error(target + ": could not be replaced (rename failed).");
    }
}

void saveCheckpoint(const std::string &path,
                    const models::Separator &model,
                    const CheckpointMeta &meta,
                    const torch::optim::Optimizer *optimizer)
{
    torch::serialize::OutputArchive archive;
    archive.write(kFormatKey, c10::IValue(kFormatVersion));
    archive.write("meta", c10::IValue(metaToJson(meta).dump()));

    torch::serialize::OutputArchive modelArchive;
    model.save(modelArchive);
    archive.write("model", modelArchive);
    if (optimizer) {
        torch::serialize::OutputArchive optimizerArchive;
        optimizer->save(optimizerArchive);
        archive.write("optimizer", optimizerArchive);
    }

    const std::filesystem::path target(path);
    if (!target.parent_path().empty())
        std::filesystem::create_directories(target.parent_path());
    const std::string temporary = path + ".tmp";
    try {
        archive.save_to(temporary);
    } catch (const c10::Error &) {
        std::remove(temporary.c_str());
        throw std::runtime_error(path + ": could not write the checkpoint.");
    }
    replaceFileAtomically(temporary, path);
}

CheckpointMeta readCheckpointMeta(const std::string &path)
{
    torch::serialize::InputArchive archive = openArchive(path);
    return readMeta(archive, path);
}

void loadModelWeights(const std::string &path, models::Separator &model)
{
    torch::serialize::InputArchive archive = openArchive(path);
    const CheckpointMeta meta = readMeta(archive, path);
    if (meta.modelType != model.typeName())
        throw std::runtime_error(path + ": holds a " + meta.modelType + ", not a "
                                 + model.typeName() + ".");
    torch::serialize::InputArchive modelArchive;
    if (!archive.try_read("model", modelArchive))
        throw std::runtime_error(path + ": the checkpoint holds no model weights.");
    // Module::load replaces each tensor wholesale, whatever its shape, so shapes are compared
    // before and after.
    std::map<std::string, std::vector<std::int64_t>> shapes;
    for (const auto &item : model.named_parameters())
        shapes[item.key()] = item.value().sizes().vec();
    const std::string mismatch = path + ": the weights do not fit the configured "
                                 + model.typeName() + ".";
    try {
        model.load(modelArchive);
    } catch (const c10::Error &) {
        throw std::runtime_error(mismatch);
    }
    for (const auto &item : model.named_parameters()) {
        if (shapes[item.key()] != item.value().sizes().vec())
            throw std::runtime_error(mismatch);
    }
}

ModelCheckpoint loadModelCheckpoint(const std::string &path, const std::string &device)
{
    ModelCheckpoint checkpoint;
    checkpoint.meta = readCheckpointMeta(path);
    try {
        checkpoint.model = models::createModel(checkpoint.meta.modelType,
                                               checkpoint.meta.modelParams);
    } catch (const std::invalid_argument &error) {
        throw std::runtime_error(path + ": " + error.what());
    }
    loadModelWeights(path, *checkpoint.model);
    checkpoint.model->to(torch::Device(device));
    checkpoint.model->eval();
    return checkpoint;
}

void loadOptimizerState(const std::string &path, torch::optim::Optimizer &optimizer)
{
    torch::serialize::InputArchive archive = openArchive(path);
    torch::serialize::InputArchive optimizerArchive;
    if (!archive.try_read("optimizer", optimizerArchive))
        throw std::runtime_error(path + ": the checkpoint holds no optimiser state.");
    optimizer.load(optimizerArchive);
}

} // namespace seplab::train
