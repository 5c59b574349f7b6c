// seplab-cli metrics: score separated signals from WAV files with the same code the trainer uses.

#include "audio/io/audio_file.h"
#include "cli/arg_parser.h"
#include "cli/command.h"
#include "core/metrics/separation_scores.h"

#include <algorithm>
#include <iostream>
#include <nlohmann/json.hpp>
#include <torch/torch.h>

namespace seplab::cli {

namespace {

// Loads every file at the rate of the first one, trims all to the shortest (as the original's
// evaluate.py does) and stacks them into a float64 [1, C, T] tensor.
torch::Tensor loadStack(const std::vector<std::string> &paths, int rate, int64_t length)
{
    auto stacked = torch::zeros({1, int64_t(paths.size()), length}, torch::kFloat64);
    for (size_t i = 0; i < paths.size(); ++i) {
        const audio::Audio audio = audio::readAudio(paths[i], {-1, rate});
        auto samples = torch::from_blob(const_cast<float *>(audio.samples.data()),
                                        {int64_t(audio.samples.size())},
                                        torch::kFloat32);
        stacked[0][int64_t(i)].copy_(samples.slice(0, 0, length).to(torch::kFloat64));
    }
    return stacked;
}

int64_t shortestLength(const std::vector<std::string> &paths, int rate)
{
    int64_t shortest = std::numeric_limits<int64_t>::max();
    for (const std::string &path : paths) {
        const audio::AudioInfo info = audio::probeAudio(path);
        // Length after resampling to the common rate, as readAudio will produce it.
        const int64_t frames = info.sampleRate == rate
                                   ? info.frames
                                   : int64_t(
                                       std::llround(double(info.frames) * rate / info.sampleRate));
        shortest = std::min(shortest, frames);
    }
    return shortest;
}

std::vector<double> toVector(const torch::Tensor &tensor)
{
    auto flat = tensor.to(torch::kFloat64).contiguous().view({-1});
    return std::vector<double>(flat.data_ptr<double>(), flat.data_ptr<double>() + flat.numel());
}

} // namespace

int runMetrics(const std::vector<std::string> &args)
{
    ArgParser parser("metrics",
                     "Scores estimated sources against reference sources and prints one JSON "
                     "object.\nWith two or more sources: permutation-invariant zero-mean SI-SDR "
                     "(the SB training loss);\nwith one source: plain SI-SDR (torchmetrics "
                     "convention). All files are read as mono,\nresampled to the first "
                     "reference's rate and trimmed to the shortest.");
    parser.addListOption("ref", "WAV", "Reference (clean) sources, one file per source.", true);
    parser.addListOption("est", "WAV", "Estimated sources, as many as references, any order.", true);
    parser.addOption("mix", "WAV", "The mixture; adds si_sdri (improvement over the mixture).");
    if (!parser.parse(args)) {
        std::cout << parser.help();
        return 0;
    }

    const std::vector<std::string> refs = parser.values("ref");
    const std::vector<std::string> ests = parser.values("est");
    if (refs.size() != ests.size())
        throw UsageError("metrics: got " + std::to_string(refs.size()) + " reference(s) but "
                         + std::to_string(ests.size())
                         + " estimate(s); give one estimate per reference.");

    const int rate = audio::probeAudio(refs.front()).sampleRate;
    std::vector<std::string> all = refs;
    all.insert(all.end(), ests.begin(), ests.end());
    if (parser.has("mix"))
        all.push_back(parser.value("mix"));
    const int64_t length = shortestLength(all, rate);

    const torch::Tensor ref = loadStack(refs, rate, length);
    const torch::Tensor est = loadStack(ests, rate, length);
    torch::Tensor mix;
    if (parser.has("mix"))
        mix = loadStack({parser.value("mix")}, rate, length).squeeze(1);

    const metrics::SeparationScores scores = metrics::scoreSeparation(est, ref, mix);
    nlohmann::json out;
    out["si_sdr"] = scores.siSdr.item<double>();
    out["si_sdr_per_source"] = toVector(scores.perSource);
    std::vector<int64_t> permutation;
    for (double index : toVector(scores.permutation))
        permutation.push_back(int64_t(index));
    out["permutation"] = permutation;
    if (mix.defined())
        out["si_sdri"] = scores.siSdri.item<double>();
    out["sources"] = refs.size();
    out["samples"] = length;
    out["sample_rate"] = rate;
    out["convention"] = refs.size() > 1 ? "pit_zero_mean" : "plain";
    std::cout << out.dump() << "\n";
    return 0;
}

} // namespace seplab::cli
