#pragma once

// Turns a Dataset into batches of tensors for the trainer and evaluate: mixtures [B, T] and
// targets [B, C, T], cropped or padded to a common length, assembled ahead of time by background
// threads so that a training step never waits on disk or decoding in steady state.
//
// Reproducible by construction: the epoch order comes from (seed, epoch), every crop offset from
// (seed, epoch, index), and batch k always holds positions k*B ... k*B+B-1 of that order. The
// number of threads and the prefetch depth change only when a batch is ready, never what it
// holds.

#include "core/data/dataset.h"

#include <ATen/core/Tensor.h>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace seplab::data {

enum class LengthMode {
    // Clips longer than segmentSamples get a random window (one offset for the mixture and all
    // of its targets, drawn from (seed, epoch, index)); shorter ones are zero-padded at the end.
    RandomCrop,
    // As RandomCrop, but the window always starts at sample 0: deterministic evaluation crops.
    StartCrop,
    // Every clip is zero-padded to the longest clip of its batch; when segmentSamples > 0 that
    // length is capped at segmentSamples and longer clips keep their first segmentSamples.
    PadToLongest
};

struct LoaderOptions
{
    int batchSize = 1;
    bool shuffle = false;
    std::uint64_t seed = 42;
    // Background threads that assemble batches. 0 assembles each batch inside next(), in the
    // caller's thread (no concurrency at all, for debugging).
    int threads = 2;
    // Batches assembled ahead of the consumer at most (>= 1); bounds the loader's memory.
    int prefetchBatches = 4;
    // The common clip length. 0 keeps the natural length: each batch is padded to its longest
    // clip, whatever lengthMode says.
    std::int64_t segmentSamples = 0;
    LengthMode lengthMode = LengthMode::PadToLongest;
    // Drop the last batch when it would hold fewer than batchSize clips.
    bool dropLast = false;
};

struct Batch
{
    at::Tensor mix;                    // [B, T] float32
    at::Tensor targets;                // [B, C, T] float32
    at::Tensor lengths;                // [B] int64: valid samples of each clip before zero padding
    std::vector<std::string> variants; // per clip, as Example::variant
    std::vector<std::string> ids;      // per clip, as Example::id
    std::vector<std::size_t> indices;  // per clip, the dataset index
};

// The consumer's side of the loader, for reports of loader stalls. Reset by startEpoch.
struct LoaderStats
{
    std::size_t batches = 0;      // batches next() delivered this epoch
    double waitSeconds = 0.0;     // total time next() blocked waiting for a batch this epoch
    double lastWaitSeconds = 0.0; // the most recent next() call's wait
    double maxWaitSeconds = 0.0;
};

// One consumer thread calls startEpoch and next(); stats() may be read from any thread.
class DataLoader
{
public:
    // Throws std::invalid_argument for a null dataset, batchSize < 1, threads < 0,
    // prefetchBatches < 1 or segmentSamples < 0.
    DataLoader(std::shared_ptr<const Dataset> dataset, LoaderOptions options);
    // Stops the threads and joins them, also mid-epoch; a Dataset::get already running is
    // allowed to finish, nothing after it starts.
    ~DataLoader();

    DataLoader(const DataLoader &) = delete;
    DataLoader &operator=(const DataLoader &) = delete;

    // Starts `epoch` (1-based, passed to Dataset::get) and begins prefetching. An epoch still in
    // flight is cancelled: its queued batches are dropped and none of them is delivered. The
    // dataset's size is read here, so a curriculum may re-filter it between epochs (after the
    // last next() of one epoch and before this call, when no thread is reading it).
    void startEpoch(int epoch);

    // The next batch of the epoch, blocking until it is ready; std::nullopt once the epoch is
    // exhausted. An exception thrown while assembling batch k (by Dataset::get, say) is
    // rethrown here when batch k is due, with its original type and message, and again on every
    // later call until the next startEpoch. Throws std::logic_error before the first startEpoch.
    std::optional<Batch> next();

    // Of the epoch started last; before the first startEpoch, of the dataset as it is now.
    std::size_t batchesPerEpoch() const;
    const LoaderOptions &options() const;
    LoaderStats stats() const;

private:
    void stopWorkers();

    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace seplab::data
