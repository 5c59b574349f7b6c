#pragma once

// LibTorch's intra-op thread count for everything that runs a model (train, evaluate,
// separate, bench, the GUI's separation worker).
//
// Measured on the 2-core development machine (tiny DPRNN epoch, `seplab-cli train --threads N`,
// docs/building.md): 1 thread 13.3 samples/s, 2 threads 2.0 samples/s. Two torch threads plus
// OpenBLAS's own plus the loader thread oversubscribe two cores and spin against each other.
// So the default leaves one core to the loader: 1 thread up to 2 cores, cores - 1 above.

namespace seplab::train {

int defaultTorchThreads();
// threads == 0: defaultTorchThreads(). Throws std::invalid_argument for a negative count.
void configureTorchThreads(int threads);

} // namespace seplab::train
