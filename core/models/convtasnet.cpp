#include "core/models/convtasnet.h"

#include "core/models/model_params.h"

namespace seplab::models {

ConvTasNetParams ConvTasNetParams::fromJson(const nlohmann::json &json)
{
    ParamReader reader("convtasnet", json);
    ConvTasNetParams p;
    p.N = reader.integer("N", p.N);
    p.B = reader.integer("B", p.B);
    p.H = reader.integer("H", p.H);
    p.P = reader.integer("P", p.P);
    p.X = reader.integer("X", p.X);
    p.R = reader.integer("R", p.R);
    p.C = reader.integer("C", p.C);
    p.kernelSize = reader.integer("kernel_size", p.kernelSize);
    p.stride = reader.integer("stride", p.stride);
    p.normType = reader.text("norm_type", p.normType);
    p.causal = reader.boolean("causal", p.causal);
    p.maskNonlinear = reader.text("mask_nonlinear", p.maskNonlinear);
    p.normEps = reader.number("norm_eps", p.normEps);
    reader.rejectUnknownKeys();

    reader.requireAtLeastOne(
        {{"N", p.N}, {"B", p.B}, {"H", p.H}, {"P", p.P}, {"X", p.X}, {"R", p.R}, {"C", p.C}});
    reader.requireEvenAtLeast("kernel_size", p.kernelSize, 2);
    reader.requireHalfKernelStride(p.kernelSize, p.stride);
    if (p.normType != "gLN")
        reader.fail("norm_type", "only 'gLN' is supported, got '" + p.normType + "'");
    if (p.causal)
        reader.fail("causal", "causal ConvTasNet is not supported");
    if (p.maskNonlinear != "relu")
        reader.fail("mask_nonlinear", "only 'relu' is supported, got '" + p.maskNonlinear + "'");
    if (p.normEps <= 0.0)
        reader.fail("norm_eps", "must be positive");
    return p;
}

nlohmann::json ConvTasNetParams::toJson() const
{
    return {{"N", N},
            {"B", B},
            {"H", H},
            {"P", P},
            {"X", X},
            {"R", R},
            {"C", C},
            {"kernel_size", kernelSize},
            {"stride", stride},
            {"norm_type", normType},
            {"causal", causal},
            {"mask_nonlinear", maskNonlinear},
            {"norm_eps", normEps}};
}

namespace {

torch::nn::Conv1d pointwise(std::int64_t in, std::int64_t out)
{
    return torch::nn::Conv1d(torch::nn::Conv1dOptions(in, out, 1).bias(false));
}

} // namespace

TemporalBlockImpl::TemporalBlockImpl(const ConvTasNetParams &params, std::int64_t dilation)
    : m_dilation(dilation)
    , m_kernel(params.P)
{
    m_in = register_module("conv", pointwise(params.B, params.H));
    m_act1 = register_module("act", torch::nn::PReLU());
    m_norm1 = register_module("norm", GlobalLayerNorm(params.H, params.normEps));
    m_depthwise = register_module("dsconv_depthwise",
                                  torch::nn::Conv1d(
                                      torch::nn::Conv1dOptions(params.H, params.H, params.P)
                                          .dilation(dilation)
                                          .groups(params.H)
                                          .bias(false)));
    m_act2 = register_module("dsconv_act", torch::nn::PReLU());
    m_norm2 = register_module("dsconv_norm", GlobalLayerNorm(params.H, params.normEps));
    m_out = register_module("dsconv_pointwise", pointwise(params.H, params.B));
}

torch::Tensor TemporalBlockImpl::forward(const torch::Tensor &x)
{
    torch::Tensor y = m_norm1->forward(m_act1->forward(m_in->forward(x)));
    // SpeechBrain's "same" padding for stride 1 is floor(d (P-1) / 2) per side, in reflect mode.
    const std::int64_t pad = m_dilation * (m_kernel - 1) / 2;
    namespace F = torch::nn::functional;
    y = F::pad(y, F::PadFuncOptions({pad, pad}).mode(torch::kReflect));
    y = m_norm2->forward(m_act2->forward(m_depthwise->forward(y)));
    return m_out->forward(y) + x;
}

MaskNetImpl::MaskNetImpl(const ConvTasNetParams &params)
    : m_params(params)
{
    m_layerNorm = register_module("layer_norm", ChannelwiseLayerNorm(params.N, params.normEps));
    m_bottleneck = register_module("bottleneck_conv1x1", pointwise(params.N, params.B));
    m_blocks = register_module("temporal_conv_net", torch::nn::Sequential());
    for (int r = 0; r < params.R; ++r) {
        for (int x = 0; x < params.X; ++x)
            m_blocks->push_back(TemporalBlock(params, std::int64_t(1) << x));
    }
    m_maskConv = register_module("mask_conv1x1", pointwise(params.B, params.C * params.N));
}

torch::Tensor MaskNetImpl::forward(const torch::Tensor &frames)
{
    const std::int64_t batch = frames.size(0), N = frames.size(1), L = frames.size(2);
    torch::Tensor y = m_bottleneck->forward(m_layerNorm->forward(frames));
    y = m_blocks->forward(y);
    // [B, C*N, L] -> [C, B, N, L]; SpeechBrain's channels-last reshape to (B, L, C, N) orders the
    // C*N channels source-major, the same split as this view.
    const torch::Tensor score
        = m_maskConv->forward(y).view({batch, m_params.C, N, L}).transpose(0, 1);
    return torch::relu(score);
}

ConvTasNet::ConvTasNet(const ConvTasNetParams &params)
    : m_params(params)
{
    m_encoder = register_module("encoder", DualPathEncoder(params.N, params.kernelSize));
    m_separator = register_module("separator", MaskNet(params));
    m_decoder = register_module("decoder",
                                DualPathDecoder(params.N, params.kernelSize, params.stride));
}

torch::Tensor ConvTasNet::separate(const torch::Tensor &input)
{
    const torch::Tensor mixture = input.dim() == 3 ? input.squeeze(1) : input;
    const torch::Tensor frames = m_encoder->forward(mixture);
    const torch::Tensor masks = m_separator->forward(frames);
    std::vector<torch::Tensor> sources;
    for (int c = 0; c < m_params.C; ++c)
        sources.push_back(m_decoder->decode(frames * masks[c]));
    return matchLength(torch::stack(sources, 1), mixture.size(-1));
}

} // namespace seplab::models
