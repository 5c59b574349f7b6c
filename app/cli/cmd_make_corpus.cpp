// seplab-cli make-corpus: a synthetic PolSESS-layout corpus of Polish speech, so that every
// part of SepLab can be tried end to end without the real corpus.

#include "cli/arg_parser.h"
#include "cli/command.h"
#include "core/data/corpus/corpus_maker.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <sstream>

namespace seplab::cli {

namespace {

constexpr int kBarWidth = 30;

int rowCount(const ArgParser &parser, const std::string &name)
{
    const int rows = parser.intValue(name);
    if (rows < 0)
        throw UsageError("make-corpus: --" + name + " must be 0 or more, not "
                         + std::to_string(rows) + ".");
    return rows;
}

std::uint64_t seedValue(const ArgParser &parser)
{
    const std::string text = parser.value("seed");
    errno = 0;
    char *end = nullptr;
    const unsigned long long seed = std::strtoull(text.c_str(), &end, 10);
    if (text.empty() || text[0] == '-' || *end != '\0' || errno == ERANGE)
        throw UsageError("make-corpus: --seed expects a non-negative integer, got '" + text + "'.");
    return seed;
}

// `\r[#####     ] 120/280 rows` on stderr, redrawn in place; stdout stays clean for the summary.
void drawProgress(const data::corpus::CorpusProgress &progress)
{
    const bool speech = progress.stage == data::corpus::CorpusProgress::Stage::Speech;
    const int total = std::max(progress.total, 1);
    const int filled = progress.done * kBarWidth / total;
    std::cerr << "\r[" << std::string(std::size_t(filled), '#')
              << std::string(std::size_t(kBarWidth - filled), ' ') << "] " << progress.done << "/"
              << progress.total << (speech ? " speakers synthesised" : " rows") << "   ";
    if (progress.done == progress.total)
        std::cerr << "\n";
    std::cerr.flush();
}

} // namespace

int runMakeCorpus(const std::vector<std::string> &args)
{
    ArgParser parser(
        "make-corpus",
        "Writes a synthetic corpus in the PolSESS layout (DIR/{train,val,test}/{mix,clean,scene,\n"
        "event,sp1_reverb,sp2_reverb,ev_reverb}/*.wav plus one CSV per split) that the PolSESS\n"
        "loader reads unchanged: two Polish espeak-ng speakers per clip, a noise or babble\n"
        "scene, sound events, and for about half the rows a synthetic room whose reverberation\n"
        "is stored per source. Float32 WAVs whose layers sum exactly to the mixture, so every\n"
        "MM-IPC variant is exact. The same --seed gives byte-identical files.\n"
        "Needs espeak-ng (apt-get install espeak-ng).");
    parser.addOption("out",
                     "DIR",
                     "Folder to write; must be absent or empty unless --force.",
                     {},
                     true);
    parser.addOption("train", "N", "Rows in train/.", "200");
    parser.addOption("val", "N", "Rows in val/.", "40");
    parser.addOption("test", "N", "Rows in test/.", "40");
    parser.addOption("seconds",
                     "S",
                     "Length of every clip in seconds (at most "
                         + std::to_string(int(data::corpus::kMaxCorpusSeconds)) + ").",
                     "4");
    parser.addOption("rate",
                     "HZ",
                     "Sample rate of every file, " + std::to_string(data::corpus::kMinCorpusRate)
                         + " to " + std::to_string(data::corpus::kMaxCorpusRate) + " Hz.",
                     "8000");
    parser.addOption("seed", "S", "Seed of everything random in the corpus.", "1234");
    parser.addOption("sentences",
                     "N",
                     "Sentences each speaker reads, from the built-in list of Polish sentences "
                     "(0: all of them; fewer synthesise faster, for a quick try).",
                     "0");
    parser.addFlag("force",
                   "Write into a non-empty DIR: its CSVs and layer folders are replaced, other "
                   "files are left alone.");
    if (!parser.parse(args)) {
        std::cout << parser.help();
        return 0;
    }

    data::corpus::CorpusSpec spec;
    spec.outDir = parser.value("out");
    spec.trainRows = rowCount(parser, "train");
    spec.valRows = rowCount(parser, "val");
    spec.testRows = rowCount(parser, "test");
    spec.seconds = parser.doubleValue("seconds");
    if (!(spec.seconds > 0.0) || spec.seconds > data::corpus::kMaxCorpusSeconds)
        throw UsageError("make-corpus: --seconds must be above 0 and at most "
                         + std::to_string(int(data::corpus::kMaxCorpusSeconds)) + ".");
    spec.sampleRate = parser.intValue("rate");
    if (spec.sampleRate < data::corpus::kMinCorpusRate
        || spec.sampleRate > data::corpus::kMaxCorpusRate)
        throw UsageError("make-corpus: --rate must be between "
                         + std::to_string(data::corpus::kMinCorpusRate) + " and "
                         + std::to_string(data::corpus::kMaxCorpusRate) + " Hz, not "
                         + std::to_string(spec.sampleRate) + ".");
    spec.seed = seedValue(parser);
    spec.sentencesPerVoice = parser.intValue("sentences");
    if (spec.sentencesPerVoice < 0)
        throw UsageError("make-corpus: --sentences must be 0 (all) or more, not "
                         + std::to_string(spec.sentencesPerVoice) + ".");
    spec.overwrite = parser.has("force");
    const std::string problem = data::corpus::corpusSpecProblem(spec);
    if (!problem.empty())
        throw UsageError("make-corpus: " + problem);

    const data::corpus::CorpusSummary summary = data::corpus::makeCorpus(spec, drawProgress);

    int indoor = 0, outdoor = 0;
    std::ostringstream splits;
    for (const data::corpus::SplitSummary &split : summary.splits) {
        indoor += split.indoor;
        outdoor += split.outdoor;
        splits << (splits.tellp() > 0 ? ", " : "") << split.name << " " << split.rows;
    }
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%.1f", summary.seconds);
    std::cout << "make-corpus: wrote " << spec.outDir << " (" << splits.str() << " rows; " << indoor
              << " indoor, " << outdoor << " outdoor; " << summary.voices << " speakers) in "
              << seconds << " s\n";
    return 0;
}

} // namespace seplab::cli
