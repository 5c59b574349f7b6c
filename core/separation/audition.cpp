#include "core/separation/audition.h"

#include "audio/io/audio_file.h"
#include "core/data/mmipc.h"
#include "core/data/polsess_dataset.h"
#include "core/metrics/separation_scores.h"
#include "core/metrics/si_sdr.h"
#include "core/models/separator.h"
#include "core/separation/long_separation.h"
#include "core/train/checkpoint.h"
#include "core/train/evaluation.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <torch/torch.h>

namespace seplab::separation {

namespace {

std::vector<float> toVector(const at::Tensor &signal)
{
    const at::Tensor flat = signal.to(torch::kCPU, torch::kFloat).contiguous();
    return std::vector<float>(flat.data_ptr<float>(), flat.data_ptr<float>() + flat.numel());
}

at::Tensor toTensor(const std::vector<float> &samples)
{
    return torch::from_blob(const_cast<float *>(samples.data()),
                            {std::int64_t(samples.size())},
                            torch::kFloat)
        .clone();
}

data::Example corpusClip(const AuditionSource &source, data::Task task)
{
    const std::optional<data::Variant> variant = data::parseVariant(source.variant);
    if (!variant)
        throw std::runtime_error("audition: unknown variant '" + source.variant
                                 + "' (known: " + data::variantNames(data::allVariants()) + ").");
    if (source.index < 0)
        throw std::runtime_error("audition: the clip index must be 0 or more, got "
                                 + std::to_string(source.index) + ".");
    // The same rows evaluate scores, so clip i here is the i-th clip of `evaluate --variants V`.
    const std::vector<train::ValidationSet> sets = train::openEvaluationSets(source.corpusRoot,
                                                                             source.split,
                                                                             task,
                                                                             {*variant},
                                                                             source.index + 1);
    const data::Dataset &dataset = *sets.front().dataset;
    if (std::int64_t(dataset.size()) <= source.index)
        throw std::runtime_error(
            "audition: " + data::polsessCsvPath(source.corpusRoot, source.split) + " has "
            + std::to_string(dataset.size()) + " clips for variant " + source.variant
            + ", so there is no clip " + std::to_string(source.index) + ".");
    return dataset.get(std::size_t(source.index), 1);
}

void scorePaired(AuditionResult &result,
                 const at::Tensor &estimates,
                 const at::Tensor &references,
                 const at::Tensor &mixture)
{
    const metrics::SeparationScores scores = metrics::scoreSeparation(estimates.unsqueeze(0),
                                                                      references.unsqueeze(0),
                                                                      mixture.unsqueeze(0));
    const std::int64_t sources = references.size(0);
    // The baseline of each source, as scoreSeparation averages it into SI-SDRi.
    const at::Tensor baseline = metrics::siSdrPlain(mixture.unsqueeze(0), references);
    for (std::int64_t j = 0; j < sources; ++j) {
        const int output = int(scores.permutation[0][j].item<std::int64_t>());
        result.modelOutput.push_back(output);
        result.estimates.push_back(toVector(estimates[output]));
        result.references.push_back(toVector(references[j]));
        result.siSdr.push_back(scores.perSource[0][j].item<double>());
        result.siSdri.push_back(result.siSdr.back() - baseline[j].item<double>());
    }
    result.meanSiSdr = scores.siSdr[0].item<double>();
    result.meanSiSdri = scores.siSdri[0].item<double>();
}

} // namespace

AuditionResult separateForAudition(const AuditionRequest &request)
{
    const AuditionSource &source = request.source;
    if (source.audioFile.empty() == source.corpusRoot.empty())
        throw std::runtime_error(
            "audition: give either an audio file or a corpus clip to separate, not both.");
    const auto started = std::chrono::steady_clock::now();
    train::ModelCheckpoint loaded = train::loadModelCheckpoint(request.checkpoint, request.device);
    const std::optional<data::Task> task = data::parseTask(loaded.meta.task);
    if (!task)
        throw std::runtime_error(request.checkpoint + ": the checkpoint's task '" + loaded.meta.task
                                 + "' is not ES, EB or SB.");

    AuditionResult result;
    result.checkpoint = request.checkpoint;
    result.modelType = loaded.meta.modelType;
    result.sampleRate = loaded.meta.sampleRate;
    torch::NoGradGuard noGrad;
    const torch::Device device(request.device);

    if (!source.corpusRoot.empty()) {
        const data::Example clip = corpusClip(source, *task);
        result.label = source.split + " " + source.variant + " #" + std::to_string(source.index)
                       + " (" + clip.id + ")";
        result.mixture = clip.mix;
        const at::Tensor mixture = toTensor(clip.mix);
        std::vector<at::Tensor> targets;
        for (const std::vector<float> &target : clip.targets)
            targets.push_back(toTensor(target));
        const at::Tensor references = torch::stack(targets);
        // One pass, as validate() runs a batch of one: the scores equal evaluate's.
        const at::Tensor estimates = loaded.model->separate(mixture.unsqueeze(0).to(device))
                                         .to(torch::kCPU, torch::kFloat)[0];
        scorePaired(result, estimates, references, mixture);
    } else {
        const audio::Audio input = audio::readAudio(source.audioFile, {-1, result.sampleRate});
        result.label = source.audioFile;
        result.mixture = input.samples;
        const LongSeparation separated = separateLong(*loaded.model,
                                                      toTensor(input.samples),
                                                      result.sampleRate,
                                                      request.longOptions);
        for (std::int64_t j = 0; j < separated.sources.size(0); ++j) {
            result.estimates.push_back(toVector(separated.sources[j]));
            result.modelOutput.push_back(int(j));
        }
    }
    result.separationSeconds
        = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return result;
}

std::vector<int> alignToAnchor(const std::vector<std::vector<float>> &anchor,
                               const std::vector<std::vector<float>> &estimates)
{
    if (anchor.size() != estimates.size() || anchor.empty())
        throw std::invalid_argument("audition: cannot match " + std::to_string(estimates.size())
                                    + " sources to " + std::to_string(anchor.size()) + ".");
    std::vector<at::Tensor> previous, current;
    const std::size_t length = std::min(anchor.front().size(), estimates.front().size());
    for (std::size_t i = 0; i < anchor.size(); ++i) {
        previous.push_back(toTensor(anchor[i]).narrow(0, 0, std::int64_t(length)));
        current.push_back(toTensor(estimates[i]).narrow(0, 0, std::int64_t(length)));
    }
    return alignSources(torch::stack(previous), torch::stack(current));
}

} // namespace seplab::separation
