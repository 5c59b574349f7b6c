// GPU/CPU slots (issue 5, "Executors"): K slots per listed GPU, each trial seeing only its GPU;
// the pool spreads trials over GPUs before packing one; CPU slots without GPUs; bad lists and
// counts are one sentence.

#include "core/exec/slots.h"

#include <QtTest>

using namespace seplab::exec;

namespace {

std::string errorOf(const std::function<void()> &call)
{
    try {
        call();
    } catch (const std::invalid_argument &error) {
        return error.what();
    }
    return "no error";
}

// "index:gpu:device:visible" of an acquired slot, or "none".
std::string take(SlotPool &pool)
{
    const std::optional<Slot> slot = pool.acquire();
    if (!slot)
        return "none";
    return std::to_string(slot->index) + ":" + std::to_string(slot->gpu) + ":" + slot->device + ":"
           + slot->cudaVisibleDevices;
}

} // namespace

class tst_Slots : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void twoGpusTimesTwoSlots();
    void poolSpreadsOverGpusBeforePacking();
    void gpuOrderIsKept();
    void cpuSlotsWithoutGpus();
    void badCountsAreRefused();
    void parsesGpuLists();
    void releaseRefusesAFreeSlot();
};

void tst_Slots::twoGpusTimesTwoSlots()
{
    const std::vector<Slot> slots = makeSlots({0, 1}, 2, 1);
    QCOMPARE(slots.size(), std::size_t(4));
    const int gpus[] = {0, 0, 1, 1};
    for (std::size_t i = 0; i < 4; ++i) {
        QCOMPARE(slots[i].index, int(i));
        QCOMPARE(slots[i].gpu, gpus[i]);
        QCOMPARE(slots[i].device, std::string("cuda"));
        QCOMPARE(slots[i].cudaVisibleDevices, std::to_string(gpus[i]));
    }
}

void tst_Slots::poolSpreadsOverGpusBeforePacking()
{
    SlotPool pool(makeSlots({0, 1}, 2, 1));
    QCOMPARE(pool.size(), std::size_t(4));
    QCOMPARE(pool.freeCount(), std::size_t(4));
    // Fewest busy slots on the GPU first, the lowest index among equals: GPU 0, 1, 0, 1.
    QCOMPARE(take(pool), std::string("0:0:cuda:0"));
    QCOMPARE(take(pool), std::string("2:1:cuda:1"));
    QCOMPARE(take(pool), std::string("1:0:cuda:0"));
    QCOMPARE(take(pool), std::string("3:1:cuda:1"));
    QCOMPARE(take(pool), std::string("none"));
    QCOMPARE(pool.freeCount(), std::size_t(0));

    pool.release(2); // GPU 1 now runs one trial, GPU 0 two
    QCOMPARE(pool.freeCount(), std::size_t(1));
    QCOMPARE(take(pool), std::string("2:1:cuda:1"));
    pool.release(0);
    pool.release(3); // one busy on each GPU: the lowest free index wins
    QCOMPARE(take(pool), std::string("0:0:cuda:0"));
    QCOMPARE(take(pool), std::string("3:1:cuda:1"));
}

void tst_Slots::gpuOrderIsKept()
{
    SlotPool pool(makeSlots({3, 1}, 1, 1));
    QCOMPARE(take(pool), std::string("0:3:cuda:3"));
    QCOMPARE(take(pool), std::string("1:1:cuda:1"));
    QCOMPARE(take(pool), std::string("none"));
}

void tst_Slots::cpuSlotsWithoutGpus()
{
    SlotPool pool(makeSlots({}, 1, 2));
    QCOMPARE(pool.size(), std::size_t(2));
    QCOMPARE(take(pool), std::string("0:-1:cpu:"));
    QCOMPARE(take(pool), std::string("1:-1:cpu:"));
    QCOMPARE(take(pool), std::string("none"));
}

void tst_Slots::badCountsAreRefused()
{
    QCOMPARE(errorOf([] { makeSlots({0}, 0, 1); }),
             std::string("slots per GPU must be at least 1, not 0."));
    QCOMPARE(errorOf([] {
                 makeSlots({0, 1, 0}, 2, 1);
             }),
             std::string("GPU 0 is listed twice; use slots per GPU to pack trials."));
    QCOMPARE(errorOf([] { makeSlots({0, -2}, 1, 1); }), std::string("GPU id -2 is negative."));
    QCOMPARE(errorOf([] { makeSlots({}, 1, 0); }),
             std::string("CPU slots must be at least 1 when no GPU is given, not 0."));
    QCOMPARE(makeSlots({2}, 3, 0).size(), std::size_t(3)); // cpuSlots does not matter with GPUs
}

void tst_Slots::parsesGpuLists()
{
    QCOMPARE(parseGpuList("0,1"), (std::vector<int>{0, 1}));
    QCOMPARE(parseGpuList(" 2 , 7 "), (std::vector<int>{2, 7}));
    QCOMPARE(parseGpuList("3"), (std::vector<int>{3}));
    QCOMPARE(parseGpuList(""), std::vector<int>{});
    QCOMPARE(errorOf([] { parseGpuList("0,x"); }),
             std::string("GPU list '0,x': 'x' is not a GPU index (expected a list like 0,1)."));
    QCOMPARE(errorOf([] { parseGpuList("0,,1"); }),
             std::string("GPU list '0,,1': '' is not a GPU index (expected a list like 0,1)."));
    QCOMPARE(errorOf([] { parseGpuList("-1"); }),
             std::string("GPU list '-1': '-1' is not a GPU index (expected a list like 0,1)."));
    QCOMPARE(errorOf([] { parseGpuList("1.5"); }),
             std::string("GPU list '1.5': '1.5' is not a GPU index (expected a list like 0,1)."));
}

void tst_Slots::releaseRefusesAFreeSlot()
{
    SlotPool pool(makeSlots({}, 1, 2));
    QCOMPARE(errorOf([&] { pool.release(0); }),
             std::string("slot 0 is not a busy slot of this pool."));
    QCOMPARE(errorOf([&] { pool.release(5); }),
             std::string("slot 5 is not a busy slot of this pool."));
    QCOMPARE(pool.freeCount(), std::size_t(2));
}

QTEST_GUILESS_MAIN(tst_Slots)
#include "tst_slots.moc"
