#include "core/train/torch_threads.h"

#include <ATen/Parallel.h>
#include <algorithm>
#include <stdexcept>
#include <thread>

namespace seplab::train {

int defaultTorchThreads()
{
    const int cores = static_cast<int>(std::thread::hardware_concurrency());
    return cores <= 2 ? 1 : cores - 1;
}

void configureTorchThreads(int threads)
{
    if (threads < 0)
        throw std::invalid_argument("the thread count must be 1 or more (0: the default).");
    at::set_num_threads(threads == 0 ? defaultTorchThreads() : threads);
}

} // namespace seplab::train
