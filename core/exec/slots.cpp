#include "core/exec/slots.h"

#include <algorithm>
#include <charconv>
#include <set>
#include <stdexcept>

namespace seplab::exec {

std::vector<Slot> makeSlots(const std::vector<int> &gpus, int slotsPerGpu, int cpuSlots)
{
    if (slotsPerGpu < 1)
        throw std::invalid_argument("slots per GPU must be at least 1, not "
                                    + std::to_string(slotsPerGpu) + ".");
    std::vector<Slot> slots;
    if (gpus.empty()) {
        if (cpuSlots < 1)
            throw std::invalid_argument("CPU slots must be at least 1 when no GPU is given, not "
                                        + std::to_string(cpuSlots) + ".");
        for (int i = 0; i < cpuSlots; ++i)
            slots.push_back({i, -1, "cpu", ""});
        return slots;
    }
    std::set<int> seen;
    for (const int gpu : gpus) {
        if (gpu < 0)
            throw std::invalid_argument("GPU id " + std::to_string(gpu) + " is negative.");
        if (!seen.insert(gpu).second)
            throw std::invalid_argument("GPU " + std::to_string(gpu)
                                        + " is listed twice; use slots per GPU to pack trials.");
        for (int k = 0; k < slotsPerGpu; ++k)
            slots.push_back({int(slots.size()), gpu, "cuda", std::to_string(gpu)});
    }
    return slots;
}

std::vector<int> parseGpuList(const std::string &text)
{
    std::vector<int> gpus;
    if (text.find_first_not_of(" \t") == std::string::npos)
        return gpus;
    std::size_t begin = 0;
    while (true) {
        const std::size_t comma = text.find(',', begin);
        const std::string raw = text.substr(begin,
                                            comma == std::string::npos ? std::string::npos
                                                                       : comma - begin);
        const std::size_t first = raw.find_first_not_of(" \t");
        const std::string item = first == std::string::npos
                                     ? std::string()
                                     : raw.substr(first, raw.find_last_not_of(" \t") - first + 1);
        int value = -1;
        const auto [end, error] = std::from_chars(item.data(), item.data() + item.size(), value);
        if (item.empty() || error != std::errc() || end != item.data() + item.size() || value < 0)
            throw std::invalid_argument("GPU list '" + text + "': '" + item
                                        + "' is not a GPU index (expected a list like 0,1).");
        gpus.push_back(value);
        if (comma == std::string::npos)
            return gpus;
        begin = comma + 1;
    }
}

SlotPool::SlotPool(std::vector<Slot> slots)
    : m_slots(std::move(slots))
    , m_busy(m_slots.size(), false)
{
    for (std::size_t i = 0; i < m_slots.size(); ++i)
        if (m_slots[i].index != int(i))
            throw std::invalid_argument("slot " + std::to_string(i) + " has index "
                                        + std::to_string(m_slots[i].index)
                                        + "; slot indexes must be 0, 1, 2, ... in order.");
}

std::size_t SlotPool::busyOnGpu(int gpu) const
{
    std::size_t count = 0;
    for (std::size_t i = 0; i < m_slots.size(); ++i)
        if (m_busy[i] && m_slots[i].gpu == gpu)
            ++count;
    return count;
}

std::optional<Slot> SlotPool::acquire()
{
    std::optional<std::size_t> best;
    std::size_t bestLoad = 0;
    for (std::size_t i = 0; i < m_slots.size(); ++i) {
        if (m_busy[i])
            continue;
        const std::size_t load = busyOnGpu(m_slots[i].gpu);
        if (!best || load < bestLoad) {
            best = i;
            bestLoad = load;
        }
    }
    if (!best)
        return std::nullopt;
    m_busy[*best] = true;
    return m_slots[*best];
}

void SlotPool::release(int index)
{
    if (index < 0 || std::size_t(index) >= m_slots.size() || !m_busy[std::size_t(index)])
        throw std::invalid_argument("slot " + std::to_string(index)
                                    + " is not a busy slot of this pool.");
    m_busy[std::size_t(index)] = false;
}

std::size_t SlotPool::freeCount() const
{
    return std::size_t(std::count(m_busy.begin(), m_busy.end(), false));
}

} // namespace seplab::exec
