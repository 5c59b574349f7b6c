#pragma once

// ConvTasNet as the original project builds it: dual_path Encoder/Decoder around SpeechBrain's
// conv_tasnet MaskNet, which has reflect "same" padding and no skip branch (spec models.md §1.2).

#include "core/models/blocks/dual_path_codec.h"
#include "core/models/blocks/norms.h"
#include "core/models/separator.h"

namespace seplab::models {

struct ConvTasNetParams
{
    int N = 256;
    int B = 256;
    int H = 512;
    int P = 3;
    int X = 8;
    int R = 4;
    int C = 2;
    int kernelSize = 16;
    int stride = 8;
    std::string normType = "gLN";
    bool causal = false;
    std::string maskNonlinear = "relu";
    // The module-global EPS of SpeechBrain's cLN/gLN; the original's AMP patch sets 1e-4.
    double normEps = 1e-8;

    static ConvTasNetParams fromJson(const nlohmann::json &params);
    nlohmann::json toJson() const;
};

// 1x1 conv B->H, PReLU, gLN, depthwise conv (kernel P, dilation d, reflect padding), PReLU, gLN,
// 1x1 conv H->B, plus the residual. Channels-first [B, C, L].
class TemporalBlockImpl : public torch::nn::Module
{
public:
    TemporalBlockImpl(const ConvTasNetParams &params, std::int64_t dilation);
    torch::Tensor forward(const torch::Tensor &x);

private:
    std::int64_t m_dilation;
    std::int64_t m_kernel;
    torch::nn::Conv1d m_in{nullptr}, m_depthwise{nullptr}, m_out{nullptr};
    torch::nn::PReLU m_act1{nullptr}, m_act2{nullptr};
    GlobalLayerNorm m_norm1{nullptr}, m_norm2{nullptr};
};
TORCH_MODULE(TemporalBlock);

class MaskNetImpl : public torch::nn::Module
{
public:
    explicit MaskNetImpl(const ConvTasNetParams &params);
    torch::Tensor forward(const torch::Tensor &frames); // [B, N, L] -> masks [C, B, N, L]

private:
    ConvTasNetParams m_params;
    ChannelwiseLayerNorm m_layerNorm{nullptr};
    torch::nn::Conv1d m_bottleneck{nullptr}, m_maskConv{nullptr};
    torch::nn::Sequential m_blocks{nullptr};
};
TORCH_MODULE(MaskNet);

class ConvTasNet : public Separator
{
public:
    explicit ConvTasNet(const ConvTasNetParams &params);

    torch::Tensor separate(const torch::Tensor &mixture) override;
    int sources() const override { return m_params.C; }
    std::string typeName() const override { return "convtasnet"; }
    nlohmann::json params() const override { return m_params.toJson(); }

private:
    ConvTasNetParams m_params;
    DualPathEncoder m_encoder{nullptr};
    MaskNet m_separator{nullptr};
    DualPathDecoder m_decoder{nullptr};
};

} // namespace seplab::models
