#include "core/train/validation.h"

#include "core/data/loading/data_loader.h"
#include "core/metrics/separation_scores.h"
#include "core/models/separator.h"

#include <torch/torch.h>

namespace seplab::train {

namespace {

// Sums of per-clip scores for one batch, each clip trimmed to its own length when the batch
// holds clips of different lengths.
void scoreBatch(const at::Tensor &est,
                const data::Batch &batch,
                const torch::Device &device,
                double &siSdrSum,
                double &siSdriSum)
{
    const at::Tensor lengths = batch.lengths.to(torch::kCPU);
    const std::int64_t full = batch.mix.size(1);
    const bool uniform = (lengths == full).all().item<bool>();
    const at::Tensor targets = batch.targets.to(device);
    const at::Tensor mix = batch.mix.to(device);
    if (uniform) {
        const metrics::SeparationScores scores = metrics::scoreSeparation(est, targets, mix);
        siSdrSum += scores.siSdr.sum().item<double>();
        siSdriSum += scores.siSdri.sum().item<double>();
        return;
    }
    for (std::int64_t b = 0; b < est.size(0); ++b) {
        const std::int64_t length = lengths[b].item<std::int64_t>();
        const metrics::SeparationScores scores
            = metrics::scoreSeparation(est.narrow(0, b, 1).narrow(2, 0, length),
                                       targets.narrow(0, b, 1).narrow(2, 0, length),
                                       mix.narrow(0, b, 1).narrow(1, 0, length));
        siSdrSum += scores.siSdr.sum().item<double>();
        siSdriSum += scores.siSdri.sum().item<double>();
    }
}

SetScores validateSet(models::Separator &model,
                      const ValidationSet &set,
                      const ValidationOptions &options,
                      std::size_t &batchesDone,
                      std::size_t batchesTotal)
{
    data::LoaderOptions loaderOptions;
    loaderOptions.batchSize = options.batchSize;
    loaderOptions.shuffle = false;
    loaderOptions.threads = options.loaderThreads;
    loaderOptions.lengthMode = data::LengthMode::PadToLongest;
    data::DataLoader loader(set.dataset, loaderOptions);
    loader.startEpoch(options.epoch);

    const torch::Device device(options.device);
    SetScores scores;
    scores.name = set.name;
    double siSdrSum = 0.0, siSdriSum = 0.0;
    while (std::optional<data::Batch> batch = loader.next()) {
        const at::Tensor est = model.separate(batch->mix.to(device)).to(torch::kFloat);
        scoreBatch(est, *batch, device, siSdrSum, siSdriSum);
        scores.samples += static_cast<std::size_t>(batch->mix.size(0));
        if (options.progress)
            options.progress(++batchesDone, batchesTotal);
    }
    if (scores.samples > 0) {
        scores.siSdr = siSdrSum / double(scores.samples);
        scores.siSdri = siSdriSum / double(scores.samples);
    }
    return scores;
}

} // namespace

ValidationResult validate(models::Separator &model,
                          const std::vector<ValidationSet> &sets,
                          const ValidationOptions &options)
{
    torch::NoGradGuard noGrad;
    const bool wasTraining = model.is_training();
    model.eval();

    std::size_t batchesTotal = 0;
    for (const ValidationSet &set : sets) {
        const std::size_t size = set.dataset->size();
        batchesTotal += (size + std::size_t(options.batchSize) - 1)
                        / std::size_t(options.batchSize);
    }
    ValidationResult result;
    std::size_t batchesDone = 0;
    for (const ValidationSet &set : sets)
        result.sets.push_back(validateSet(model, set, options, batchesDone, batchesTotal));

    // One set: its clip means. Several (per-variant validation): the unweighted mean over the
    // variants, as the original averages its per-variant loaders.
    for (const SetScores &set : result.sets) {
        result.siSdr += set.siSdr / double(result.sets.size());
        result.siSdri += set.siSdri / double(result.sets.size());
        result.samples += set.samples;
    }
    model.train(wasTraining);
    return result;
}

} // namespace seplab::train
