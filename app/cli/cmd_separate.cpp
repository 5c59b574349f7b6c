// seplab-cli separate: one recording of any length through a checkpoint; writes s1.wav ... sN.wav
// at the model's rate and prints one JSON line.

#include "audio/io/audio_file.h"
#include "cli/arg_parser.h"
#include "cli/command.h"
#include "core/separation/long_separation.h"
#include "core/train/checkpoint.h"
#include "core/train/torch_threads.h"

#include <chrono>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <torch/torch.h>

namespace seplab::cli {

int runSeparate(const std::vector<std::string> &args)
{
    ArgParser parser("separate",
                     "Separates one recording with a checkpoint and writes s1.wav, s2.wav, ... "
                     "(float32 WAV\nat the model's rate) into the output folder. Any format "
                     "libsndfile reads; several\nchannels are averaged to mono and the rate is "
                     "converted to the model's. Recordings longer\nthan --chunk-seconds are "
                     "separated in overlapping chunks whose speaker order is\naligned across "
                     "chunks before they are cross-faded. Prints one JSON line.");
    parser.addOption("checkpoint", "FILE", "A SepLab checkpoint.", {}, true);
    parser.addOption("input", "AUDIO", "The mixture to separate.", {}, true);
    parser.addOption("out", "DIR", "Output folder (created if missing).", {}, true);
    parser.addOption("device", "DEV", "cpu, cuda or cuda:N.", "cpu");
    parser.addOption("threads", "N", "Intra-op CPU threads for LibTorch (default: measured best).");
    parser.addOption("chunk-seconds",
                     "S",
                     "Longer inputs are separated in chunks of S seconds.",
                     "8");
    parser.addOption("overlap-seconds",
                     "S",
                     "Overlap of consecutive chunks (below the chunk).",
                     "1");
    parser.addOption("crossfade",
                     "SHAPE",
                     "Cross-fade over the overlap: cosine or linear.",
                     "cosine");
    if (!parser.parse(args)) {
        std::cout << parser.help();
        return 0;
    }

    separation::LongSeparationOptions options;
    options.chunkSeconds = parser.doubleValue("chunk-seconds");
    options.overlapSeconds = parser.doubleValue("overlap-seconds");
    if (!(options.chunkSeconds > 0.0))
        throw UsageError("separate: --chunk-seconds must be positive.");
    if (!(options.overlapSeconds >= 0.0) || options.overlapSeconds >= options.chunkSeconds)
        throw UsageError(
            "separate: --overlap-seconds must be at least 0 and below --chunk-seconds.");
    const std::string crossfade = parser.value("crossfade");
    if (crossfade == "linear")
        options.crossfade = separation::Crossfade::Linear;
    else if (crossfade == "cosine")
        options.crossfade = separation::Crossfade::RaisedCosine;
    else
        throw UsageError("separate: --crossfade must be cosine or linear, got '" + crossfade + "'.");
    const int threads = parser.has("threads") ? parser.intValue("threads") : 0;
    if (threads < 0)
        throw UsageError("separate: --threads must be 1 or more.");

    const std::filesystem::path outDir(parser.value("out"));
    if (std::filesystem::exists(outDir) && !std::filesystem::is_directory(outDir))
        throw std::runtime_error(outDir.string() + ": exists and is not a folder.");
    train::configureTorchThreads(threads);

    const std::string input = parser.value("input");
    const audio::AudioInfo info = audio::probeAudio(input);
    const train::ModelCheckpoint loaded = train::loadModelCheckpoint(parser.value("checkpoint"),
                                                                     parser.value("device"));
    const int rate = loaded.meta.sampleRate;
    audio::Audio mixture = audio::readAudio(input, {-1, rate});
    if (mixture.samples.empty())
        throw std::runtime_error(input + ": no samples left at " + std::to_string(rate)
                                 + " Hz (the recording is too short).");

    const auto begin = std::chrono::steady_clock::now();
    const torch::Tensor samples = torch::from_blob(mixture.samples.data(),
                                                   {std::int64_t(mixture.samples.size())},
                                                   torch::kFloat);
    const separation::LongSeparation separated = separation::separateLong(*loaded.model,
                                                                          samples,
                                                                          rate,
                                                                          options);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin)
                               .count();

    std::filesystem::create_directories(outDir);
    nlohmann::json outputs = nlohmann::json::array();
    for (std::int64_t c = 0; c < separated.sources.size(0); ++c) {
        const torch::Tensor source = separated.sources[c].contiguous();
        const std::vector<float> data(source.data_ptr<float>(),
                                      source.data_ptr<float>() + source.numel());
        const std::string path = (outDir / ("s" + std::to_string(c + 1) + ".wav")).string();
        audio::writeWav(path, data, 1, rate, audio::SampleFormat::Float32);
        outputs.push_back(path);
    }

    const double inputSeconds = info.seconds();
    const nlohmann::json out = {
        {"checkpoint", parser.value("checkpoint")},
        {"model_type", loaded.meta.modelType},
        {"input", input},
        {"input_seconds", inputSeconds},
        {"input_sample_rate", info.sampleRate},
        {"sample_rate", rate},
        {"samples", mixture.samples.size()},
        {"chunks", separated.chunks},
        {"outputs", outputs},
        {"seconds", seconds},
        {"rtf", inputSeconds > 0.0 ? seconds / inputSeconds : 0.0},
    };
    std::cout << out.dump() << "\n";
    return 0;
}

} // namespace seplab::cli
