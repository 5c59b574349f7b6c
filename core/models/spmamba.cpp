#include "core/models/spmamba.h"

#include "core/models/blocks/stft.h"
#include "core/models/model_params.h"

#include <cmath>

namespace seplab::models {

SpmambaParams SpmambaParams::fromJson(const nlohmann::json &json)
{
    ParamReader reader("spmamba", json);
    SpmambaParams p;
    p.inputDim = reader.integer("input_dim", p.inputDim);
    p.nSrcs = reader.integer("n_srcs", p.nSrcs);
    p.nFft = reader.integer("n_fft", p.nFft);
    p.stride = reader.integer("stride", p.stride);
    p.window = reader.text("window", p.window);
    p.nLayers = reader.integer("n_layers", p.nLayers);
    p.lstmHiddenUnits = reader.integer("lstm_hidden_units", p.lstmHiddenUnits);
    p.attnNHead = reader.integer("attn_n_head", p.attnNHead);
    p.attnApproxQkDim = reader.integer("attn_approx_qk_dim", p.attnApproxQkDim);
    p.embDim = reader.integer("emb_dim", p.embDim);
    p.embKs = reader.integer("emb_ks", p.embKs);
    p.embHs = reader.integer("emb_hs", p.embHs);
    p.activation = reader.text("activation", p.activation);
    p.eps = reader.number("eps", p.eps);
    reader.rejectUnknownKeys();

    reader.requireAtLeastOne({{"n_srcs", p.nSrcs},
                              {"stride", p.stride},
                              {"n_layers", p.nLayers},
                              {"attn_n_head", p.attnNHead},
                              {"attn_approx_qk_dim", p.attnApproxQkDim},
                              {"emb_dim", p.embDim},
                              {"emb_ks", p.embKs},
                              {"emb_hs", p.embHs}});
    reader.requireEvenAtLeast("n_fft", p.nFft, 4);
    if (p.stride > p.nFft)
        reader.fail("stride",
                    "must not exceed n_fft = " + std::to_string(p.nFft)
                        + " (the iSTFT cannot cover the gaps), got " + std::to_string(p.stride));
    // The original asserts this too: its forward always uses a Hann window.
    if (p.window != "hann")
        reader.fail("window", "only 'hann' is supported, got '" + p.window + "'");
    if (p.embDim % p.attnNHead != 0)
        reader.fail("attn_n_head",
                    "must divide emb_dim = " + std::to_string(p.embDim) + ", got "
                        + std::to_string(p.attnNHead));
    if (p.activation != "prelu" && p.activation != "relu")
        reader.fail("activation", "must be prelu or relu, got '" + p.activation + "'");
    if (!(p.eps > 0.0))
        reader.fail("eps", "must be positive, got " + std::to_string(p.eps));
    return p;
}

nlohmann::json SpmambaParams::toJson() const
{
    return {{"input_dim", inputDim},
            {"n_srcs", nSrcs},
            {"n_fft", nFft},
            {"stride", stride},
            {"window", window},
            {"n_layers", nLayers},
            {"lstm_hidden_units", lstmHiddenUnits},
            {"attn_n_head", attnNHead},
            {"attn_approx_qk_dim", attnApproxQkDim},
            {"emb_dim", embDim},
            {"emb_ks", embKs},
            {"emb_hs", embHs},
            {"activation", activation},
            {"eps", eps}};
}

LayerNorm4dImpl::LayerNorm4dImpl(std::int64_t channels, double eps)
    : m_eps(eps)
{
    gamma = register_parameter("gamma", torch::ones({1, channels, 1, 1}));
    beta = register_parameter("beta", torch::zeros({1, channels, 1, 1}));
}

torch::Tensor LayerNorm4dImpl::forward(const torch::Tensor &x)
{
    const torch::Tensor mean = x.mean(1, /*keepdim=*/true);
    const torch::Tensor std = torch::sqrt(x.var(1, /*unbiased=*/false, /*keepdim=*/true) + m_eps);
    return (x - mean) / std * gamma + beta;
}

LayerNorm4dCfImpl::LayerNorm4dCfImpl(std::int64_t channels, std::int64_t freqs, double eps)
    : m_eps(eps)
{
    gamma = register_parameter("gamma", torch::ones({1, channels, 1, freqs}));
    beta = register_parameter("beta", torch::zeros({1, channels, 1, freqs}));
}

torch::Tensor LayerNorm4dCfImpl::forward(const torch::Tensor &x)
{
    const torch::Tensor mean = x.mean({1, 3}, /*keepdim=*/true);
    const torch::Tensor std = torch::sqrt(x.var({1, 3}, /*unbiased=*/false, /*keepdim=*/true)
                                          + m_eps);
    return (x - mean) / std * gamma + beta;
}

torch::nn::Sequential GridNetBlockImpl::attentionProjection(std::int64_t out,
                                                            std::int64_t freqs) const
{
    torch::nn::Sequential sequence;
    sequence->push_back(torch::nn::Conv2d(torch::nn::Conv2dOptions(m_params.embDim, out, 1)));
    if (m_params.activation == "prelu")
        sequence->push_back(torch::nn::PReLU());
    else
        sequence->push_back(torch::nn::ReLU());
    sequence->push_back(LayerNorm4dCf(out, freqs, m_params.eps));
    return sequence;
}

GridNetBlockImpl::GridNetBlockImpl(const SpmambaParams &params)
    : m_params(params)
{
    const std::int64_t C = params.embDim, ks = params.embKs, hs = params.embHs;
    const std::int64_t inChannels = C * ks;
    const std::int64_t F = params.freqs();

    m_intraNorm = register_module("intra_norm", LayerNorm4d(C, params.eps));
    m_intraMamba = register_module("intra_mamba", BiMamba(inChannels));
    m_intraLinear
        = register_module("intra_linear",
                          torch::nn::ConvTranspose1d(
                              torch::nn::ConvTranspose1dOptions(2 * inChannels, C, ks).stride(hs)));
    m_interNorm = register_module("inter_norm", LayerNorm4d(C, params.eps));
    m_interMamba = register_module("inter_mamba", BiMamba(inChannels));
    m_interLinear
        = register_module("inter_linear",
                          torch::nn::ConvTranspose1d(
                              torch::nn::ConvTranspose1dOptions(2 * inChannels, C, ks).stride(hs)));

    // E = ceil(approx_qk_dim / F) channels per head for queries and keys.
    const std::int64_t E = (params.attnApproxQkDim + F - 1) / F;
    const std::int64_t headChannels = C / params.attnNHead;
    for (int head = 0; head < params.attnNHead; ++head) {
        const std::string index = std::to_string(head);
        m_query.push_back(register_module("attn_conv_Q_" + index, attentionProjection(E, F)));
        m_key.push_back(register_module("attn_conv_K_" + index, attentionProjection(E, F)));
        m_value.push_back(
            register_module("attn_conv_V_" + index, attentionProjection(headChannels, F)));
    }
    m_concatProj = register_module("attn_concat_proj", attentionProjection(C, F));
}

torch::Tensor GridNetBlockImpl::sequencePath(const torch::Tensor &sequences,
                                             BiMamba &mamba,
                                             torch::nn::ConvTranspose1d &linear) const
{
    // [n, C, X] -> unfold (ks, 1) stride (hs, 1): [n, C ks, X'], features channel-major.
    const std::int64_t ks = m_params.embKs, hs = m_params.embHs;
    const torch::Tensor unfolded
        = torch::nn::functional::unfold(sequences.unsqueeze(-1),
                                        torch::nn::functional::UnfoldFuncOptions({ks, 1}).stride(
                                            {hs, 1}));
    const torch::Tensor mixed = mamba->forward(unfolded.transpose(1, 2)); // [n, X', 2 C ks]
    return linear->forward(mixed.transpose(1, 2));                        // [n, C, X]
}

torch::Tensor GridNetBlockImpl::forward(const torch::Tensor &input)
{
    const std::int64_t B = input.size(0), C = input.size(1), oldT = input.size(2),
                       oldQ = input.size(3);
    const std::int64_t ks = m_params.embKs, hs = m_params.embHs;
    // Pad both axes at the end so that (X - ks) is a multiple of hs (and X >= ks).
    auto padded = [&](std::int64_t X) {
        const double steps = std::ceil(double(X - ks) / double(hs));
        return std::int64_t(steps) * hs + ks;
    };
    const std::int64_t T = padded(oldT), Q = padded(oldQ);
    namespace F = torch::nn::functional;
    const torch::Tensor x = F::pad(input, F::PadFuncOptions({0, Q - oldQ, 0, T - oldT}));

    // Intra: sequences along frequency, one per (batch, frame).
    torch::Tensor intra = m_intraNorm->forward(x).transpose(1, 2).contiguous().view({B * T, C, Q});
    intra = sequencePath(intra, m_intraMamba, m_intraLinear);
    intra = intra.view({B, T, C, Q}).transpose(1, 2).contiguous() + x;

    // Inter: sequences along time, one per (batch, frequency).
    torch::Tensor inter
        = m_interNorm->forward(intra).permute({0, 3, 1, 2}).contiguous().view({B * Q, C, T});
    inter = sequencePath(inter, m_interMamba, m_interLinear);
    inter = inter.view({B, Q, C, T}).permute({0, 2, 3, 1}).contiguous() + intra;
    inter = inter.slice(2, 0, oldT).slice(3, 0, oldQ);

    // Full-band self-attention over frames; the heads are stacked along the batch axis.
    std::vector<torch::Tensor> queries, keys, values;
    for (std::size_t head = 0; head < m_query.size(); ++head) {
        queries.push_back(m_query[head]->forward(inter));
        keys.push_back(m_key[head]->forward(inter));
        values.push_back(m_value[head]->forward(inter));
    }
    const torch::Tensor q = torch::cat(queries, 0).transpose(1, 2).flatten(2); // [hB, T, E F]
    const torch::Tensor k = torch::cat(keys, 0).transpose(1, 2).flatten(2);
    const torch::Tensor v4 = torch::cat(values, 0).transpose(1, 2); // [hB, T, C/h, F]
    const torch::Tensor v = v4.flatten(2);
    const double scale = std::sqrt(double(q.size(-1)));
    const torch::Tensor weights = torch::softmax(torch::matmul(q, k.transpose(1, 2)) / scale, 2);
    torch::Tensor out = torch::matmul(weights, v).reshape(v4.sizes()).transpose(1, 2);
    const std::int64_t heads = std::int64_t(m_query.size()), headChannels = out.size(1);
    out = out.view({heads, B, headChannels, oldT, -1})
              .transpose(0, 1)
              .contiguous()
              .view({B, heads * headChannels, oldT, -1});
    return m_concatProj->forward(out) + inter;
}

Spmamba::Spmamba(const SpmambaParams &params)
    : m_params(params)
{
    m_conv = register_module(
        "conv",
        torch::nn::Sequential(torch::nn::Conv2d(
                                  torch::nn::Conv2dOptions(2, params.embDim, 3).padding(1)),
                              torch::nn::GroupNorm(
                                  torch::nn::GroupNormOptions(1, params.embDim).eps(params.eps))));
    m_blocks = register_module("blocks", torch::nn::ModuleList());
    for (int layer = 0; layer < params.nLayers; ++layer)
        m_blocks->push_back(GridNetBlock(params));
    m_deconv = register_module(
        "deconv",
        torch::nn::ConvTranspose2d(
            torch::nn::ConvTranspose2dOptions(params.embDim, 2 * params.nSrcs, 3).padding(1)));
}

torch::Tensor Spmamba::separate(const torch::Tensor &input)
{
    torch::Tensor mixture = input.dim() == 3 ? input.squeeze(1) : input;
    const std::int64_t samples = mixture.size(-1);
    // The centred STFT reflects n_fft/2 samples at each end, which needs a longer input; a
    // shorter one is zero-padded here and the estimates cropped back.
    const std::int64_t minimum = m_params.nFft / 2 + 1;
    if (samples < minimum) {
        namespace F = torch::nn::functional;
        mixture = F::pad(mixture, F::PadFuncOptions({0, minimum - samples}));
    }

    // The original adds 1e-8 to the (unbiased) std; upstream SPMamba does not.
    const torch::Tensor std = torch::std(mixture, {1}, /*unbiased=*/true, /*keepdim=*/true) + 1e-8;
    const torch::Tensor features = stftFeatures(mixture / std, m_params.nFft, m_params.stride);
    const std::int64_t B = features.size(0), frames = features.size(2), freqs = features.size(3);

    torch::Tensor x = m_conv->forward(features);
    for (const auto &block : *m_blocks)
        x = block->as<GridNetBlockImpl>()->forward(x);
    x = m_deconv->forward(x).view({B * m_params.nSrcs, 2, frames, freqs});

    const torch::Tensor waves = istftFeatures(x, m_params.nFft, m_params.stride, mixture.size(-1));
    const torch::Tensor estimates = waves.view({B, m_params.nSrcs, -1}) * std.unsqueeze(1);
    return estimates.slice(2, 0, samples);
}

} // namespace seplab::models
