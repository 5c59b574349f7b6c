#include "core/train/device_memory.h"

#include <c10/core/Device.h>
#include <sys/resource.h>
#include <torch/cuda.h>

#ifdef SEPLAB_TORCH_CUDA
#include <c10/cuda/CUDACachingAllocator.h>
#endif

namespace seplab::train {

void resetPeakMemory(const std::string &device)
{
    const c10::Device parsed(device);
#ifdef SEPLAB_TORCH_CUDA
    if (parsed.is_cuda())
        c10::cuda::CUDACachingAllocator::resetPeakStats(parsed.has_index() ? parsed.index() : 0);
#else
    (void) parsed;
#endif
}

double peakMemoryMb(const std::string &device)
{
    const c10::Device parsed(device);
#ifdef SEPLAB_TORCH_CUDA
    if (parsed.is_cuda()) {
        const auto stats = c10::cuda::CUDACachingAllocator::getDeviceStats(
            parsed.has_index() ? parsed.index() : 0);
        // Index 0 is StatType::AGGREGATE, whose namespace moved between LibTorch 1.13 and 2.x.
        return double(stats.allocated_bytes[0].peak) / (1024.0 * 1024.0);
    }
#else
    if (parsed.is_cuda())
        return -1.0;
#endif
    rusage usage{};
    if (getrusage(RUSAGE_SELF, &usage) != 0)
        return -1.0;
    return double(usage.ru_maxrss) / 1024.0; // Linux reports KiB
}

void synchronizeDevice(const std::string &device)
{
    const c10::Device parsed(device);
    if (parsed.is_cuda())
        torch::cuda::synchronize(parsed.has_index() ? parsed.index() : -1);
}

} // namespace seplab::train
