#pragma once

// Times what training and separation really run, on synthetic input of a fixed shape: full
// training steps (TrainStep: forward, PIT loss, backward, clip, Adam step) and inference
// passes. Behind `seplab-cli bench train|separate`, and the planner's quick estimate of epoch
// times when no measured ones exist.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace seplab::train {

struct ModelBenchmarkOptions
{
    std::string modelType = "dprnn";
    nlohmann::json modelParams = nlohmann::json::object(); // model.<type>; defaults when empty
    int batch = 16;
    double seconds = 4.0;
    int sampleRate = 8000;
    std::string device = "cpu";
    std::string amp = "none"; // none, fp16, bf16 (CUDA only)
    int steps = 20;           // timed
    int warmup = 3;           // untimed, first (allocations, cuDNN plans)
    std::uint64_t seed = 42;
};

struct ModelBenchmarkResult
{
    std::int64_t parameters = 0;
    std::vector<double> stepMs; // every timed step
    double medianMs = 0.0;
    double minMs = 0.0;
    double samplesPerS = 0.0;    // batch / median step time
    double realTimeFactor = 0.0; // separation: processing time / audio duration (median)
    double peakMemMb = 0.0;      // see device_memory.h
    // SPMamba: the selective scan's share of the training step (forward and backward), from
    // extra steps timed after the others with the scan synchronising the device around itself;
    // -1 for models without a scan.
    double scanShare = -1.0;
};

// Throws std::invalid_argument for bad options (unknown model, amp on the CPU, ...).
ModelBenchmarkResult benchmarkTraining(const ModelBenchmarkOptions &options);
ModelBenchmarkResult benchmarkSeparation(const ModelBenchmarkOptions &options);

} // namespace seplab::train
