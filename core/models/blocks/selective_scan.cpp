#include "core/models/blocks/selective_scan.h"

#include "core/models/blocks/selective_scan_cpu.h"

#include <atomic>
#include <chrono>
#include <cmath>
#include <torch/torch.h>

namespace seplab::models {

namespace {

std::atomic<bool> g_timing{false};
std::atomic<std::int64_t> g_scanNanoseconds{0};

// Times one forward or backward call while timing is enabled; the device is synchronised at
// both ends so that asynchronous CUDA work is charged to the scan.
class ScanTimer
{
public:
    explicit ScanTimer(const at::Tensor &on)
        : m_enabled(g_timing.load())
        , m_cuda(on.is_cuda())
        , m_device(on.is_cuda() ? on.device().index() : -1)
    {
        if (!m_enabled)
            return;
        synchronize();
        m_start = std::chrono::steady_clock::now();
    }
    ~ScanTimer()
    {
        if (!m_enabled)
            return;
        synchronize();
        g_scanNanoseconds += std::chrono::duration_cast<std::chrono::nanoseconds>(
                                 std::chrono::steady_clock::now() - m_start)
                                 .count();
    }

private:
    void synchronize() const
    {
        if (m_cuda)
            torch::cuda::synchronize(m_device);
    }

    bool m_enabled;
    bool m_cuda;
    int m_device;
    std::chrono::steady_clock::time_point m_start;
};

at::ScalarType computeType(const at::Tensor &u)
{
    return u.scalar_type() == at::kDouble ? at::kDouble : at::kFloat;
}

// The inputs in the compute dtype, laid out for the per-chunk arithmetic.
struct ScanInputs
{
    at::Tensor u;     // [b, d, L]
    at::Tensor delta; // softplus(deltaRaw + bias), [b, d, L]
    at::Tensor slope; // d delta / d deltaRaw (the softplus derivative), [b, d, L]
    at::Tensor A;     // [d, N]
    at::Tensor B, C;  // [b, L, N]
    at::Tensor D;     // [d]
};

ScanInputs prepare(const at::Tensor &u,
                   const at::Tensor &deltaRaw,
                   const at::Tensor &A,
                   const at::Tensor &B,
                   const at::Tensor &C,
                   const at::Tensor &D,
                   const at::Tensor &deltaBias,
                   bool withSlope)
{
    const at::ScalarType type = computeType(u);
    ScanInputs in;
    in.u = u.to(type);
    const at::Tensor raw = deltaRaw.to(type) + deltaBias.to(type).unsqueeze(-1);
    // torch's softplus(beta 1, threshold 20): linear above the threshold, and so its slope.
    in.delta = torch::softplus(raw, 1.0, 20.0);
    if (withSlope)
        in.slope = torch::where(raw > 20.0, torch::ones_like(raw), torch::sigmoid(raw));
    in.A = A.to(type);
    in.B = B.to(type).transpose(1, 2).contiguous();
    in.C = C.to(type).transpose(1, 2).contiguous();
    in.D = D.to(type);
    // The fused kernels read raw memory; the LibTorch ops are no slower on contiguous tensors.
    for (at::Tensor *t : {&in.u, &in.delta, &in.slope, &in.A, &in.D}) {
        if (t->defined())
            *t = t->contiguous();
    }
    return in;
}

// One chunk's decay factors exp(delta A) and states h_t, both [b, d, len, N], from the state
// before the chunk.
struct ChunkStates
{
    at::Tensor decay;
    at::Tensor states;
};

ChunkStates runChunk(const ScanInputs &in,
                     const at::Tensor &before,
                     std::int64_t start,
                     std::int64_t len)
{
    const at::Tensor delta = in.delta.slice(2, start, start + len); // [b, d, len]
    const at::Tensor u = in.u.slice(2, start, start + len);
    const at::Tensor B = in.B.slice(1, start, start + len); // [b, len, N]
    ChunkStates chunk;
    chunk.decay = torch::exp(delta.unsqueeze(-1) * in.A.unsqueeze(0).unsqueeze(2));
    // h starts as the input term delta B u and accumulates the decayed previous state in place.
    chunk.states = (delta * u).unsqueeze(-1) * B.unsqueeze(1);
    for (std::int64_t k = 0; k < len; ++k) {
        const at::Tensor previous = k == 0 ? before : chunk.states.select(2, k - 1);
        chunk.states.select(2, k).addcmul_(chunk.decay.select(2, k), previous);
    }
    return chunk;
}

// The forward with LibTorch ops, a chunk at a time: y (before the gate) and the states saved at
// the chunk boundaries, [chunks, b, d, N].
at::Tensor forwardWithTensorOps(const ScanInputs &in, std::int64_t chunk, at::Tensor &y)
{
    const std::int64_t batch = in.u.size(0), d = in.u.size(1), L = in.u.size(2), N = in.A.size(1);
    const std::int64_t chunks = (L + chunk - 1) / chunk;
    at::Tensor h = torch::zeros({batch, d, N}, in.u.options());
    at::Tensor saved = torch::empty({chunks, batch, d, N}, in.u.options());
    y = torch::empty({batch, d, L}, in.u.options());
    for (std::int64_t c = 0; c < chunks; ++c) {
        const std::int64_t start = c * chunk, len = std::min(chunk, L - start);
        saved[c].copy_(h);
        const ChunkStates states = runChunk(in, h, start, len);
        const at::Tensor Cc = in.C.slice(1, start, start + len).unsqueeze(1);
        y.slice(2, start, start + len).copy_((states.states * Cc).sum(-1));
        h = states.states.select(2, len - 1).clone();
    }
    y.addcmul_(in.u, in.D.unsqueeze(-1));
    return saved;
}

class SelectiveScanFunction : public torch::autograd::Function<SelectiveScanFunction>
{
public:
    static at::Tensor forward(torch::autograd::AutogradContext *ctx,
                              const at::Tensor &u,
                              const at::Tensor &deltaRaw,
                              const at::Tensor &A,
                              const at::Tensor &B,
                              const at::Tensor &C,
                              const at::Tensor &D,
                              const c10::optional<at::Tensor> &z,
                              const at::Tensor &deltaBias,
                              std::int64_t chunk,
                              bool fused)
    {
        ScanTimer timer(u);
        const ScanInputs in = prepare(u, deltaRaw, A, B, C, D, deltaBias, false);
        const bool gated = z.has_value() && z->defined();
        at::Tensor y, saved;
        if (fused) {
            const at::Tensor zc = gated ? z->to(in.u.scalar_type()).contiguous() : at::Tensor();
            ScanCpuOutput out
                = selectiveScanForwardCpu(in.u, in.delta, in.A, in.B, in.C, in.D, zc, chunk);
            y = out.y;
            saved = out.boundary;
        } else {
            saved = forwardWithTensorOps(in, chunk, y);
            if (gated)
                y.mul_(torch::silu(z->to(y.scalar_type())));
        }

        ctx->saved_data["chunk"] = chunk;
        ctx->saved_data["gated"] = gated;
        ctx->saved_data["fused"] = fused;
        ctx->save_for_backward(
            {u, deltaRaw, A, B, C, D, gated ? *z : at::Tensor(), deltaBias, saved});
        return y.to(u.scalar_type());
    }

    static torch::autograd::variable_list backward(torch::autograd::AutogradContext *ctx,
                                                   torch::autograd::variable_list grads)
    {
        const auto saved = ctx->get_saved_variables();
        const at::Tensor &u = saved[0], &deltaRaw = saved[1], &A = saved[2], &B = saved[3],
                         &C = saved[4], &D = saved[5], &z = saved[6], &deltaBias = saved[7],
                         &boundary = saved[8];
        const std::int64_t chunk = ctx->saved_data["chunk"].toInt();
        const bool gated = ctx->saved_data["gated"].toBool();
        const bool fused = ctx->saved_data["fused"].toBool();
        ScanTimer timer(u);

        const ScanInputs in = prepare(u, deltaRaw, A, B, C, D, deltaBias, true);
        if (fused) {
            const at::ScalarType type = in.u.scalar_type();
            const ScanGrads fusedGrads = selectiveScanBackwardCpu(in.u,
                                                                  in.delta,
                                                                  in.slope,
                                                                  in.A,
                                                                  in.B,
                                                                  in.C,
                                                                  in.D,
                                                                  gated ? z.to(type).contiguous()
                                                                        : at::Tensor(),
                                                                  boundary,
                                                                  grads[0].to(type).contiguous(),
                                                                  chunk);
            return packGradients(saved, fusedGrads);
        }
        const std::int64_t batch = u.size(0), d = u.size(1), L = u.size(2), N = A.size(1);
        const std::int64_t chunks = (L + chunk - 1) / chunk;
        const at::Tensor g = grads[0].to(in.u.scalar_type());
        const at::Tensor zf = gated ? z.to(in.u.scalar_type()) : at::Tensor();

        at::Tensor gu = torch::empty_like(in.u), gDelta = torch::empty_like(in.u);
        at::Tensor gB = torch::empty({batch, L, N}, in.u.options());
        at::Tensor gC = torch::empty({batch, L, N}, in.u.options());
        at::Tensor gz = gated ? torch::empty_like(in.u) : at::Tensor();
        at::Tensor gA = torch::zeros_like(in.A), gD = torch::zeros_like(in.D);
        // carry = exp(delta_{t+1} A) lambda_{t+1}, the reverse recurrence's running term.
        at::Tensor carry = torch::zeros({batch, d, N}, in.u.options());

        for (std::int64_t c = chunks - 1; c >= 0; --c) {
            const std::int64_t start = c * chunk, len = std::min(chunk, L - start);
            const at::Tensor before = boundary[c];
            const ChunkStates states = runChunk(in, before, start, len);
            const at::Tensor uc = in.u.slice(2, start, start + len);
            const at::Tensor deltac = in.delta.slice(2, start, start + len);
            const at::Tensor Bc = in.B.slice(1, start, start + len).unsqueeze(1); // [b,1,len,N]
            const at::Tensor Cc = in.C.slice(1, start, start + len).unsqueeze(1);
            const at::Tensor gc = g.slice(2, start, start + len);

            // The gate: out = s silu(z) with s the scan output plus D u.
            at::Tensor gy = gc;
            if (gated) {
                const at::Tensor zc = zf.slice(2, start, start + len);
                const at::Tensor s = (states.states * Cc).sum(-1) + uc * in.D.unsqueeze(-1);
                const at::Tensor sz = torch::sigmoid(zc);
                gz.slice(2, start, start + len).copy_(gc * s * sz * (1 + zc * (1 - sz)));
                gy = gc * zc * sz;
            }
            gD += (gy * uc).sum(at::IntArrayRef{0, 2});

            // lambda_t = gy_t C_t + exp(delta_{t+1} A) lambda_{t+1}, from the chunk's end.
            at::Tensor lambda = gy.unsqueeze(-1) * Cc; // [b, d, len, N]
            lambda.select(2, len - 1).add_(carry);
            for (std::int64_t k = len - 2; k >= 0; --k)
                lambda.select(2, k).addcmul_(states.decay.select(2, k + 1), lambda.select(2, k + 1));
            carry = states.decay.select(2, 0) * lambda.select(2, 0);

            const at::Tensor previous = torch::cat({before.unsqueeze(2),
                                                    states.states.slice(2, 0, len - 1)},
                                                   2);
            const at::Tensor decayed = lambda * previous * states.decay;
            gA += (decayed * deltac.unsqueeze(-1)).sum(at::IntArrayRef{0, 2});
            const at::Tensor lambdaB = (lambda * Bc).sum(-1); // [b, d, len]
            const at::Tensor gDeltac = (decayed * in.A.unsqueeze(0).unsqueeze(2)).sum(-1)
                                       + lambdaB * uc;
            gDelta.slice(2, start, start + len)
                .copy_(gDeltac * in.slope.slice(2, start, start + len));
            gu.slice(2, start, start + len).copy_(gy * in.D.unsqueeze(-1) + lambdaB * deltac);
            gB.slice(1, start, start + len).copy_((lambda * (deltac * uc).unsqueeze(-1)).sum(1));
            gC.slice(1, start, start + len).copy_((gy.unsqueeze(-1) * states.states).sum(1));
        }
        return packGradients(saved, {gu, gDelta, gA, gB, gC, gD, gz});
    }

private:
    // The gradients in the inputs' dtypes and layouts (B and C back to [b, N, L]); the bias's
    // is the delta gradient summed over sequences and time. Chunk and path get none.
    static torch::autograd::variable_list packGradients(const torch::autograd::variable_list &saved,
                                                        const ScanGrads &g)
    {
        const at::Tensor gBias = g.deltaRaw.sum(at::IntArrayRef{0, 2});
        return {g.u.to(saved[0].scalar_type()),
                g.deltaRaw.to(saved[1].scalar_type()),
                g.A.to(saved[2].scalar_type()),
                g.B.transpose(1, 2).to(saved[3].scalar_type()),
                g.C.transpose(1, 2).to(saved[4].scalar_type()),
                g.D.to(saved[5].scalar_type()),
                g.z.defined() ? g.z.to(saved[6].scalar_type()) : at::Tensor(),
                gBias.to(saved[7].scalar_type()),
                at::Tensor(),
                at::Tensor()};
    }
};

} // namespace

std::int64_t defaultScanChunk(std::int64_t steps, std::int64_t stateElements)
{
    // Saved states cost L / chunk states per call, and every call of a forward keeps its own
    // until the backward; the backward's temporaries cost about six chunks of states, but only
    // for one call at a time. sqrt(3 L) balances the two for SPMamba's 16 calls.
    const auto balanced = static_cast<std::int64_t>(std::ceil(std::sqrt(3.0 * double(steps))));
    const std::int64_t cap = std::max<std::int64_t>(1,
                                                    (std::int64_t(1) << 25)
                                                        / std::max<std::int64_t>(1, stateElements));
    return std::max<std::int64_t>(1, std::min({balanced, cap, steps}));
}

at::Tensor selectiveScan(const at::Tensor &u,
                         const at::Tensor &deltaRaw,
                         const at::Tensor &A,
                         const at::Tensor &B,
                         const at::Tensor &C,
                         const at::Tensor &D,
                         const at::Tensor &z,
                         const at::Tensor &deltaBias,
                         std::int64_t chunk,
                         ScanPath path)
{
    TORCH_CHECK(u.dim() == 3 && deltaRaw.sizes() == u.sizes(),
                "selectiveScan: u and delta must be [b, d, L]");
    TORCH_CHECK(A.dim() == 2 && A.size(0) == u.size(1), "selectiveScan: A must be [d, N]");
    TORCH_CHECK(B.dim() == 3 && B.size(0) == u.size(0) && B.size(1) == A.size(1)
                    && B.size(2) == u.size(2) && C.sizes() == B.sizes(),
                "selectiveScan: B and C must be [b, N, L]");
    TORCH_CHECK(!z.defined() || z.sizes() == u.sizes(), "selectiveScan: z must be [b, d, L]");
    const std::int64_t L = u.size(2);
    if (L == 0)
        return torch::zeros_like(u);
    const std::int64_t steps = chunk > 0 ? std::min(chunk, L)
                                         : defaultScanChunk(L, u.size(0) * u.size(1) * A.size(1));
    const c10::optional<at::Tensor> gate = z.defined() ? c10::optional<at::Tensor>(z)
                                                       : c10::nullopt;
    const bool fused = path == ScanPath::Automatic && u.is_cpu();
    return SelectiveScanFunction::apply(u, deltaRaw, A, B, C, D, gate, deltaBias, steps, fused);
}

void setScanTiming(bool enabled)
{
    g_timing = enabled;
}

double scanSeconds()
{
    return double(g_scanNanoseconds.load()) * 1e-9;
}

void resetScanSeconds()
{
    g_scanNanoseconds = 0;
}

} // namespace seplab::models
