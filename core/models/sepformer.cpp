#include "core/models/sepformer.h"

#include "core/models/blocks/norms.h"
#include "core/models/blocks/segmentation.h"
#include "core/models/model_params.h"

namespace seplab::models {

SepformerParams SepformerParams::fromJson(const nlohmann::json &json)
{
    ParamReader reader("sepformer", json);
    SepformerParams p;
    p.N = reader.integer("N", p.N);
    p.kernelSize = reader.integer("kernel_size", p.kernelSize);
    p.stride = reader.integer("stride", p.stride);
    p.C = reader.integer("C", p.C);
    p.causal = reader.boolean("causal", p.causal);
    p.numBlocks = reader.integer("num_blocks", p.numBlocks);
    p.numLayers = reader.integer("num_layers", p.numLayers);
    p.dModel = reader.integer("d_model", p.dModel);
    p.nhead = reader.integer("nhead", p.nhead);
    p.dFfn = reader.integer("d_ffn", p.dFfn);
    p.dropout = reader.number("dropout", p.dropout);
    p.chunkSize = reader.integer("chunk_size", p.chunkSize);
    p.hopSize = reader.integer("hop_size", p.chunkSize / 2);
    p.usePositionalEncoding = reader.boolean("use_positional_encoding", p.usePositionalEncoding);
    reader.rejectUnknownKeys();

    for (auto [key, value] : {std::pair{"N", p.N},
                              {"C", p.C},
                              {"num_blocks", p.numBlocks},
                              {"num_layers", p.numLayers},
                              {"d_model", p.dModel},
                              {"nhead", p.nhead},
                              {"d_ffn", p.dFfn}}) {
        if (value < 1)
            reader.fail(key, "must be at least 1, got " + std::to_string(value));
    }
    if (p.kernelSize < 2 || p.kernelSize % 2 != 0)
        reader.fail("kernel_size",
                    "must be even and at least 2, got " + std::to_string(p.kernelSize));
    // As for DPRNN: the encoder always hops kernel_size/2 and the original asserts the same.
    if (p.stride != p.kernelSize / 2)
        reader.fail("stride",
                    "must be kernel_size/2 = " + std::to_string(p.kernelSize / 2)
                        + " (the encoder always hops kernel_size/2), got "
                        + std::to_string(p.stride));
    if (p.chunkSize < 2 || p.chunkSize % 2 != 0)
        reader.fail("chunk_size", "must be even and at least 2, got " + std::to_string(p.chunkSize));
    if (p.dModel % p.nhead != 0)
        reader.fail("nhead",
                    "must divide d_model = " + std::to_string(p.dModel) + ", got "
                        + std::to_string(p.nhead));
    if (p.usePositionalEncoding && p.dModel % 2 != 0)
        reader.fail("d_model",
                    "must be even with use_positional_encoding (sin/cos pairs), got "
                        + std::to_string(p.dModel));
    if (p.dropout < 0.0 || p.dropout >= 1.0)
        reader.fail("dropout", "must lie in [0, 1), got " + std::to_string(p.dropout));
    return p;
}

nlohmann::json SepformerParams::toJson() const
{
    return {{"N", N},
            {"kernel_size", kernelSize},
            {"stride", stride},
            {"C", C},
            {"causal", causal},
            {"num_blocks", numBlocks},
            {"num_layers", numLayers},
            {"d_model", dModel},
            {"nhead", nhead},
            {"d_ffn", dFfn},
            {"dropout", dropout},
            {"chunk_size", chunkSize},
            {"hop_size", hopSize},
            {"use_positional_encoding", usePositionalEncoding}};
}

SbTransformerOptions SepformerParams::transformer() const
{
    SbTransformerOptions options;
    options.dModel = dModel;
    options.nhead = nhead;
    options.dFfn = dFfn;
    options.numLayers = numLayers;
    options.dropout = dropout;
    options.positionalEncoding = usePositionalEncoding;
    return options;
}

namespace {

void copyParameters(const torch::nn::Module &from, torch::nn::Module &to)
{
    torch::NoGradGuard noGrad;
    const auto source = from.named_parameters();
    for (auto &item : to.named_parameters())
        item.value().copy_(source[item.key()]);
}

} // namespace

SepformerDualBlockImpl::SepformerDualBlockImpl(SbTransformerBlock intra,
                                               SbTransformerBlock inter,
                                               std::int64_t channels)
{
    // SpeechBrain's registration order: intra_mdl, inter_mdl, intra_norm, inter_norm.
    m_intra = register_module("intra_mdl", std::move(intra));
    m_inter = register_module("inter_mdl", std::move(inter));
    m_intraNorm = register_module("intra_norm", makeGroupNorm1(channels));
    m_interNorm = register_module("inter_norm", makeGroupNorm1(channels));
}

torch::Tensor SepformerDualBlockImpl::forward(const torch::Tensor &x)
{
    const std::int64_t B = x.size(0), N = x.size(1), K = x.size(2), S = x.size(3);

    torch::Tensor intra = x.permute({0, 3, 2, 1}).contiguous().view({B * S, K, N});
    intra = m_intra->forward(intra);
    intra = intra.view({B, S, K, N}).permute({0, 3, 2, 1}).contiguous();
    intra = m_intraNorm->forward(intra) + x; // skip_around_intra

    torch::Tensor inter = intra.permute({0, 2, 3, 1}).contiguous().view({B * K, S, N});
    inter = m_inter->forward(inter);
    inter = inter.view({B, K, S, N}).permute({0, 3, 1, 2}).contiguous();
    return m_interNorm->forward(inter) + intra;
}

SepformerMaskNetImpl::SepformerMaskNetImpl(const SepformerParams &params)
    : m_params(params)
{
    const std::int64_t N = params.N, D = params.dModel;
    m_norm = register_module("norm", makeGroupNorm1(N));
    m_conv1d = register_module("conv1d",
                               torch::nn::Conv1d(torch::nn::Conv1dOptions(N, D, 1).bias(false)));

    // SpeechBrain deep-copies one intra and one inter model into every block, so all blocks
    // start from the same transformer weights.
    SbTransformerBlock intraTemplate(params.transformer());
    SbTransformerBlock interTemplate(params.transformer());
    dualBlocks = register_module("dual_mdl", torch::nn::ModuleList());
    for (int block = 0; block < params.numBlocks; ++block) {
        SbTransformerBlock intra(params.transformer());
        SbTransformerBlock inter(params.transformer());
        copyParameters(*intraTemplate, *intra);
        copyParameters(*interTemplate, *inter);
        dualBlocks->push_back(SepformerDualBlock(intra, inter, D));
    }

    m_conv2d = register_module("conv2d",
                               torch::nn::Conv2d(torch::nn::Conv2dOptions(D, D * params.C, 1)));
    m_endConv1x1 = register_module("end_conv1x1",
                                   torch::nn::Conv1d(torch::nn::Conv1dOptions(D, N, 1).bias(false)));
    m_prelu = register_module("prelu", torch::nn::PReLU());
    m_output = register_module("output",
                               torch::nn::Sequential(torch::nn::Conv1d(D, D, 1), torch::nn::Tanh()));
    m_outputGate = register_module("output_gate",
                                   torch::nn::Sequential(torch::nn::Conv1d(D, D, 1),
                                                         torch::nn::Sigmoid()));
}

torch::Tensor SepformerMaskNetImpl::forward(const torch::Tensor &frames)
{
    torch::Tensor x = m_conv1d->forward(m_norm->forward(frames));
    const Segmented segmented = segment(x, m_params.chunkSize);
    x = segmented.chunks;
    for (const auto &block : *dualBlocks)
        x = block->as<SepformerDualBlockImpl>()->forward(x);
    x = m_conv2d->forward(m_prelu->forward(x));

    const std::int64_t B = x.size(0), K = x.size(2), S = x.size(3);
    x = x.view({B * m_params.C, -1, K, S});
    x = overlapAdd(x, segmented.gap);
    x = m_output->forward(x) * m_outputGate->forward(x);
    x = m_endConv1x1->forward(x);
    const std::int64_t N = x.size(1), L = x.size(2);
    return torch::relu(x.view({B, m_params.C, N, L})).transpose(0, 1);
}

Sepformer::Sepformer(const SepformerParams &params)
    : m_params(params)
{
    m_encoder = register_module("encoder", DualPathEncoder(params.N, params.kernelSize));
    masknet = register_module("masknet", SepformerMaskNet(params));
    m_decoder = register_module("decoder",
                                DualPathDecoder(params.N, params.kernelSize, params.stride));
}

torch::Tensor Sepformer::separate(const torch::Tensor &input)
{
    const torch::Tensor mixture = input.dim() == 3 ? input.squeeze(1) : input;
    const torch::Tensor frames = m_encoder->forward(mixture);
    const torch::Tensor masks = masknet->forward(frames); // [C, B, N, L]
    std::vector<torch::Tensor> sources;
    for (int c = 0; c < m_params.C; ++c)
        sources.push_back(m_decoder->decode(frames * masks[c]));
    return matchLength(torch::stack(sources, 1), mixture.size(-1));
}

} // namespace seplab::models
