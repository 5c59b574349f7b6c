#include "core/models/blocks/selective_scan_cpu.h"

#include "core/models/blocks/selective_scan_kernels.h"

#include <ATen/Parallel.h>
#include <torch/torch.h>

namespace seplab::models {

namespace {

using scan_kernels::Shape;

Shape shapeOf(const at::Tensor &u, const at::Tensor &A, std::int64_t chunk)
{
    const std::int64_t L = u.size(2);
    return {u.size(0), u.size(1), L, A.size(1), chunk, (L + chunk - 1) / chunk};
}

// Enough work per task that a task outweighs the thread hand-off.
std::int64_t grainFor(std::int64_t perItem)
{
    return std::max<std::int64_t>(1, (std::int64_t(1) << 15) / std::max<std::int64_t>(1, perItem));
}

template<typename T>
T *dataOrNull(const at::Tensor &t)
{
    return t.defined() ? t.data_ptr<T>() : nullptr;
}

} // namespace

ScanCpuOutput selectiveScanForwardCpu(const at::Tensor &u,
                                      const at::Tensor &delta,
                                      const at::Tensor &A,
                                      const at::Tensor &B,
                                      const at::Tensor &C,
                                      const at::Tensor &D,
                                      const at::Tensor &z,
                                      std::int64_t chunk)
{
    const Shape s = shapeOf(u, A, chunk);
    ScanCpuOutput out;
    out.y = torch::empty_like(u);
    out.boundary = torch::empty({s.chunks, s.batch, s.d, s.N}, u.options());
    AT_DISPATCH_FLOATING_TYPES(u.scalar_type(), "selectiveScanForwardCpu", [&] {
        scan_kernels::Tensors<scalar_t> p{};
        p.u = u.data_ptr<scalar_t>();
        p.delta = delta.data_ptr<scalar_t>();
        p.A = A.data_ptr<scalar_t>();
        p.B = B.data_ptr<scalar_t>();
        p.C = C.data_ptr<scalar_t>();
        p.D = D.data_ptr<scalar_t>();
        p.z = dataOrNull<scalar_t>(z);
        p.y = out.y.data_ptr<scalar_t>();
        p.boundary = out.boundary.data_ptr<scalar_t>();
        at::parallel_for(0,
                         s.batch * s.d,
                         grainFor(s.L * s.N),
                         [&](std::int64_t begin, std::int64_t end) {
                             scan_kernels::forwardChannels(s, p, begin, end);
                         });
    });
    return out;
}

ScanGrads selectiveScanBackwardCpu(const at::Tensor &u,
                                   const at::Tensor &delta,
                                   const at::Tensor &slope,
                                   const at::Tensor &A,
                                   const at::Tensor &B,
                                   const at::Tensor &C,
                                   const at::Tensor &D,
                                   const at::Tensor &z,
                                   const at::Tensor &boundary,
                                   const at::Tensor &g,
                                   std::int64_t chunk)
{
    const Shape s = shapeOf(u, A, chunk);
    ScanGrads grads;
    grads.u = torch::empty_like(u);
    grads.deltaRaw = torch::empty_like(u);
    grads.B = torch::zeros_like(B);
    grads.C = torch::zeros_like(C);
    if (z.defined())
        grads.z = torch::empty_like(u);
    const at::Tensor gAParts = torch::zeros({s.batch, s.d, s.N}, u.options());
    const at::Tensor gDParts = torch::empty({s.batch, s.d}, u.options());
    AT_DISPATCH_FLOATING_TYPES(u.scalar_type(), "selectiveScanBackwardCpu", [&] {
        scan_kernels::Tensors<scalar_t> p{};
        p.u = u.data_ptr<scalar_t>();
        p.delta = delta.data_ptr<scalar_t>();
        p.slope = slope.data_ptr<scalar_t>();
        p.A = A.data_ptr<scalar_t>();
        p.B = B.data_ptr<scalar_t>();
        p.C = C.data_ptr<scalar_t>();
        p.D = D.data_ptr<scalar_t>();
        p.z = dataOrNull<scalar_t>(z);
        p.g = g.data_ptr<scalar_t>();
        p.boundary = boundary.data_ptr<scalar_t>();
        p.gu = grads.u.data_ptr<scalar_t>();
        p.gDeltaRaw = grads.deltaRaw.data_ptr<scalar_t>();
        p.gB = grads.B.data_ptr<scalar_t>();
        p.gC = grads.C.data_ptr<scalar_t>();
        p.gz = dataOrNull<scalar_t>(grads.z);
        p.gAParts = gAParts.data_ptr<scalar_t>();
        p.gDParts = gDParts.data_ptr<scalar_t>();
        // Parallel over sequences only: a sequence's channels all add into its gB and gC rows.
        at::parallel_for(0,
                         s.batch,
                         grainFor(s.d * s.L * s.N),
                         [&](std::int64_t begin, std::int64_t end) {
                             scan_kernels::backwardSequences(s, p, begin, end);
                         });
    });
    grads.A = gAParts.sum(0);
    grads.D = gDParts.sum(0);
    return grads;
}

} // namespace seplab::models
