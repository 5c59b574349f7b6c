#pragma once

// The corpus check behind `seplab-cli check-data`, also run by the trainer at start-up: every
// problem that would otherwise surface hours into a run, reported at once, each as a
// self-contained sentence naming the CSV, the row's line and the file.

#include <cstddef>
#include <string>
#include <vector>

namespace seplab::data {

struct SplitSummary
{
    std::string split;
    bool present = false; // the split folder exists
    std::size_t rows = 0; // well-formed CSV rows
    std::size_t indoor = 0;
    std::size_t outdoor = 0;
    std::size_t badRows = 0;                    // rows with at least one error
    int sampleRate = 0;                         // of the first readable mixture; 0 if none
    std::size_t minSamples = 0, maxSamples = 0; // mixture lengths
};

struct DataCheckReport
{
    std::string root;
    std::vector<SplitSummary> splits;
    std::vector<std::string> errors;
    std::vector<std::string> warnings;

    bool ok() const { return errors.empty(); }
};

struct DataCheckOptions
{
    // Decode every sample to find NaN/Inf (reads the whole corpus). Off: headers only, which
    // still finds missing files, stereo files and rate or length mismatches.
    bool scanSamples = true;
};

// Checks the PolSESS corpus at `root`. `splits` empty means train, val and test, where a
// missing split folder is only a warning (a corpus may ship without test); a split asked for
// by name must exist. Never throws for a problem in the data: everything goes into the report.
DataCheckReport checkPolsessCorpus(const std::string &root,
                                   const std::vector<std::string> &splits = {},
                                   const DataCheckOptions &options = {});

// The per-split table and totals, several lines, without the errors themselves.
std::string dataCheckSummary(const DataCheckReport &report);

} // namespace seplab::data
