#include "core/models/interop/original_names.h"

#include "core/models/separator.h"

#include <algorithm>
#include <map>
#include <stdexcept>
#include <unordered_set>

namespace seplab::models::interop {

namespace {

bool startsWith(const std::string &text, const std::string &prefix)
{
    return text.compare(0, prefix.size(), prefix) == 0;
}

// Walks the modules as Python's Module.state_dict() does: a module's own parameters, then its
// own buffers, then each child in registration order.
void collect(const torch::nn::Module &module,
             const std::string &prefix,
             std::vector<std::pair<std::string, at::Tensor>> &out)
{
    for (const auto &item : module.named_parameters(/*recurse=*/false))
        out.emplace_back(prefix + item.key(), item.value());
    for (const auto &item : module.named_buffers(/*recurse=*/false))
        out.emplace_back(prefix + item.key(), item.value());
    for (const auto &child : module.named_children())
        collect(*child.value(), prefix + child.key() + ".", out);
}

// --- dprnn -------------------------------------------------------------------------------------

// SpeechBrain's Dual_Computation_Block.__init__ registers intra_mdl, inter_mdl, the two norms,
// then the two linears; SepLab registers the linears before the norms.
int dualBlockRank(const std::string &tail)
{
    static const char *const order[] = {"intra_mdl.",
                                        "inter_mdl.",
                                        "intra_norm.",
                                        "inter_norm.",
                                        "intra_linear.",
                                        "inter_linear."};
    for (int i = 0; i < 6; ++i) {
        if (startsWith(tail, order[i]))
            return i;
    }
    return 6;
}

void dprnnOrder(std::vector<TensorName> &names)
{
    const std::string blocks = "separator.dual_mdl.";
    auto blockOf = [&](const TensorName &name) {
        if (!startsWith(name.seplab, blocks))
            return std::string();
        return name.seplab.substr(0, name.seplab.find('.', blocks.size()) + 1);
    };
    auto tailRank = [&](const TensorName &name) {
        return dualBlockRank(name.seplab.substr(blockOf(name).size()));
    };
    for (auto begin = names.begin(); begin != names.end();) {
        const std::string block = blockOf(*begin);
        auto end = std::find_if(begin, names.end(), [&](const TensorName &name) {
            return blockOf(name) != block;
        });
        if (!block.empty()) {
            std::stable_sort(begin, end, [&](const TensorName &a, const TensorName &b) {
                return tailRank(a) < tailRank(b);
            });
        }
        begin = end;
    }
}

// --- convtasnet ----------------------------------------------------------------------------------

// SepLab's name inside `separator` -> the name inside the original wrapper's `mask_net`
// (SpeechBrain lobes/models/conv_tasnet.py MaskNet).
const std::map<std::string, std::string> &maskNetNames()
{
    static const std::map<std::string, std::string> names = {
        {"layer_norm.gamma", "layer_norm.gamma"},
        {"layer_norm.beta", "layer_norm.beta"},
        {"bottleneck_conv1x1.weight", "bottleneck_conv1x1.conv.weight"},
        {"mask_conv1x1.weight", "mask_conv1x1.conv.weight"},
    };
    return names;
}

// SepLab's name inside one TemporalBlock -> SpeechBrain's TemporalBlock (its `layers` Sequential:
// conv, act, norm, DSconv = DepthwiseSeparableConv: conv_0, act (PReLU), act_0 (the norm), conv_1).
const std::map<std::string, std::string> &temporalBlockNames()
{
    static const std::map<std::string, std::string> names = {
        {"conv.weight", "layers.conv.conv.weight"},
        {"act.weight", "layers.act.weight"},
        {"norm.gamma", "layers.norm.gamma"},
        {"norm.beta", "layers.norm.beta"},
        {"dsconv_depthwise.weight", "layers.DSconv.conv_0.conv.weight"},
        {"dsconv_act.weight", "layers.DSconv.act.weight"},
        {"dsconv_norm.gamma", "layers.DSconv.act_0.gamma"},
        {"dsconv_norm.beta", "layers.DSconv.act_0.beta"},
        {"dsconv_pointwise.weight", "layers.DSconv.conv_1.conv.weight"},
    };
    return names;
}

std::string convTasNetName(const std::string &name, int blocksPerRepeat)
{
    if (startsWith(name, "encoder.") || startsWith(name, "decoder."))
        return name;
    const std::string separator = "separator.";
    if (startsWith(name, separator)) {
        const std::string rest = name.substr(separator.size());
        auto masked = maskNetNames().find(rest);
        if (masked != maskNetNames().end())
            return "mask_net." + masked->second;
        const std::string tcn = "temporal_conv_net.";
        if (startsWith(rest, tcn)) {
            const std::size_t dot = rest.find('.', tcn.size());
            const int index = std::stoi(rest.substr(tcn.size(), dot - tcn.size()));
            auto layer = temporalBlockNames().find(rest.substr(dot + 1));
            if (layer != temporalBlockNames().end())
                return "mask_net.temporal_conv_net.temporalblock_"
                       + std::to_string(index / blocksPerRepeat) + "_"
                       + std::to_string(index % blocksPerRepeat) + "." + layer->second;
        }
    }
    // A tensor the table does not know is a SepLab change that forgot this file.
    throw std::logic_error("original_names: no original key for ConvTasNet tensor '" + name + "'.");
}

std::string shapeText(at::IntArrayRef sizes)
{
    std::string text = "[";
    for (std::size_t i = 0; i < sizes.size(); ++i)
        text += (i ? ", " : "") + std::to_string(sizes[i]);
    return text + "]";
}

std::string andMore(std::size_t count)
{
    return count > 1 ? " (and " + std::to_string(count - 1) + " more)" : "";
}

} // namespace

std::vector<TensorName> originalNames(const Separator &model)
{
    std::vector<std::pair<std::string, at::Tensor>> tensors;
    collect(model, "", tensors);
    const std::string type = model.typeName();

    std::vector<TensorName> names;
    if (type == "sepformer" || type == "spmamba") {
        // SepLab's modules carry the original names (SpeechBrain's for SepFormer, SPMamba's and
        // mamba_ssm's for SPMamba) and their registration order already.
        for (const auto &tensor : tensors)
            names.push_back({tensor.first, tensor.first});
    } else if (type == "dprnn") {
        for (const auto &tensor : tensors)
            names.push_back({tensor.first, tensor.first});
        dprnnOrder(names);
    } else if (type == "convtasnet") {
        const int blocksPerRepeat = model.params().at("X").get<int>();
        for (const auto &tensor : tensors)
            names.push_back({tensor.first, convTasNetName(tensor.first, blocksPerRepeat)});
    } else {
        throw std::invalid_argument("model type '" + type
                                    + "' has no mapping to the original project's names.");
    }
    return names;
}

StateDict exportOriginalStateDict(const Separator &model)
{
    const auto parameters = model.named_parameters();
    const auto buffers = model.named_buffers();
    StateDict stateDict;
    for (const TensorName &name : originalNames(model)) {
        const at::Tensor *tensor = parameters.find(name.seplab);
        if (!tensor)
            tensor = buffers.find(name.seplab);
        stateDict.insert(name.original, tensor->detach().to(torch::kCPU).contiguous().clone());
    }
    return stateDict;
}

void importOriginalStateDict(Separator &model, const StateDict &stateDict, const std::string &source)
{
    const std::vector<TensorName> names = originalNames(model);
    const std::string what = "a " + model.typeName() + " model with these hyperparameters";

    std::vector<std::string> missing;
    std::unordered_set<std::string> expected;
    for (const TensorName &name : names) {
        expected.insert(name.original);
        if (!stateDict.contains(name.original))
            missing.push_back(name.original);
    }
    if (!missing.empty())
        throw std::runtime_error(source + ": key '" + missing.front() + "' is missing"
                                 + andMore(missing.size()) + "; " + what + " needs it.");

    std::vector<std::string> unexpected;
    for (const auto &item : stateDict) {
        if (!expected.count(item.key()))
            unexpected.push_back(item.key());
    }
    if (!unexpected.empty())
        throw std::runtime_error(source + ": unexpected key '" + unexpected.front() + "'"
                                 + andMore(unexpected.size()) + "; " + what
                                 + " has no such tensor.");

    auto parameters = model.named_parameters();
    auto buffers = model.named_buffers();
    std::vector<std::pair<at::Tensor, at::Tensor>> copies;
    for (const TensorName &name : names) {
        at::Tensor *target = parameters.find(name.seplab);
        if (!target)
            target = buffers.find(name.seplab);
        const at::Tensor &value = stateDict[name.original];
        if (value.sizes() != target->sizes())
            throw std::runtime_error(source + ": key '" + name.original + "' has shape "
                                     + shapeText(value.sizes()) + " but " + what + " expects "
                                     + shapeText(target->sizes()) + ".");
        copies.emplace_back(*target, value);
    }

    torch::NoGradGuard noGrad;
    for (auto &copy : copies)
        copy.first.copy_(copy.second);
}

} // namespace seplab::models::interop
