#include "core/train/autocast_scope.h"

#include <ATen/autocast_mode.h>
#include <torch/version.h>

// LibTorch 2.4 replaced the CUDA-only setters by per-device ones.
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
#define SEPLAB_AUTOCAST_PER_DEVICE 1
#endif

namespace seplab::train {

namespace {

bool cudaAutocastEnabled()
{
#ifdef SEPLAB_AUTOCAST_PER_DEVICE
    return at::autocast::is_autocast_enabled(at::kCUDA);
#else
    return at::autocast::is_enabled();
#endif
}

void setCudaAutocast(bool enabled, c10::ScalarType dtype)
{
#ifdef SEPLAB_AUTOCAST_PER_DEVICE
    at::autocast::set_autocast_dtype(at::kCUDA, dtype);
    at::autocast::set_autocast_enabled(at::kCUDA, enabled);
#else
    at::autocast::set_autocast_gpu_dtype(dtype);
    at::autocast::set_enabled(enabled);
#endif
}

c10::ScalarType cudaAutocastDtype()
{
#ifdef SEPLAB_AUTOCAST_PER_DEVICE
    return at::autocast::get_autocast_dtype(at::kCUDA);
#else
    return at::autocast::get_autocast_gpu_dtype();
#endif
}

} // namespace

bool cudaAutocastActive()
{
    return cudaAutocastEnabled();
}

c10::ScalarType cudaAutocastType()
{
    return cudaAutocastDtype();
}

AutocastScope::AutocastScope(bool enabled, c10::ScalarType dtype)
    : m_enabled(enabled)
{
    if (!m_enabled)
        return;
    m_wasEnabled = cudaAutocastEnabled();
    m_previousDtype = cudaAutocastDtype();
    at::autocast::increment_nesting();
    setCudaAutocast(true, dtype);
}

AutocastScope::~AutocastScope()
{
    if (!m_enabled)
        return;
    if (at::autocast::decrement_nesting() == 0)
        at::autocast::clear_cache();
    setCudaAutocast(m_wasEnabled, m_previousDtype);
}

} // namespace seplab::train
