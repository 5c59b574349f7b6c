#pragma once

// A small make-corpus corpus (espeak-ng Polish speech, 1 s clips at 8 kHz) for the training
// tests: big enough that a tiny model's validation SI-SDR moves in a few epochs, small enough
// to synthesise in seconds.

#include "core/data/corpus/corpus_maker.h"

#include <string>

namespace seplab::test {

inline void makeTinyCorpus(const std::string &dir, int trainRows = 32, int valRows = 8)
{
    data::corpus::CorpusSpec spec;
    spec.outDir = dir;
    spec.trainRows = trainRows;
    spec.valRows = valRows;
    spec.testRows = 8;
    spec.seconds = 1.0;
    spec.seed = 7;
    spec.sentencesPerVoice = 6;
    data::corpus::makeCorpus(spec);
}

// A DPRNN small enough to train an epoch of the tiny corpus in about a second.
inline const char *tinyTrainingConfig()
{
    return "data:\n"
           "  batch_size: 4\n"
           "  num_workers: 1\n"
           "model:\n"
           "  model_type: dprnn\n"
           "  dprnn:\n"
           "    N: 16\n"
           "    num_layers: 2\n"
           "    chunk_size: 20\n"
           "    hidden_size: 16\n"
           "training:\n"
           "  lr: 0.003\n"
           "  num_epochs: 3\n"
           "  use_amp: false\n"
           "  validation_variants: [SER, SE]\n"
           "  seed: 42\n";
}

} // namespace seplab::test
