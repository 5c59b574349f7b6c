#pragma once

// Peak memory for the benchmarks: on a CUDA device the caching allocator's peak of allocated
// bytes since the last reset (what the model really needed); on the CPU the process's peak
// resident set (everything, since the process started; it cannot be reset).

#include <string>

namespace seplab::train {

void resetPeakMemory(const std::string &device);
double peakMemoryMb(const std::string &device);
// Waits for the device's queued work (a no-op on the CPU), so that wall-clock timing is honest.
void synchronizeDevice(const std::string &device);

} // namespace seplab::train
