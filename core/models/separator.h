#pragma once

// A separation model: mixture [B, T] -> estimates [B, C, T], looked up by name in a registry so
// that configs, checkpoints and the CLI name models the way the original project does
// (`model_type: dprnn`).

#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <torch/torch.h>
#include <vector>

namespace seplab::models {

class Separator : public torch::nn::Module
{
public:
    // mixture [B, T] (or [B, 1, T]) -> [B, C, T] with the input's T.
    virtual torch::Tensor separate(const torch::Tensor &mixture) = 0;
    virtual int sources() const = 0;
    virtual std::string typeName() const = 0;
    // The resolved hyperparameters, every key present (defaults filled in).
    virtual nlohmann::json params() const = 0;
};

using SeparatorPtr = std::shared_ptr<Separator>;

struct ModelInfo
{
    std::string name;    // registry key, e.g. "dprnn"
    std::string summary; // one line for `model-info` and help texts
    // Builds the model from its config section (`model.<name>` in a training config). Unknown
    // keys and bad values throw std::invalid_argument naming the key.
    std::function<SeparatorPtr(const nlohmann::json &params)> create;
};

const std::vector<ModelInfo> &registeredModels();
const ModelInfo *findModel(const std::string &name);
// Throws std::invalid_argument listing the known names when `name` is unknown.
SeparatorPtr createModel(const std::string &name,
                         const nlohmann::json &params = nlohmann::json::object());

std::int64_t parameterCount(const torch::nn::Module &module);

} // namespace seplab::models
