#pragma once

// The training config, in the original project's YAML layout (spec models.md §2):
//
//   data:     dataset_type, batch_size, task, train_max_samples, val_max_samples, ...
//   model:    model_type, then one section per model (dprnn: {N, kernel_size, ...}, ...)
//   training: lr, weight_decay, grad_clip_norm, lr_factor, lr_patience, num_epochs, use_amp,
//             early_stopping_patience, validation_variants, curriculum_learning, seed, ...
//
// A user's existing file loads unchanged: keys the original uses for W&B, logging and paths are
// known (and have no effect here); any other key is reported as a warning naming it. Overrides
// (`--set`) are applied to the YAML tree before it is read, so they are validated exactly like
// the file. The resolved config (every default filled in) is what the run folder records.

#include "core/data/curriculum.h"
#include "core/data/mmipc.h"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace YAML {
class Node;
}

namespace seplab::train {

struct DataSettings
{
    std::string datasetType = "polsess";
    std::string dataRoot; // data.data_root; `--data` overrides
    int batchSize = 16;
    data::Task task = data::Task::SB;
    std::int64_t trainMaxSamples = -1; // -1: every row (null in YAML)
    std::int64_t valMaxSamples = -1;
    // Loader threads; the original's DataLoader workers.
    int numWorkers = 1;
    int prefetchFactor = 2;
    // SepLab: how train_max_samples picks rows. "random" is a seeded subset, the same for every
    // training seed (subset_seed), so no pre-shuffled CSV is needed; "head" is the original's
    // DataFrame.head. Validation always takes the head rows, as the original does.
    std::string subset = "random";
    std::uint64_t subsetSeed = 42;
    // SepLab: crop training clips to this many seconds (0: whole clips, as the original).
    double segmentSeconds = 0.0;
};

struct ModelSettings
{
    std::string modelType = "dprnn";
    // model.<model_type>, as written (the model's fromJson fills defaults and rejects unknown
    // keys).
    nlohmann::json params = nlohmann::json::object();
};

struct TrainingSettings
{
    double lr = 1e-3;
    double weightDecay = 0.0;
    double gradClipNorm = 5.0; // <= 0: no clipping
    double lrFactor = 0.5;
    int lrPatience = 2;
    int numEpochs = 100;
    bool useAmp = true;
    double ampEps = 1e-4;
    // SepLab: "auto" picks the original's rule per model (fp16 with a loss scaler, bf16 for the
    // Mamba family); "fp16" or "bf16" force one. AMP only ever runs on CUDA.
    std::string ampDtype = "auto";
    std::optional<int> earlyStoppingPatience;
    std::vector<data::Variant> validationVariants{data::Variant::SER, data::Variant::SE};
    bool perVariantValidation = false;
    data::Curriculum curriculum;
    std::uint64_t seed = 42;
    int gradAccumulationSteps = 1;
    bool saveAllCheckpoints = false;
};

struct TrainConfig
{
    DataSettings data;
    ModelSettings model;
    TrainingSettings training;
    // Problems that did not stop loading, one sentence each (unknown keys, mostly).
    std::vector<std::string> warnings;
    std::string source; // the file it came from, for messages
};

// Reads `path`, applies `overrides` ("key=value", see applyOverride) in order, and validates.
// Throws std::invalid_argument naming the file, the line and the key for a YAML syntax error,
// a value of the wrong type or out of range, or an override naming no known key.
TrainConfig loadTrainConfig(const std::string &path, const std::vector<std::string> &overrides = {});
// The same from YAML text (`source` names it in messages).
TrainConfig parseTrainConfig(const std::string &yamlText,
                             const std::string &source,
                             const std::vector<std::string> &overrides = {});

// Applies one `key=value` override to a config tree. `key` is a dotted path
// (training.lr, model.dprnn.hidden_size) or a short name as the original sweeps use them:
// lr, weight_decay, grad_clip_norm, lr_factor, lr_patience, num_epochs (or epochs), seed,
// use_amp, early_stopping_patience, batch_size, task, train_max_samples, ...; model_B and
// model_H for ConvTasNet's B and H; any other key of the active model's section (dropout,
// chunk_size, rnn_type, hidden_size, ...). The value is read as YAML, so lists and null work.
// Throws std::invalid_argument for a malformed override or an unknown key.
void applyOverride(YAML::Node &root, const std::string &override);

// The dotted path a short or dotted key names, for the active model; empty when unknown.
std::string resolveOverrideKey(const std::string &key, const std::string &modelType);

// The resolved config as YAML text in the original layout, every setting present.
// `modelParams` replaces model.<type> (pass Separator::params() to record the defaults too).
std::string resolvedConfigYaml(const TrainConfig &config,
                               const nlohmann::json &modelParams = nullptr);

} // namespace seplab::train
