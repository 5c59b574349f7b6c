#include "core/models/blocks/mamba.h"

#include "core/models/blocks/selective_scan.h"
#include "core/train/autocast_scope.h"

#include <cmath>
#include <torch/torch.h>

namespace seplab::models {

RmsNormImpl::RmsNormImpl(std::int64_t size, double eps)
    : m_eps(eps)
{
    weight = register_parameter("weight", torch::ones({size}));
}

at::Tensor RmsNormImpl::forward(const at::Tensor &x)
{
    // In fp32, as mamba_ssm's kernel computes it, then back to the input's dtype.
    const at::Tensor xf = x.to(x.scalar_type() == at::kDouble ? at::kDouble : at::kFloat);
    const at::Tensor scale = torch::rsqrt(xf.pow(2).mean(-1, /*keepdim=*/true) + m_eps);
    return (xf * scale * weight).to(x.scalar_type());
}

MambaMixerImpl::MambaMixerImpl(const MambaOptions &options)
    : m_options(options)
{
    const std::int64_t D = options.dModel, inner = options.inner(), R = options.rank(),
                       N = options.dState;
    in_proj = register_module("in_proj",
                              torch::nn::Linear(torch::nn::LinearOptions(D, 2 * inner).bias(false)));
    conv1d = register_module("conv1d",
                             torch::nn::Conv1d(torch::nn::Conv1dOptions(inner, inner, options.dConv)
                                                   .groups(inner)
                                                   .padding(options.dConv - 1)
                                                   .bias(true)));
    x_proj = register_module("x_proj",
                             torch::nn::Linear(
                                 torch::nn::LinearOptions(inner, R + 2 * N).bias(false)));
    dt_proj = register_module("dt_proj", torch::nn::Linear(R, inner));
    out_proj = register_module("out_proj",
                               torch::nn::Linear(torch::nn::LinearOptions(inner, D).bias(false)));

    torch::NoGradGuard noGrad;
    // dt_proj as mamba_simple initialises it: weight U(+-R^-1/2); bias the inverse softplus of
    // dt = exp(U(log 1e-3, log 1e-1)), floored at 1e-4, so softplus(bias) starts at dt.
    const double std = 1.0 / std::sqrt(double(R));
    dt_proj->weight.uniform_(-std, std);
    const at::Tensor dt = torch::exp(torch::rand({inner}) * (std::log(0.1) - std::log(1e-3))
                                     + std::log(1e-3))
                              .clamp_min(1e-4);
    dt_proj->bias.copy_(dt + torch::log(-torch::expm1(-dt)));

    // A = -exp(A_log) starts as -(1..N) in every channel; D starts at 1.
    A_log = register_parameter("A_log",
                               torch::log(torch::arange(1, N + 1, torch::kFloat).repeat({inner, 1}))
                                   .contiguous());
    this->D = register_parameter("D", torch::ones({inner}));
}

at::Tensor MambaMixerImpl::forward(const at::Tensor &x)
{
    const std::int64_t L = x.size(1), inner = m_options.inner(), R = m_options.rank(),
                       N = m_options.dState;
    const at::Tensor xz = in_proj->forward(x).transpose(1, 2); // [B, 2 inner, L]
    const at::Tensor u0 = xz.slice(1, 0, inner);
    const at::Tensor z = xz.slice(1, inner, 2 * inner);

    // Causal depthwise conv: pad dConv-1 on both sides and keep the first L outputs.
    const at::Tensor u = torch::silu(conv1d->forward(u0.contiguous()).slice(2, 0, L));

    const at::Tensor xDbl = x_proj->forward(u.transpose(1, 2)); // [B, L, R + 2N]
    const at::Tensor dtLow = xDbl.slice(2, 0, R);
    const at::Tensor B = xDbl.slice(2, R, R + N).transpose(1, 2);
    const at::Tensor C = xDbl.slice(2, R + N, R + 2 * N).transpose(1, 2);
    // The bias joins inside the scan, before the softplus.
    const at::Tensor deltaRaw = torch::matmul(dtLow, dt_proj->weight.t()).transpose(1, 2);

    const at::Tensor A = -torch::exp(A_log);
    const at::Tensor y = selectiveScan(u.contiguous(),
                                       deltaRaw.contiguous(),
                                       A,
                                       B.contiguous(),
                                       C.contiguous(),
                                       D,
                                       z.contiguous(),
                                       dt_proj->bias);
    return out_proj->forward(y.transpose(1, 2));
}

namespace {

// Activation checkpointing of one MambaLayer (torch.utils.checkpoint's reentrant form): the
// parameters are inputs so that their gradients flow back through this node.
class CheckpointedLayer : public torch::autograd::Function<CheckpointedLayer>
{
public:
    static at::Tensor forward(torch::autograd::AutogradContext *ctx,
                              const at::Tensor &x,
                              at::TensorList parameters,
                              MambaLayerImpl *layer)
    {
        ctx->saved_data["layer"] = static_cast<std::int64_t>(reinterpret_cast<std::intptr_t>(layer));
        ctx->saved_data["autocast"] = train::cudaAutocastActive();
        ctx->saved_data["dtype"] = static_cast<std::int64_t>(train::cudaAutocastType());
        ctx->save_for_backward({x});
        return layer->compute(x);
    }

    static torch::autograd::variable_list backward(torch::autograd::AutogradContext *ctx,
                                                   torch::autograd::variable_list grads)
    {
        auto *layer = reinterpret_cast<MambaLayerImpl *>(
            static_cast<std::intptr_t>(ctx->saved_data["layer"].toInt()));
        const at::Tensor x = ctx->get_saved_variables()[0];
        torch::AutoGradMode enableGrad(true);
        // The forward's autocast state, so that the recomputation repeats it.
        train::AutocastScope autocast(ctx->saved_data["autocast"].toBool(),
                                      static_cast<c10::ScalarType>(
                                          ctx->saved_data["dtype"].toInt()));
        const at::Tensor input = x.detach().requires_grad_(true);
        const at::Tensor output = layer->compute(input);
        std::vector<at::Tensor> inputs = {input};
        for (const at::Tensor &parameter : layer->parameters())
            inputs.push_back(parameter);
        torch::autograd::variable_list result
            = torch::autograd::grad({output}, inputs, {grads[0]}, false, false, true);
        result.emplace_back(); // the layer pointer
        return result;
    }
};

} // namespace

MambaLayerImpl::MambaLayerImpl(const MambaOptions &options, double normEps)
{
    norm = register_module("norm", RmsNorm(options.dModel, normEps));
    mixer = register_module("mixer", MambaMixer(options));
}

at::Tensor MambaLayerImpl::compute(const at::Tensor &x)
{
    return x + mixer->forward(norm->forward(x));
}

at::Tensor MambaLayerImpl::forward(const at::Tensor &x)
{
    if (!m_checkpointing || !torch::GradMode::is_enabled())
        return compute(x);
    const std::vector<at::Tensor> parameters = this->parameters();
    return CheckpointedLayer::apply(x, at::TensorList(parameters), this);
}

BiMambaImpl::BiMambaImpl(std::int64_t dModel)
{
    MambaOptions options;
    options.dModel = dModel;
    forward_blocks = register_module("forward_blocks",
                                     torch::nn::ModuleList(MambaLayer(options, 1e-5)));
    backward_blocks = register_module("backward_blocks",
                                      torch::nn::ModuleList(MambaLayer(options, 1e-5)));
}

void BiMambaImpl::setCheckpointing(bool enabled)
{
    forward_blocks[0]->as<MambaLayerImpl>()->setCheckpointing(enabled);
    backward_blocks[0]->as<MambaLayerImpl>()->setCheckpointing(enabled);
}

at::Tensor BiMambaImpl::forward(const at::Tensor &x)
{
    const at::Tensor forwardOut = forward_blocks[0]->as<MambaLayerImpl>()->forward(x);
    const at::Tensor backwardOut
        = backward_blocks[0]->as<MambaLayerImpl>()->forward(x.flip({1})).flip({1});
    return torch::cat({forwardOut, backwardOut}, -1);
}

} // namespace seplab::models
