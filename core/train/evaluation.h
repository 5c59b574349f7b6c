#pragma once

// Evaluation of a trained model as the original's evaluate.py does it (spec models.md §4): the
// test split of PolSESS, one set per MM-IPC variant (SER, SR, ER, R, SE, S, E, C; indoor
// variants read the indoor rows, outdoor ones the outdoor rows, C every row), scored in fp32 by
// validate() (per-clip PIT SI-SDR and SI-SDRi, each clip on its own samples), plus the
// summary's unweighted AVERAGE over the variants. Shared by `seplab-cli evaluate` and the GUI.
//
// Per-variant scores are means over clips. The original averages per-batch means, which is the
// same number at batch size 1 (the default) and whenever the batch size divides the set.

#include "core/data/mmipc.h"
#include "core/train/validation.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace seplab::models {
class Separator;
}

namespace seplab::train {

struct EvaluationOptions
{
    std::string split = "test";
    std::vector<data::Variant> variants; // empty: all eight, in allVariants() order
    int batchSize = 1;
    std::int64_t maxSamples = -1; // per variant, the first N of its rows; -1: all
    std::string device = "cpu";
    int loaderThreads = 1;
    // Called after each variant with (its scores, variants done, variants in total).
    std::function<void(const SetScores &, std::size_t, std::size_t)> variantDone;
};

struct EvaluationResult
{
    std::string checkpoint; // the file, when evaluateCheckpoint produced it
    std::string modelType;
    std::string task; // SB, ES, EB
    std::string data; // corpus root
    std::string split;
    int sampleRate = 0;
    std::vector<SetScores> variants; // name = variant, in the order evaluated
    SetScores average;               // name "AVERAGE": unweighted means, samples = total
};

// One PolSESS set per variant (head rows, variant fixed per index). Throws std::runtime_error
// naming the CSV for a missing split or a variant that keeps no rows.
std::vector<ValidationSet> openEvaluationSets(const std::string &root,
                                              const std::string &split,
                                              data::Task task,
                                              const std::vector<data::Variant> &variants,
                                              std::int64_t maxSamples);

// Scores `model` (trained at `sampleRate` for `task`) on the corpus at `root`. Checks the
// split's headers first and throws std::runtime_error with one sentence naming the file for a
// broken corpus or a corpus rate other than `sampleRate`.
EvaluationResult evaluateModel(models::Separator &model,
                               int sampleRate,
                               data::Task task,
                               const std::string &root,
                               const EvaluationOptions &options);

// loadModelCheckpoint + evaluateModel with the checkpoint's task and rate.
EvaluationResult evaluateCheckpoint(const std::string &checkpoint,
                                    const std::string &root,
                                    const EvaluationOptions &options);

// The original's CSV: `variant,si_sdr_db,si_sdri_db,num_samples`, one row per variant and a
// last AVERAGE row; numbers in the shortest form that reads back exactly.
std::string evaluationCsv(const EvaluationResult &result);
// Writes evaluationCsv atomically (temporary file, then rename). Throws naming `path`.
void writeEvaluationCsv(const std::string &path, const EvaluationResult &result);

// {"checkpoint", "model_type", "task", "data", "split", "sample_rate",
//  "variants": [{"variant", "si_sdr", "si_sdri", "num_samples"}...],
//  "mean": {"si_sdr", "si_sdri", "num_samples"}}
nlohmann::json evaluationJson(const EvaluationResult &result);

} // namespace seplab::train
