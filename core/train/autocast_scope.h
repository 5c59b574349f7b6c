#pragma once

// Autocast for one training step, on CUDA only (the original never autocasts on the CPU):
// enables it with the given dtype while the scope lives and clears the cast cache at the end,
// as torch.autocast's __exit__ does. Hides the API that changed between LibTorch 1.13 and 2.x.

#include <c10/core/ScalarType.h>

namespace seplab::train {

// Whether CUDA autocast is on here, and its dtype: what a recomputation in a backward pass
// (activation checkpointing) must restore to repeat the forward exactly.
bool cudaAutocastActive();
c10::ScalarType cudaAutocastType();

class AutocastScope
{
public:
    // enabled == false makes the scope a no-op.
    AutocastScope(bool enabled, c10::ScalarType dtype);
    ~AutocastScope();

    AutocastScope(const AutocastScope &) = delete;
    AutocastScope &operator=(const AutocastScope &) = delete;

private:
    bool m_enabled;
    bool m_wasEnabled = false;
    c10::ScalarType m_previousDtype = c10::ScalarType::Half;
};

} // namespace seplab::train
