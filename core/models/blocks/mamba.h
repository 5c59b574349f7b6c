#pragma once

// mamba_ssm's Mamba mixer (mamba_simple.py, the reference path) and the bidirectional block
// SPMamba builds from two mamba_ssm Blocks (spec models.md §1.4, §1.5). Module and parameter
// names follow mamba_ssm (mixer.in_proj, mixer.A_log, norm.weight, ...) so state_dicts move
// between SepLab and the original without renaming. The scan is core/models/blocks/
// selective_scan.h, so this runs on any LibTorch device.

#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/pimpl.h>

namespace seplab::models {

struct MambaOptions
{
    std::int64_t dModel = 64;
    std::int64_t dState = 16;
    std::int64_t dConv = 4;
    std::int64_t expand = 4;
    std::int64_t dtRank = 0; // 0: ceil(dModel / 16)

    std::int64_t inner() const { return expand * dModel; }
    std::int64_t rank() const { return dtRank > 0 ? dtRank : (dModel + 15) / 16; }
};

// x * w / sqrt(mean(x^2) + eps), weight only (mamba_ssm.ops.triton.layer_norm.RMSNorm).
class RmsNormImpl : public torch::nn::Module
{
public:
    RmsNormImpl(std::int64_t size, double eps);
    at::Tensor forward(const at::Tensor &x);

    at::Tensor weight;

private:
    double m_eps;
};
TORCH_MODULE(RmsNorm);

class MambaMixerImpl : public torch::nn::Module
{
public:
    explicit MambaMixerImpl(const MambaOptions &options);
    at::Tensor forward(const at::Tensor &x); // [B, L, dModel] -> [B, L, dModel]

    torch::nn::Linear in_proj{nullptr}, x_proj{nullptr}, dt_proj{nullptr}, out_proj{nullptr};
    torch::nn::Conv1d conv1d{nullptr};
    at::Tensor A_log, D;

private:
    MambaOptions m_options;
};
TORCH_MODULE(MambaMixer);

// mamba_ssm's Block with fused_add_norm=False, no MLP and no incoming residual:
// x + mixer(norm(x)).
//
// While gradients are recorded, the layer is checkpointed: the forward keeps only its input and
// the backward runs the layer again to differentiate it. The mixer's activations (in_proj, conv,
// SiLU, the scan's inputs, out_proj), about seven [batch, 4 D, L] tensors, would otherwise stay
// alive for each of SPMamba's 16 calls until the backward: ~7 GB for the reduced model on one
// 4 s clip, against ~0.3 GB of inputs.
class MambaLayerImpl : public torch::nn::Module
{
public:
    MambaLayerImpl(const MambaOptions &options, double normEps);
    at::Tensor forward(const at::Tensor &x);
    at::Tensor compute(const at::Tensor &x); // the layer itself, never checkpointed
    void setCheckpointing(bool enabled) { m_checkpointing = enabled; }

    RmsNorm norm{nullptr};
    MambaMixer mixer{nullptr};

private:
    bool m_checkpointing = true;
};
TORCH_MODULE(MambaLayer);

// SPMamba's MambaBlock(in_channels, n_layer=1, bidirectional=True): independent forward and
// backward layers, the backward one on the time-reversed sequence, outputs concatenated:
// [B, L, D] -> [B, L, 2D].
class BiMambaImpl : public torch::nn::Module
{
public:
    explicit BiMambaImpl(std::int64_t dModel);
    at::Tensor forward(const at::Tensor &x);
    void setCheckpointing(bool enabled);

    torch::nn::ModuleList forward_blocks{nullptr}, backward_blocks{nullptr};
};
TORCH_MODULE(BiMamba);

} // namespace seplab::models
