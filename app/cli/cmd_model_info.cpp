// seplab-cli model-info: what a configured model is made of, as one JSON object.

#include "cli/arg_parser.h"
#include "cli/command.h"
#include "cli/model_config.h"

#include <iostream>
#include <nlohmann/json.hpp>
#include <torch/torch.h>

namespace seplab::cli {

namespace {

// "seplab::models::DualPathEncoderImpl" -> "DualPathEncoder", "torch::nn::Conv1dImpl" -> "Conv1d".
std::string layerType(const torch::nn::Module &module)
{
    std::string name = module.name();
    const std::size_t colons = name.rfind("::");
    if (colons != std::string::npos)
        name = name.substr(colons + 2);
    const std::string impl = "Impl";
    if (name.size() > impl.size() && name.compare(name.size() - impl.size(), impl.size(), impl) == 0)
        name.resize(name.size() - impl.size());
    return name;
}

// Insertion-ordered JSON, so the object reads top-down: what, how big, how configured, layers.
using Json = nlohmann::ordered_json;

Json layer(const std::string &name, const torch::nn::Module &module)
{
    return {{"name", name}, {"type", layerType(module)}, {"params", models::parameterCount(module)}};
}

// The top-level submodules, each followed by its children.
Json layers(const models::Separator &model)
{
    Json list = Json::array();
    for (const auto &child : model.named_children()) {
        list.push_back(layer(child.key(), *child.value()));
        for (const auto &grandchild : child.value()->named_children())
            list.push_back(layer(child.key() + "." + grandchild.key(), *grandchild.value()));
    }
    return list;
}

// How many input samples can influence one output sample.
Json receptiveField(const models::Separator &model)
{
    const nlohmann::json p = model.params();
    if (model.typeName() == "convtasnet") {
        // Each temporal block's depthwise conv widens the view by (P-1) * 2^x frames; X blocks
        // per repeat, R repeats: 1 + R (P-1) (2^X - 1) encoder frames feed one mask frame. An
        // output sample overlaps two decoder frames (hop = kernel/2), so one frame more, and
        // F frames span (F-1) * stride + kernel samples.
        const auto P = p.at("P").get<std::int64_t>(), X = p.at("X").get<std::int64_t>(),
                   R = p.at("R").get<std::int64_t>();
        const auto kernel = p.at("kernel_size").get<std::int64_t>();
        const auto stride = p.at("stride").get<std::int64_t>();
        const std::int64_t frames = 1 + R * (P - 1) * ((std::int64_t(1) << X) - 1);
        const std::int64_t samples = frames * stride + kernel;
        return {{"kind", "convolutional"},
                {"frames", frames},
                {"samples", samples},
                {"seconds_at_8khz", double(samples) / 8000.0},
                {"note",
                 "the convolutions' span; gLN normalises over the whole clip, so every sample "
                 "has some influence"}};
    }
    // DPRNN (and any dual-path model): the inter-chunk BiLSTM runs over every chunk of the clip.
    return {{"kind", "global"}, {"samples", nullptr}};
}

} // namespace

int runModelInfo(const std::vector<std::string> &args)
{
    ArgParser parser("model-info",
                     "Prints one JSON object describing a model: its total parameter count, its "
                     "hyperparameters\n(defaults filled in), its top two levels of layers with "
                     "their parameter counts, and its\nreceptive field.");
    parser.addOption("model",
                     "NAME",
                     "Registered model type (dprnn, convtasnet, sepformer, spmamba).",
                     {},
                     true);
    parser.addOption("config",
                     "YAML",
                     "Training config: model.<NAME> sets the hyperparameters, data.task the "
                     "sources (default: defaults).");
    if (!parser.parse(args)) {
        std::cout << parser.help();
        return 0;
    }

    const std::string configPath = parser.has("config") ? parser.value("config") : std::string();
    const ModelSpec spec = readModelSpec(parser.value("model"), configPath);
    const models::SeparatorPtr model = buildModel(spec, configPath);

    Json out;
    out["model"] = spec.name;
    out["summary"] = models::findModel(spec.name)->summary;
    out["params"] = models::parameterCount(*model);
    out["hyperparameters"] = Json(model->params());
    out["receptive_field"] = receptiveField(*model);
    out["layers"] = layers(*model);
    std::cout << out.dump(2) << "\n";
    return 0;
}

} // namespace seplab::cli
