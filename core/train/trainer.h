#pragma once

// The training loop (spec models.md §2) behind `seplab-cli train`: epochs of TrainStep over a
// prefetching loader, validation in fp32, the curriculum, ReduceLROnPlateau gated by it, early
// stopping, checkpoints (last.pt every epoch, best.pt on improvement, both atomic), and the
// trial protocol on stdout and RUN_DIR/events.jsonl.
//
// A stop request (SIGTERM through the CLI) ends the run at the next batch boundary: last.pt then
// records the position inside the epoch, so --resume continues from the very next batch and a
// stopped-and-resumed run ends with the same weights as an uninterrupted one (on the CPU).

#include "core/train/train_config.h"
#include "core/train/training_data.h"

#include <atomic>
#include <iosfwd>
#include <memory>
#include <string>

namespace seplab::train {

enum class TrainStatus { Finished, Stopped, EarlyStopped, Diverged, Failed };
std::string statusName(TrainStatus status); // finished, stopped, early_stopped, ...

// The AMP a run of `config` gets on `device` (spec models.md §2): "fp16" with the loss scaler
// for DPRNN, ConvTasNet and SepFormer, "bf16" without one for SPMamba (the Mamba family), and
// "none" without use_amp or off CUDA; training.amp_dtype fp16/bf16 overrides the dtype.
std::string ampModeFor(const TrainConfig &config, const std::string &device);

struct TrainerOptions
{
    std::string runDir;         // created if missing
    std::string device = "cpu"; // cpu, cuda, cuda:1
    bool resume = false;        // continue from runDir/checkpoints/last.pt
    const std::atomic<bool> *stopRequested = nullptr;
    std::ostream *protocol = nullptr; // JSON lines (stdout); null: events.jsonl only
    std::ostream *progress = nullptr; // human lines and the progress bar (stderr); null: none
    bool progressBar = false;         // redraw a bar per batch (a terminal), else one line an epoch
    int loaderThreads = -1;           // -1: data.num_workers
    // The original aborts after 1000 consecutive NaN/Inf losses; tests lower it.
    int maxConsecutiveNan = 1000;
    // Where the corpus came from, for the record (the run folder's config and start event).
    std::string dataRoot;
};

struct TrainResult
{
    TrainStatus status = TrainStatus::Failed;
    int epochsCompleted = 0;
    double bestValSiSdr = 0.0; // the best monitored value; NaN when no epoch finished
    std::string error;         // for Failed and Diverged
};

class Trainer
{
public:
    Trainer(TrainConfig config, TrainingData data, TrainerOptions options);
    ~Trainer();

    // Runs to the configured total epochs (also when resuming). Failures inside the run are
    // reported as status Failed with an `end` event, not thrown; a bad config or run folder
    // found before the start event throws std::runtime_error.
    TrainResult run();

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace seplab::train
