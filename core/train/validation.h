#pragma once

// Scores a model on validation (or test) sets in fp32, without autocast, as the original does:
// per clip the PIT SI-SDR and SI-SDRi (metrics/separation_scores.h), averaged over clips. Clips
// of unequal length in one batch are scored each on its own valid samples, never on padding.

#include "core/train/training_data.h"

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace seplab::models {
class Separator;
}

namespace seplab::train {

struct SetScores
{
    std::string name;
    double siSdr = 0.0;  // mean over clips, dB
    double siSdri = 0.0; // mean over clips, dB
    std::size_t samples = 0;
};

struct ValidationResult
{
    std::vector<SetScores> sets;
    double siSdr = 0.0; // the single set's mean, or the unweighted mean over the sets
    double siSdri = 0.0;
    std::size_t samples = 0;
};

struct ValidationOptions
{
    std::string device = "cpu";
    int batchSize = 1;
    int loaderThreads = 1;
    int epoch = 1; // passed to Dataset::get (validation variants do not depend on it)
    // Called after each batch with (batches done, batches in total) for progress display.
    std::function<void(std::size_t, std::size_t)> progress;
};

ValidationResult validate(models::Separator &model,
                          const std::vector<ValidationSet> &sets,
                          const ValidationOptions &options);

} // namespace seplab::train
