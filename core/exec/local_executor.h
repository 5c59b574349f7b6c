#pragma once

// Trials as child processes of the controller, on GPU or CPU slots (issue 5's executor).

#include "core/exec/executor.h"

namespace seplab::exec {

class LocalExecutor : public Executor
{
public:
    explicit LocalExecutor(std::vector<Slot> slots);

    std::string kind() const override { return "local"; }
    std::size_t capacity() const override { return m_pool.size(); }
    std::optional<Slot> acquire() override { return m_pool.acquire(); }
    void release(int slotIndex) override { m_pool.release(slotIndex); }
    std::string deviceLabel(const Slot &slot) const override;
    std::unique_ptr<TrialHandle> start(const TrialStart &trial, const Slot &slot) override;
    std::unique_ptr<TrialHandle> recover(const LeftoverTrial &trial, double killDelay) override;
    void waitForActivity(const std::vector<TrialHandle *> &handles, int timeoutMs) override;

private:
    SlotPool m_pool;
};

} // namespace seplab::exec
