#include "core/models/blocks/sb_transformer.h"

#include <cmath>
#include <torch/torch.h>

namespace seplab::models {

SbLayerNormImpl::SbLayerNormImpl(std::int64_t size, double eps)
{
    norm = register_module("norm",
                           torch::nn::LayerNorm(torch::nn::LayerNormOptions({size}).eps(eps)));
}

MultiheadSelfAttentionImpl::MultiheadSelfAttentionImpl(std::int64_t embedDim,
                                                       std::int64_t heads,
                                                       double dropout)
    : m_heads(heads)
    , m_dropout(dropout)
{
    in_proj_weight = register_parameter("in_proj_weight", torch::empty({3 * embedDim, embedDim}));
    in_proj_bias = register_parameter("in_proj_bias", torch::zeros({3 * embedDim}));
    out_proj = register_module("out_proj", torch::nn::Linear(embedDim, embedDim));
    // torch.nn.MultiheadAttention._reset_parameters.
    torch::NoGradGuard noGrad;
    torch::nn::init::xavier_uniform_(in_proj_weight);
    out_proj->bias.zero_();
}

at::Tensor MultiheadSelfAttentionImpl::forward(const at::Tensor &x)
{
    const std::int64_t B = x.size(0), L = x.size(1), E = x.size(2), d = E / m_heads;
    const auto qkv = torch::nn::functional::linear(x, in_proj_weight, in_proj_bias).chunk(3, -1);
    auto heads = [&](const at::Tensor &t) { return t.reshape({B, L, m_heads, d}).transpose(1, 2); };
    // torch scales q before the product, as here.
    const at::Tensor q = heads(qkv[0]) * (1.0 / std::sqrt(double(d)));
    const at::Tensor k = heads(qkv[1]), v = heads(qkv[2]);
    at::Tensor weights = torch::softmax(torch::matmul(q, k.transpose(-2, -1)), -1);
    if (m_dropout > 0.0)
        weights = torch::dropout(weights, m_dropout, is_training());
    const at::Tensor out = torch::matmul(weights, v).transpose(1, 2).reshape({B, L, E});
    return out_proj->forward(out);
}

SbMultiheadAttentionImpl::SbMultiheadAttentionImpl(std::int64_t embedDim,
                                                   std::int64_t heads,
                                                   double dropout)
{
    att = register_module("att", MultiheadSelfAttention(embedDim, heads, dropout));
}

SbTransformerLayerImpl::SbTransformerLayerImpl(const SbTransformerOptions &options)
    : m_dropout(options.dropout)
{
    m_selfAtt = register_module("self_att",
                                SbMultiheadAttention(options.dModel,
                                                     options.nhead,
                                                     options.dropout));
    m_ffn = torch::nn::Sequential(torch::nn::Linear(options.dModel, options.dFfn),
                                  torch::nn::ReLU(),
                                  torch::nn::Dropout(options.dropout),
                                  torch::nn::Linear(options.dFfn, options.dModel));
    // SpeechBrain's PositionalwiseFeedForward keeps the Sequential as `ffn`.
    auto posFfn = std::make_shared<torch::nn::Module>();
    posFfn->register_module("ffn", m_ffn);
    register_module("pos_ffn", posFfn);
    m_norm1 = register_module("norm1", SbLayerNorm(options.dModel, 1e-6));
    m_norm2 = register_module("norm2", SbLayerNorm(options.dModel, 1e-6));
}

at::Tensor SbTransformerLayerImpl::forward(const at::Tensor &x)
{
    // normalize_before=True (pre-LN).
    at::Tensor y = x
                   + torch::dropout(m_selfAtt->forward(m_norm1->forward(x)),
                                    m_dropout,
                                    is_training());
    return y + torch::dropout(m_ffn->forward(m_norm2->forward(y)), m_dropout, is_training());
}

SbTransformerEncoderImpl::SbTransformerEncoderImpl(const SbTransformerOptions &options)
{
    layers = register_module("layers", torch::nn::ModuleList());
    for (std::int64_t i = 0; i < options.numLayers; ++i)
        layers->push_back(SbTransformerLayer(options));
    norm = register_module("norm", SbLayerNorm(options.dModel, 1e-6));
}

at::Tensor SbTransformerEncoderImpl::forward(const at::Tensor &x)
{
    at::Tensor y = x;
    for (const auto &layer : *layers)
        y = layer->as<SbTransformerLayerImpl>()->forward(y);
    return norm->forward(y);
}

at::Tensor sinusoidalTable(std::int64_t maxLen, std::int64_t dModel)
{
    // SpeechBrain's arithmetic, in float: exp(2i * -(ln 10000 / d)) times the position.
    const at::Tensor positions = torch::arange(0, maxLen, torch::kFloat).unsqueeze(1);
    const at::Tensor denominator = torch::exp(torch::arange(0, dModel, 2, torch::kFloat)
                                              * float(-(std::log(10000.0) / double(dModel))));
    at::Tensor pe = torch::zeros({maxLen, dModel});
    pe.slice(1, 0, dModel, 2).copy_(torch::sin(positions * denominator));
    pe.slice(1, 1, dModel, 2).copy_(torch::cos(positions * denominator));
    return pe;
}

SbPositionalEncodingImpl::SbPositionalEncodingImpl(std::int64_t dModel, std::int64_t maxLen)
{
    pe = register_buffer("pe", sinusoidalTable(maxLen, dModel).unsqueeze(0));
}

at::Tensor SbPositionalEncodingImpl::forward(const at::Tensor &x)
{
    if (x.size(1) > pe.size(1))
        throw std::invalid_argument("SepFormer positional encoding: a sequence of "
                                    + std::to_string(x.size(1)) + " steps exceeds its "
                                    + std::to_string(pe.size(1)) + " positions.");
    return pe.slice(1, 0, x.size(1));
}

SbTransformerBlockImpl::SbTransformerBlockImpl(const SbTransformerOptions &options)
{
    mdl = register_module("mdl", SbTransformerEncoder(options));
    if (options.positionalEncoding)
        pos_enc = register_module("pos_enc", SbPositionalEncoding(options.dModel));
}

at::Tensor SbTransformerBlockImpl::forward(const at::Tensor &x)
{
    if (pos_enc)
        return mdl->forward(x + pos_enc->forward(x).to(x.dtype()));
    return mdl->forward(x);
}

} // namespace seplab::models
