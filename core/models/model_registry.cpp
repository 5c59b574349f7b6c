#include "core/models/convtasnet.h"
#include "core/models/dprnn.h"
#include "core/models/separator.h"
#include "core/models/sepformer.h"
#include "core/models/spmamba.h"

#include <stdexcept>

namespace seplab::models {

const std::vector<ModelInfo> &registeredModels()
{
    static const std::vector<ModelInfo> models = {
        {"dprnn",
         "DPRNN (SpeechBrain Dual_Path_Model, BiLSTM intra/inter blocks)",
         [](const nlohmann::json &p) -> SeparatorPtr {
             return std::make_shared<Dprnn>(DprnnParams::fromJson(p));
         }},
        {"convtasnet",
         "Conv-TasNet (SpeechBrain MaskNet, reflect padding, no skip branch)",
         [](const nlohmann::json &p) -> SeparatorPtr {
             return std::make_shared<ConvTasNet>(ConvTasNetParams::fromJson(p));
         }},
        {"sepformer",
         "SepFormer (SpeechBrain Dual_Path_Model, pre-LN transformer intra/inter blocks)",
         [](const nlohmann::json &p) -> SeparatorPtr {
             return std::make_shared<Sepformer>(SepformerParams::fromJson(p));
         }},
        {"spmamba",
         "SPMamba (TF-GridNet with bidirectional Mamba, STFT domain; runs on any device)",
         [](const nlohmann::json &p) -> SeparatorPtr {
             return std::make_shared<Spmamba>(SpmambaParams::fromJson(p));
         }},
    };
    return models;
}

const ModelInfo *findModel(const std::string &name)
{
    for (const ModelInfo &info : registeredModels()) {
        if (info.name == name)
            return &info;
    }
    return nullptr;
}

SeparatorPtr createModel(const std::string &name, const nlohmann::json &params)
{
    const ModelInfo *info = findModel(name);
    if (!info) {
        std::string known;
        for (const ModelInfo &model : registeredModels())
            known += (known.empty() ? "" : ", ") + model.name;
        throw std::invalid_argument("unknown model type '" + name + "' (known: " + known + ").");
    }
    return info->create(params);
}

std::int64_t parameterCount(const torch::nn::Module &module)
{
    std::int64_t count = 0;
    for (const torch::Tensor &parameter : module.parameters())
        count += parameter.numel();
    return count;
}

} // namespace seplab::models
