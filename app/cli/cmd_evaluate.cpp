// seplab-cli evaluate: a checkpoint on the test split of PolSESS, one set per MM-IPC variant, as
// the original's evaluate.py (spec models.md §4); one JSON object on stdout, an optional CSV
// with the original's columns, progress on stderr.

#include "cli/arg_parser.h"
#include "cli/command.h"
#include "core/data/mmipc.h"
#include "core/train/evaluation.h"
#include "core/train/torch_threads.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <sstream>

namespace seplab::cli {

namespace {

std::vector<data::Variant> parseVariantList(const std::string &text)
{
    if (text == "all")
        return data::allVariants();
    std::vector<data::Variant> variants;
    std::stringstream stream(text);
    std::string name;
    while (std::getline(stream, name, ',')) {
        name.erase(0, name.find_first_not_of(" \t"));
        name.erase(name.find_last_not_of(" \t") + 1);
        const std::optional<data::Variant> variant = data::parseVariant(name);
        if (!variant)
            throw UsageError("evaluate: unknown variant '" + name + "' in --variants (known: "
                             + data::variantNames(data::allVariants()) + ", or all).");
        if (std::find(variants.begin(), variants.end(), *variant) != variants.end())
            throw UsageError("evaluate: variant " + name + " appears twice in --variants.");
        variants.push_back(*variant);
    }
    if (variants.empty())
        throw UsageError("evaluate: --variants names no variant.");
    return variants;
}

} // namespace

int runEvaluate(const std::vector<std::string> &args)
{
    ArgParser parser("evaluate",
                     "Scores a checkpoint on a PolSESS split (default test), one set per MM-IPC "
                     "variant\n(SER, SR, ER, R, SE, S, E, C; C reads indoor and outdoor rows), "
                     "in fp32: per-clip\nPIT SI-SDR and SI-SDRi, averaged over clips, plus their "
                     "unweighted mean over the\nvariants. Prints one JSON object on stdout; "
                     "progress goes to stderr.");
    parser.addOption("checkpoint",
                     "FILE",
                     "A SepLab checkpoint (runs/.../checkpoints/best.pt).",
                     {},
                     true);
    parser.addOption("data", "DIR", "PolSESS corpus root.", {}, true);
    parser.addOption("split", "NAME", "Corpus split to score.", "test");
    parser.addOption("variants", "LIST", "Comma-separated variants, or all.", "all");
    parser.addOption("batch", "N", "Clips per batch.", "1");
    parser.addOption("max-samples", "N", "Score only the first N rows of each variant.");
    parser.addOption("csv",
                     "FILE",
                     "Also write variant,si_sdr_db,si_sdri_db,num_samples and an AVERAGE row.");
    parser.addOption("device", "DEV", "cpu, cuda or cuda:N.", "cpu");
    parser.addOption("threads", "N", "Intra-op CPU threads for LibTorch (default: measured best).");
    if (!parser.parse(args)) {
        std::cout << parser.help();
        return 0;
    }

    train::EvaluationOptions options;
    options.split = parser.value("split");
    options.variants = parseVariantList(parser.value("variants"));
    options.batchSize = parser.intValue("batch");
    if (options.batchSize < 1)
        throw UsageError("evaluate: --batch must be 1 or more.");
    if (parser.has("max-samples")) {
        options.maxSamples = parser.intValue("max-samples");
        if (options.maxSamples < 1)
            throw UsageError("evaluate: --max-samples must be 1 or more.");
    }
    options.device = parser.value("device");
    const int threads = parser.has("threads") ? parser.intValue("threads") : 0;
    if (threads < 0)
        throw UsageError("evaluate: --threads must be 1 or more.");
    train::configureTorchThreads(threads);
    options.variantDone = [](const train::SetScores &scores, std::size_t done, std::size_t total) {
        char line[160];
        std::snprintf(line,
                      sizeof line,
                      "[%zu/%zu] %-3s %5zu clips  SI-SDR %7.2f dB  SI-SDRi %7.2f dB",
                      done,
                      total,
                      scores.name.c_str(),
                      scores.samples,
                      scores.siSdr,
                      scores.siSdri);
        std::cerr << line << std::endl;
    };

    // A CSV that cannot be written should fail now, not after the whole evaluation.
    if (parser.has("csv")) {
        const std::filesystem::path csv(parser.value("csv"));
        const std::filesystem::path folder = csv.parent_path().empty() ? "." : csv.parent_path();
        if (!std::filesystem::is_directory(folder))
            throw std::runtime_error(csv.string() + ": the folder " + folder.string()
                                     + " does not exist.");
    }

    const train::EvaluationResult result = train::evaluateCheckpoint(parser.value("checkpoint"),
                                                                     parser.value("data"),
                                                                     options);
    if (parser.has("csv"))
        train::writeEvaluationCsv(parser.value("csv"), result);
    std::cout << train::evaluationJson(result).dump() << "\n";
    return 0;
}

} // namespace seplab::cli
