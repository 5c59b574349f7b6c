#pragma once

// What the Audition panel needs from a trained model: one mixture (a corpus clip or any audio
// file) separated by one checkpoint, with the estimates put in the order of the references by
// the PIT permutation, so "speaker 1" is the same person for every trial, and the SI-SDR and
// SI-SDRi of each paired source. A corpus clip is scored exactly as `seplab-cli evaluate` scores
// it (one pass of the model, fp32, metrics/separation_scores), so the numbers agree with the
// CLI's. Torch-free header: the GUI includes it and runs separateForAudition on a worker thread.

#include "core/separation/long_separation_options.h"

#include <cstdint>
#include <string>
#include <vector>

namespace seplab::separation {

struct AuditionSource
{
    // Either an audio file (any format libsndfile reads; resampled to the model's rate)...
    std::string audioFile;
    // ...or clip `index` of a PolSESS split as evaluate sees it: the rows that `variant` applies
    // to, in CSV order, composed with that variant's layers.
    std::string corpusRoot;
    std::string split = "test";
    std::string variant = "SER";
    std::int64_t index = 0;
};

struct AuditionRequest
{
    std::string checkpoint;
    AuditionSource source;
    std::string device = "cpu";
    LongSeparationOptions longOptions; // for audio files longer than one chunk
};

struct AuditionResult
{
    std::string checkpoint;
    std::string modelType;
    std::string label; // "test SER #0 (mix_0001.wav)" or the file path
    int sampleRate = 0;
    std::vector<float> mixture;
    // estimates[j] is paired with references[j] when references exist (model output
    // modelOutput[j]); otherwise in the model's output order.
    std::vector<std::vector<float>> estimates;
    std::vector<std::vector<float>> references;
    std::vector<int> modelOutput;
    // Per paired source, dB; empty without references. SI-SDR is the zero-mean PIT score,
    // SI-SDRi subtracts the plain SI-SDR of the mixture against the same reference, so their
    // means are evaluate's per-clip numbers.
    std::vector<double> siSdr, siSdri;
    double meanSiSdr = 0.0, meanSiSdri = 0.0;
    double separationSeconds = 0.0;

    bool hasReferences() const { return !references.empty(); }
};

// Throws std::runtime_error with one sentence naming the checkpoint, file, CSV or field for a
// missing checkpoint, an unreadable file, an unknown variant or split, or an index past the
// clips of that variant.
AuditionResult separateForAudition(const AuditionRequest &request);

// Reorders `estimates` (model output order) to follow `anchor`, another separation of the same
// mixture, by the assignment that maximises the summed normalised correlation: how two
// trials' speakers are matched when there are no references. Returns perm with result[j] =
// estimates[perm[j]]. Sizes must match (std::invalid_argument otherwise).
std::vector<int> alignToAnchor(const std::vector<std::vector<float>> &anchor,
                               const std::vector<std::vector<float>> &estimates);

} // namespace seplab::separation
