#pragma once

// The interface every corpus presents to the loader, the trainer and evaluate. Torch-free:
// examples are plain float vectors; the loader turns batches of them into tensors.

#include <cstdint>
#include <string>
#include <vector>

namespace seplab::data {

struct Example
{
    std::vector<float> mix;                  // [T]
    std::vector<std::vector<float>> targets; // [C][T], same T as mix
    std::string variant;                     // MM-IPC variant name, or "" where none applies
    std::string id;                          // the mixture's file name, for reports
};

class Dataset
{
public:
    virtual ~Dataset() = default;

    virtual std::size_t size() const = 0;
    // Example `index` as seen in `epoch` (1-based; the epoch seeds any random choice, so the
    // same (seed, epoch, index) gives the same example whatever thread asks). Thread-safe.
    // Throws std::runtime_error naming the file and row on a broken row; never returns silence
    // in place of a file it could not read.
    virtual Example get(std::size_t index, int epoch) const = 0;
    virtual int sampleRate() const = 0;
    virtual int sources() const = 0;
    // A stable 16-hex-digit digest (FNV-1a, 64 bit) of what defines the example set: the
    // manifest contents plus the subset rule. Goes into every run's record.
    virtual std::string manifestHash() const = 0;
    // One line for logs: "PolSESS train (SB, 1600 of 16000 rows, random subset seed 42)".
    virtual std::string describe() const = 0;
};

} // namespace seplab::data
