#include "core/train/training_data.h"

#include "core/data/data_check.h"
#include "core/data/loading/audio_cache.h"
#include "core/data/polsess_dataset.h"
#include "core/train/train_config.h"

#include <algorithm>
#include <stdexcept>

namespace seplab::train {

namespace {

// Decoded clips kept in memory across epochs; a 2K-row PolSESS subset needs about 2 GiB with
// every layer, so small sweeps stay entirely in memory and large ones stream the rest.
constexpr std::size_t kCacheBudgetBytes = std::size_t(2) << 30;

void checkCorpus(const std::string &root)
{
    data::DataCheckOptions options;
    options.scanSamples = false; // headers only: seconds, not a full decode of the corpus
    const data::DataCheckReport report = data::checkPolsessCorpus(root, {"train", "val"}, options);
    if (report.ok())
        return;
    std::string message = root + ": the corpus check found " + std::to_string(report.errors.size())
                          + " problem(s); the first: " + report.errors.front();
    if (report.errors.size() > 1)
        message += " (run `seplab-cli check-data --data " + root + "` for all of them)";
    throw std::runtime_error(message);
}

} // namespace

TrainingData openTrainingData(const TrainConfig &config, const std::string &root)
{
    if (config.data.datasetType != "polsess")
        throw std::runtime_error(config.source + ": data.dataset_type '" + config.data.datasetType
                                 + "' is for evaluation only; training reads PolSESS.");
    if (root.empty())
        throw std::runtime_error(config.source + ": no corpus given (data.data_root or --data).");
    checkCorpus(root);

    auto cache = std::make_shared<data::AudioCache>(kCacheBudgetBytes);
    data::PolsessOptions trainOptions;
    trainOptions.task = config.data.task;
    trainOptions.variantChoice = data::VariantChoice::PerEpoch;
    trainOptions.maxSamples = config.data.trainMaxSamples;
    trainOptions.subset = config.data.subset == "head" ? data::SubsetRule::Head
                                                       : data::SubsetRule::Random;
    trainOptions.seed = config.data.subsetSeed;
    const data::Curriculum &curriculum = config.training.curriculum;
    if (!curriculum.empty())
        trainOptions.allowedVariants = curriculum.variantsAt(1);
    auto train = std::make_shared<data::PolsessDataset>(root, "train", trainOptions, cache);

    TrainingData result;
    result.train = train;
    result.setTrainVariants = [train](const std::vector<data::Variant> &variants) {
        train->setAllowedVariants(variants);
    };

    // Validation takes the head rows, as the original does, with a fixed variant per index.
    data::PolsessOptions valOptions;
    valOptions.task = config.data.task;
    valOptions.variantChoice = data::VariantChoice::PerIndex;
    valOptions.maxSamples = config.data.valMaxSamples;
    valOptions.subset = data::SubsetRule::Head;
    valOptions.seed = config.data.subsetSeed;
    if (config.training.perVariantValidation) {
        for (data::Variant variant : data::allVariants()) {
            const auto &wanted = config.training.validationVariants;
            if (std::find(wanted.begin(), wanted.end(), variant) == wanted.end())
                continue;
            valOptions.allowedVariants = {variant};
            result.validation.push_back(
                {data::variantName(variant),
                 std::make_shared<data::PolsessDataset>(root, "val", valOptions, cache)});
        }
    } else {
        valOptions.allowedVariants = config.training.validationVariants;
        result.validation.push_back(
            {"", std::make_shared<data::PolsessDataset>(root, "val", valOptions, cache)});
    }
    return result;
}

} // namespace seplab::train
