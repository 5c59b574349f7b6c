// seplab-cli import-weights: a PyTorch state_dict (or an original training checkpoint) into a
// SepLab checkpoint.

#include "cli/arg_parser.h"
#include "cli/command.h"
#include "cli/model_config.h"
#include "core/models/interop/original_names.h"
#include "core/models/interop/state_dict_io.h"
#include "core/train/checkpoint.h"

#include <iostream>
#include <nlohmann/json.hpp>
#include <torch/torch.h>

namespace seplab::cli {

int runImportWeights(const std::vector<std::string> &args)
{
    ArgParser parser("import-weights",
                     "Builds a model from the registry, loads a PyTorch state_dict with the "
                     "original project's key\nnames into it and writes a SepLab checkpoint "
                     "(weights only, like a run's\ncheckpoints/best.pt). The input may be a bare "
                     "state_dict or the original's training checkpoint (its model_state_dict\nis "
                     "used); torch.compile's _orig_mod. prefix is dropped. Every key must match "
                     "the model exactly.\nPrints one JSON object describing what it wrote.");
    parser.addOption("model",
                     "NAME",
                     "Registered model type (dprnn, convtasnet, sepformer, spmamba).",
                     {},
                     true);
    parser.addOption("config",
                     "YAML",
                     "Training config: model.<NAME> sets the hyperparameters, data.task the "
                     "sources (default: defaults, task SB).");
    parser.addOption("in", "FILE", "The PyTorch file to read (torch.save output).", {}, true);
    parser.addOption("out", "FILE", "The SepLab checkpoint to write; replaced atomically.", {}, true);
    if (!parser.parse(args)) {
        std::cout << parser.help();
        return 0;
    }

    const std::string configPath = parser.value("config");
    const ModelSpec spec = readModelSpec(parser.value("model"), configPath);
    const models::SeparatorPtr model = buildModel(spec, configPath);
    const std::string input = parser.value("in");
    const models::interop::StateDict stateDict = models::interop::loadStateDict(input);
    models::interop::importOriginalStateDict(*model, stateDict, input);

    train::CheckpointMeta meta;
    meta.modelType = spec.name;
    meta.modelParams = model->params();
    meta.sampleRate = 8000; // PolSESS, and every configuration of the original project
    meta.task = !spec.task.empty() ? spec.task : (model->sources() == 1 ? "ES" : "SB");
    train::saveCheckpoint(parser.value("out"), *model, meta);

    nlohmann::json out;
    out["model"] = spec.name;
    out["tensors"] = stateDict.size();
    out["params"] = models::parameterCount(*model);
    out["task"] = meta.task;
    out["out"] = parser.value("out");
    std::cout << out.dump() << "\n";
    return 0;
}

} // namespace seplab::cli
