#pragma once

// make-corpus: a synthetic corpus in the PolSESS layout (spec models.md §3.1), with Polish
// speech from espeak-ng, noise scenes, sound events and synthetic rooms. Torch-free.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace seplab::data::corpus {

struct CorpusSpec
{
    std::string outDir;
    int trainRows = 200;
    int valRows = 40;
    int testRows = 40;
    double seconds = 4.0;
    int sampleRate = 8000;
    std::uint64_t seed = 1234;
    bool overwrite = false;      // write into a non-empty outDir (replacing a corpus there)
    double indoorFraction = 0.5; // the chance that a row is indoor (reverberant)
    int threads = 0;             // 0: one per core
    int sentencesPerVoice = 0;   // 0: every sentence; fewer makes a quicker, smaller pool
};

constexpr int kMinCorpusRate = 4000;
constexpr int kMaxCorpusRate = 48000;
constexpr double kMaxCorpusSeconds = 600.0;

struct SplitSummary
{
    std::string name; // train, val, test
    int rows = 0;
    int indoor = 0;
    int outdoor = 0;
    std::vector<std::string> speakers; // distinct voice ids used, sorted ("spk00", ...)
};

struct CorpusSummary
{
    std::vector<SplitSummary> splits;
    int voices = 0;     // speaker identities in the pool
    int utterances = 0; // synthesised utterances in the pool
    std::int64_t framesPerFile = 0;
    double seconds = 0.0; // wall time
};

struct CorpusProgress
{
    enum class Stage { Speech, Rows };
    Stage stage = Stage::Speech;
    int done = 0;
    int total = 0;
};
// Called from worker threads, one call at a time.
using CorpusProgressFn = std::function<void(const CorpusProgress &)>;

// The first problem with the spec as one sentence (counts, length, rate, output folder), or
// empty when it is usable. Does not look for espeak-ng.
std::string corpusSpecProblem(const CorpusSpec &spec);

// Writes the corpus. The same spec (seed included) gives byte-identical files. Throws
// std::invalid_argument for a bad spec and std::runtime_error when espeak-ng is missing or
// fails, or a file cannot be written; the CSVs are written last, so an interrupted run leaves
// no CSV that names a missing file.
CorpusSummary makeCorpus(const CorpusSpec &spec, const CorpusProgressFn &progress = {});

} // namespace seplab::data::corpus
