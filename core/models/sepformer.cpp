#include "core/models/sepformer.h"

#include "core/models/blocks/norms.h"
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

    reader.requireAtLeastOne({{"N", p.N},
                              {"C", p.C},
                              {"num_blocks", p.numBlocks},
                              {"num_layers", p.numLayers},
                              {"d_model", p.dModel},
                              {"nhead", p.nhead},
                              {"d_ffn", p.dFfn}});
    reader.requireEvenAtLeast("kernel_size", p.kernelSize, 2);
    reader.requireHalfKernelStride(p.kernelSize, p.stride);
    reader.requireEvenAtLeast("chunk_size", p.chunkSize, 2);
    if (p.dModel % p.nhead != 0)
        reader.fail("nhead",
                    "must divide d_model = " + std::to_string(p.dModel) + ", got "
                        + std::to_string(p.nhead));
    if (p.usePositionalEncoding && p.dModel % 2 != 0)
        reader.fail("d_model",
                    "must be even with use_positional_encoding (sin/cos pairs), got "
                        + std::to_string(p.dModel));
    reader.requireDropout(p.dropout);
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
    return intraThenInter(
        x,
        [this](const torch::Tensor &s) { return m_intra->forward(s); },
        m_intraNorm,
        [this](const torch::Tensor &s) { return m_inter->forward(s); },
        m_interNorm);
}

namespace {

// SpeechBrain deep-copies one intra and one inter model into every block, so all blocks start
// from the same transformer weights.
void addTransformerBlocks(torch::nn::ModuleList &blocks, const SepformerParams &params)
{
    SbTransformerBlock intraTemplate(params.transformer());
    SbTransformerBlock interTemplate(params.transformer());
    for (int block = 0; block < params.numBlocks; ++block) {
        SbTransformerBlock intra(params.transformer());
        SbTransformerBlock inter(params.transformer());
        copyParameters(*intraTemplate, *intra);
        copyParameters(*interTemplate, *inter);
        blocks->push_back(SepformerDualBlock(intra, inter, params.dModel));
    }
}

} // namespace

SepformerMaskNetImpl::SepformerMaskNetImpl(const SepformerParams &params)
    : DualPathMaskNetImpl(params.N, params.dModel, params.C, params.chunkSize, [&](auto &blocks) {
        addTransformerBlocks(blocks, params);
    })
{}

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
    return separateWithMasks(input, m_encoder, *masknet, m_decoder, m_params.C);
}

} // namespace seplab::models
