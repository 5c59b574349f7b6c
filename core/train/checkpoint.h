#pragma once

// SepLab's checkpoint file (run folder `checkpoints/last.pt` and `best.pt`): a LibTorch archive
// holding the model's parameters and buffers, optionally the optimiser, and a JSON record with
// everything else (model type and hyperparameters, the resolved config, the trainer's state).
// The model type and parameters travel with the weights, so evaluate, separate and
// export-weights need nothing but the file. Writes are atomic: a temporary file in the same
// folder, then rename(), so a crash never leaves a half-written checkpoint behind.

#include "core/models/separator.h"

#include <nlohmann/json.hpp>
#include <string>

namespace torch::optim {
class Optimizer;
}

namespace seplab::train {

struct CheckpointMeta
{
    std::string modelType;                                 // registry name, e.g. "dprnn"
    nlohmann::json modelParams = nlohmann::json::object(); // Separator::params()
    int sampleRate = 8000;
    std::string task = "SB";
    std::string configYaml; // the fully resolved training config; empty for imported weights
    // The trainer's own state (epoch, best, counters, scheduler, scaler, RNG); null when the
    // file holds weights only (import-weights).
    nlohmann::json trainerState;
};

struct ModelCheckpoint
{
    models::SeparatorPtr model;
    CheckpointMeta meta;
};

// Throws std::runtime_error naming `path` when it cannot be written.
void saveCheckpoint(const std::string &path,
                    const models::Separator &model,
                    const CheckpointMeta &meta,
                    const torch::optim::Optimizer *optimizer = nullptr);

// Throws std::runtime_error naming `path` for a missing, unreadable or foreign file.
CheckpointMeta readCheckpointMeta(const std::string &path);

// Rebuilds the model from the file's meta, loads its weights and moves it to `device`; the
// model is left in eval() mode.
ModelCheckpoint loadModelCheckpoint(const std::string &path, const std::string &device = "cpu");

// Loads the file's weights into an existing model of the same type and parameters (resume).
void loadModelWeights(const std::string &path, models::Separator &model);

// Restores the optimiser saved with the model; throws if the file holds none.
void loadOptimizerState(const std::string &path, torch::optim::Optimizer &optimizer);

// rename() over `target` after writing `temporary`; shared by every atomic writer in core/train.
void replaceFileAtomically(const std::string &temporary, const std::string &target);

} // namespace seplab::train
