// seplab-cli export-weights: a SepLab checkpoint's weights as a PyTorch state_dict with the
// original project's key names.

#include "cli/arg_parser.h"
#include "cli/command.h"
#include "core/models/interop/original_names.h"
#include "core/models/interop/state_dict_io.h"
#include "core/train/checkpoint.h"

#include <iostream>
#include <nlohmann/json.hpp>
#include <torch/torch.h>

namespace seplab::cli {

int runExportWeights(const std::vector<std::string> &args)
{
    ArgParser parser("export-weights",
                     "Writes the weights of a SepLab checkpoint as a PyTorch state_dict under the "
                     "original project's\n(polsess_separation / SpeechBrain) key names, for "
                     "model.load_state_dict(torch.load(FILE)) in\nPython. Prints one JSON object "
                     "describing what it wrote.");
    parser.addOption("checkpoint",
                     "FILE",
                     "SepLab checkpoint (a run's checkpoints/best.pt or last.pt).",
                     {},
                     true);
    parser.addOption("out",
                     "FILE",
                     "The state_dict file to write (.pt); replaced atomically.",
                     {},
                     true);
    if (!parser.parse(args)) {
        std::cout << parser.help();
        return 0;
    }

    const train::ModelCheckpoint checkpoint = train::loadModelCheckpoint(
        parser.value("checkpoint"));
    const models::interop::StateDict stateDict = models::interop::exportOriginalStateDict(
        *checkpoint.model);
    models::interop::saveStateDict(parser.value("out"), stateDict);

    nlohmann::json out;
    out["model"] = checkpoint.meta.modelType;
    out["tensors"] = stateDict.size();
    out["params"] = models::parameterCount(*checkpoint.model);
    out["out"] = parser.value("out");
    std::cout << out.dump() << "\n";
    return 0;
}

} // namespace seplab::cli
