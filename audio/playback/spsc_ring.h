#pragma once

// A bounded single-producer single-consumer queue of trivially copyable values, wait-free on
// both sides: the GUI thread pushes transport commands, the real-time audio callback pops them.
// Debian ships no pa_ringbuffer.h, and a callback may not lock or allocate, so this is the whole
// mechanism: two monotonically increasing indices, each written by one side only.

#include <array>
#include <atomic>
#include <cstddef>
#include <type_traits>

namespace seplab::audio {

template<typename T, std::size_t Capacity>
class SpscRing
{
    static_assert(Capacity >= 2 && (Capacity & (Capacity - 1)) == 0,
                  "SpscRing needs a power-of-two capacity");
    static_assert(std::is_trivially_copyable_v<T>, "SpscRing holds plain values only");

public:
    // Producer side. False when the queue is full (the value is not queued).
    bool push(const T &value)
    {
        const std::size_t head = m_head.load(std::memory_order_relaxed);
        if (head - m_tail.load(std::memory_order_acquire) == Capacity)
            return false;
        m_slots[head & (Capacity - 1)] = value;
        m_head.store(head + 1, std::memory_order_release);
        return true;
    }

    // Consumer side. False when empty.
    bool pop(T &value)
    {
        const std::size_t tail = m_tail.load(std::memory_order_relaxed);
        if (tail == m_head.load(std::memory_order_acquire))
            return false;
        value = m_slots[tail & (Capacity - 1)];
        m_tail.store(tail + 1, std::memory_order_release);
        return true;
    }

    // Either side; exact only when the other side is idle.
    std::size_t size() const
    {
        return m_head.load(std::memory_order_acquire) - m_tail.load(std::memory_order_acquire);
    }
    static constexpr std::size_t capacity() { return Capacity; }

private:
    std::array<T, Capacity> m_slots{};
    // On separate cache lines so the two threads do not invalidate each other's index.
    alignas(64) std::atomic<std::size_t> m_head{0};
    alignas(64) std::atomic<std::size_t> m_tail{0};
};

} // namespace seplab::audio
