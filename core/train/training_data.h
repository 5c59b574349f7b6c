#pragma once

// The datasets a training run reads, opened from a config: the training set (re-filtered by the
// curriculum through setTrainVariants) and one validation set, or one per variant when
// per_variant_validation is on. Tests build a TrainingData by hand around their own Dataset.

#include "core/data/dataset.h"
#include "core/data/mmipc.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace seplab::train {

struct TrainConfig;

struct ValidationSet
{
    std::string name; // "" for the single validation set, else the variant (SER, ...)
    std::shared_ptr<const data::Dataset> dataset;
};

struct TrainingData
{
    std::shared_ptr<const data::Dataset> train;
    std::vector<ValidationSet> validation;
    // The curriculum's reassignment of training variants; null for a corpus without variants.
    // Called only between epochs, when no loader thread reads the training set.
    std::function<void(const std::vector<data::Variant> &)> setTrainVariants;
};

// Opens PolSESS at `root` (train and val splits) as `config` asks, after checking the corpus
// headers (missing files, rates, lengths). Throws std::runtime_error with the check's first
// problems, each naming the CSV line and file.
TrainingData openTrainingData(const TrainConfig &config, const std::string &root);

} // namespace seplab::train
