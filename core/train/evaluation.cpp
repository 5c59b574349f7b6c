#include "core/train/evaluation.h"

#include "core/data/data_check.h"
#include "core/data/polsess_dataset.h"
#include "core/models/separator.h"
#include "core/train/checkpoint.h"

#include <array>
#include <charconv>
#include <cstdio>
#include <fstream>
#include <memory>
#include <optional>
#include <stdexcept>

namespace seplab::train {

namespace {

void checkSplit(const std::string &root, const std::string &split)
{
    data::DataCheckOptions options;
    options.scanSamples = false; // headers only
    const data::DataCheckReport report = data::checkPolsessCorpus(root, {split}, options);
    if (report.ok())
        return;
    if (report.errors.size() == 1)
        throw std::runtime_error(report.errors.front());
    std::string message = root + ": the corpus check found " + std::to_string(report.errors.size())
                          + " problem(s) in " + split + "; the first: " + report.errors.front();
    if (report.errors.size() > 1)
        message += " (run `seplab-cli check-data --data " + root + "` for all of them)";
    throw std::runtime_error(message);
}

std::string number(double value)
{
    std::array<char, 64> buffer{};
    const auto [end, error] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
    if (error != std::errc())
        return "nan";
    return std::string(buffer.data(), end);
}

nlohmann::json scoresJson(const SetScores &scores)
{
    return {{"si_sdr", scores.siSdr}, {"si_sdri", scores.siSdri}, {"num_samples", scores.samples}};
}

} // namespace

std::vector<ValidationSet> openEvaluationSets(const std::string &root,
                                              const std::string &split,
                                              data::Task task,
                                              const std::vector<data::Variant> &variants,
                                              std::int64_t maxSamples)
{
    std::vector<ValidationSet> sets;
    for (const data::Variant variant : variants.empty() ? data::allVariants() : variants) {
        data::PolsessOptions options;
        options.task = task;
        options.allowedVariants = {variant};
        options.variantChoice = data::VariantChoice::PerIndex;
        options.maxSamples = maxSamples;
        options.subset = data::SubsetRule::Head;
        sets.push_back({data::variantName(variant),
                        std::make_shared<data::PolsessDataset>(root, split, options)});
    }
    return sets;
}

namespace {

// `who` names the model in the rate-mismatch sentence (the checkpoint file, when there is one).
EvaluationResult evaluate(models::Separator &model,
                          int sampleRate,
                          data::Task task,
                          const std::string &root,
                          const EvaluationOptions &options,
                          const std::string &who)
{
    if (options.batchSize < 1)
        throw std::invalid_argument("the batch size must be 1 or more.");
    checkSplit(root, options.split);
    const std::vector<ValidationSet> sets = openEvaluationSets(root,
                                                               options.split,
                                                               task,
                                                               options.variants,
                                                               options.maxSamples);
    const int corpusRate = sets.front().dataset->sampleRate();
    if (corpusRate != sampleRate)
        throw std::runtime_error(who + ": the model works at " + std::to_string(sampleRate)
                                 + " Hz but the corpus " + root + " (" + options.split + ") is at "
                                 + std::to_string(corpusRate) + " Hz.");

    EvaluationResult result;
    result.modelType = model.typeName();
    result.task = data::taskName(task);
    result.data = root;
    result.split = options.split;
    result.sampleRate = sampleRate;

    ValidationOptions validation;
    validation.device = options.device;
    validation.batchSize = options.batchSize;
    validation.loaderThreads = options.loaderThreads;
    for (const ValidationSet &set : sets) {
        const ValidationResult scored = validate(model, {set}, validation);
        result.variants.push_back(scored.sets.front());
        if (options.variantDone)
            options.variantDone(result.variants.back(), result.variants.size(), sets.size());
    }

    // The summary's AVERAGE row: unweighted over the variants.
    result.average.name = "AVERAGE";
    for (const SetScores &scores : result.variants) {
        result.average.siSdr += scores.siSdr / double(result.variants.size());
        result.average.siSdri += scores.siSdri / double(result.variants.size());
        result.average.samples += scores.samples;
    }
    return result;
}

} // namespace

EvaluationResult evaluateModel(models::Separator &model,
                               int sampleRate,
                               data::Task task,
                               const std::string &root,
                               const EvaluationOptions &options)
{
    return evaluate(model, sampleRate, task, root, options, model.typeName());
}

EvaluationResult evaluateCheckpoint(const std::string &checkpoint,
                                    const std::string &root,
                                    const EvaluationOptions &options)
{
    const ModelCheckpoint loaded = loadModelCheckpoint(checkpoint, options.device);
    const std::optional<data::Task> task = data::parseTask(loaded.meta.task);
    if (!task)
        throw std::runtime_error(checkpoint + ": unknown task '" + loaded.meta.task
                                 + "' in the checkpoint's record.");
    EvaluationResult result
        = evaluate(*loaded.model, loaded.meta.sampleRate, *task, root, options, checkpoint);
    result.checkpoint = checkpoint;
    return result;
}

std::string evaluationCsv(const EvaluationResult &result)
{
    std::string text = "variant,si_sdr_db,si_sdri_db,num_samples\n";
    auto row = [&text](const SetScores &scores) {
        text += scores.name + "," + number(scores.siSdr) + "," + number(scores.siSdri) + ","
                + std::to_string(scores.samples) + "\n";
    };
    for (const SetScores &scores : result.variants)
        row(scores);
    row(result.average);
    return text;
}

void writeEvaluationCsv(const std::string &path, const EvaluationResult &result)
{
    const std::string temporary = path + ".tmp";
    {
        std::ofstream file(temporary, std::ios::binary | std::ios::trunc);
        file << evaluationCsv(result);
        file.close();
        if (!file) {
            std::remove(temporary.c_str());
            throw std::runtime_error(path + ": cannot write the results CSV.");
        }
    }
    replaceFileAtomically(temporary, path);
}

nlohmann::json evaluationJson(const EvaluationResult &result)
{
    nlohmann::json variants = nlohmann::json::array();
    for (const SetScores &scores : result.variants) {
        nlohmann::json entry = {{"variant", scores.name}};
        entry.update(scoresJson(scores));
        variants.push_back(entry);
    }
    return {{"checkpoint", result.checkpoint},
            {"model_type", result.modelType},
            {"task", result.task},
            {"data", result.data},
            {"split", result.split},
            {"sample_rate", result.sampleRate},
            {"variants", variants},
            {"mean", scoresJson(result.average)}};
}

} // namespace seplab::train
