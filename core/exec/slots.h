#pragma once

// Where trials run (issue 5, "Executors"): `--gpus 0,1 --slots-per-gpu K` packs K trials on each
// listed GPU, each seeing only its GPU through CUDA_VISIBLE_DEVICES; without GPUs, CPU slots.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace seplab::exec {

struct Slot
{
    int index = 0;
    int gpu = -1;                   // the physical GPU id; -1 for a CPU slot
    std::string device;             // "cuda" or "cpu": the trial's --device
    std::string cudaVisibleDevices; // "1" for GPU 1; empty for a CPU slot
};

// GPU slots, GPU by GPU in the order given (gpu 0's K slots, then gpu 1's), or `cpuSlots` CPU
// slots when `gpus` is empty. Throws std::invalid_argument for slotsPerGpu < 1, a negative or
// repeated GPU id, or cpuSlots < 1 without GPUs.
std::vector<Slot> makeSlots(const std::vector<int> &gpus, int slotsPerGpu, int cpuSlots);

// "0,1" -> {0, 1}; "" -> {}; spaces around items are ignored. Throws std::invalid_argument naming
// the first item that is not a non-negative integer.
std::vector<int> parseGpuList(const std::string &text);

// The free slots of a sweep. acquire() spreads trials over GPUs: it takes a slot of the GPU with
// the fewest busy slots, the lowest index among equals, so 2 GPUs x 2 slots fill as GPU 0, 1, 0, 1.
class SlotPool
{
public:
    explicit SlotPool(std::vector<Slot> slots);

    std::optional<Slot> acquire();
    // Throws std::invalid_argument for an index that is not a busy slot of this pool.
    void release(int index);
    std::size_t freeCount() const;
    std::size_t size() const { return m_slots.size(); }

private:
    std::size_t busyOnGpu(int gpu) const;

    std::vector<Slot> m_slots;
    std::vector<bool> m_busy;
};

} // namespace seplab::exec
