#pragma once

// SpeechBrain's SBTransformerBlock as SepFormer's intra and inter models use it (spec models.md
// §1.3): an optional fixed sinusoidal positional encoding added to the input, then a
// TransformerEncoder of pre-LN layers (LayerNorm eps 1e-6, torch.nn.MultiheadAttention, ReLU
// feed-forward) and a final LayerNorm. Submodules carry SpeechBrain's names (mdl.layers.<i>.
// self_att.att.in_proj_weight, pos_ffn.ffn.0, norm1.norm, ...) so state_dict keys match.

#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/normalization.h>
#include <torch/nn/pimpl.h>

namespace seplab::models {

struct SbTransformerOptions
{
    std::int64_t dModel = 256;
    std::int64_t nhead = 8;
    std::int64_t dFfn = 1024;
    std::int64_t numLayers = 8;
    double dropout = 0.0;
    bool positionalEncoding = false;
};

// SpeechBrain's normalization.LayerNorm keeps torch's LayerNorm as `norm`.
class SbLayerNormImpl : public torch::nn::Module
{
public:
    SbLayerNormImpl(std::int64_t size, double eps);
    at::Tensor forward(const at::Tensor &x) { return norm->forward(x); }

    torch::nn::LayerNorm norm{nullptr};
};
TORCH_MODULE(SbLayerNorm);

// torch.nn.MultiheadAttention's parameters (in_proj_weight [3E, E], in_proj_bias, out_proj) and
// initialisation (xavier-uniform in_proj, zero biases), self-attention only, batch first.
class MultiheadSelfAttentionImpl : public torch::nn::Module
{
public:
    MultiheadSelfAttentionImpl(std::int64_t embedDim, std::int64_t heads, double dropout);
    at::Tensor forward(const at::Tensor &x); // [B, L, E] -> [B, L, E]

    at::Tensor in_proj_weight, in_proj_bias;
    torch::nn::Linear out_proj{nullptr};

private:
    std::int64_t m_heads;
    double m_dropout;
};
TORCH_MODULE(MultiheadSelfAttention);

// SpeechBrain's attention.MultiheadAttention wraps torch's as `att`.
class SbMultiheadAttentionImpl : public torch::nn::Module
{
public:
    SbMultiheadAttentionImpl(std::int64_t embedDim, std::int64_t heads, double dropout);
    at::Tensor forward(const at::Tensor &x) { return att->forward(x); }

    MultiheadSelfAttention att{nullptr};
};
TORCH_MODULE(SbMultiheadAttention);

class SbTransformerLayerImpl : public torch::nn::Module
{
public:
    explicit SbTransformerLayerImpl(const SbTransformerOptions &options);
    at::Tensor forward(const at::Tensor &x);

private:
    double m_dropout;
    SbMultiheadAttention m_selfAtt{nullptr};
    torch::nn::Sequential m_ffn{nullptr}; // pos_ffn.ffn: Linear, ReLU, Dropout, Linear
    SbLayerNorm m_norm1{nullptr}, m_norm2{nullptr};
};
TORCH_MODULE(SbTransformerLayer);

class SbTransformerEncoderImpl : public torch::nn::Module
{
public:
    explicit SbTransformerEncoderImpl(const SbTransformerOptions &options);
    at::Tensor forward(const at::Tensor &x);

    torch::nn::ModuleList layers{nullptr};
    SbLayerNorm norm{nullptr};
};
TORCH_MODULE(SbTransformerEncoder);

// SpeechBrain's PositionalEncoding: the table is a (persistent) buffer `pe` of [1, 2500, d].
class SbPositionalEncodingImpl : public torch::nn::Module
{
public:
    explicit SbPositionalEncodingImpl(std::int64_t dModel, std::int64_t maxLen = 2500);
    at::Tensor forward(const at::Tensor &x); // the first L rows for x [B, L, d]: [1, L, d]

    at::Tensor pe;
};
TORCH_MODULE(SbPositionalEncoding);

class SbTransformerBlockImpl : public torch::nn::Module
{
public:
    explicit SbTransformerBlockImpl(const SbTransformerOptions &options);
    at::Tensor forward(const at::Tensor &x); // [B, L, d] -> [B, L, d]

    SbTransformerEncoder mdl{nullptr};
    SbPositionalEncoding pos_enc{nullptr}; // null without positional encoding
};
TORCH_MODULE(SbTransformerBlock);

// pe[p, 2i] = sin(p 10000^(-2i/d)), pe[p, 2i+1] = cos(p 10000^(-2i/d)): [maxLen, d], float.
at::Tensor sinusoidalTable(std::int64_t maxLen, std::int64_t dModel);

} // namespace seplab::models
