#include "core/models/blocks/dual_path_model.h"

#include "core/models/blocks/dual_path_codec.h"
#include "core/models/blocks/norms.h"
#include "core/models/blocks/segmentation.h"

#include <torch/torch.h>

namespace seplab::models {

torch::Tensor DualPathBlockImpl::intraThenInter(const torch::Tensor &x,
                                                const Sequence &intra,
                                                torch::nn::GroupNorm &intraNorm,
                                                const Sequence &inter,
                                                torch::nn::GroupNorm &interNorm)
{
    const std::int64_t B = x.size(0), N = x.size(1), K = x.size(2), S = x.size(3);

    // Intra-chunk: sequences of K frames, one per (batch, chunk).
    torch::Tensor within = x.permute({0, 3, 2, 1}).contiguous().view({B * S, K, N});
    within = intra(within);
    within = within.view({B, S, K, N}).permute({0, 3, 2, 1}).contiguous();
    within = intraNorm->forward(within) + x; // skip_around_intra

    // Inter-chunk: sequences of S chunks, one per (batch, position in chunk).
    torch::Tensor across = within.permute({0, 2, 3, 1}).contiguous().view({B * K, S, N});
    across = inter(across);
    across = across.view({B, K, S, N}).permute({0, 3, 1, 2}).contiguous();
    return interNorm->forward(across) + within;
}

DualPathMaskNetImpl::DualPathMaskNetImpl(
    std::int64_t channels,
    std::int64_t modelDim,
    int sources,
    std::int64_t chunkSize,
    const std::function<void(torch::nn::ModuleList &)> &fillBlocks)
    : m_sources(sources)
    , m_chunkSize(chunkSize)
{
    const std::int64_t N = channels, D = modelDim;
    m_norm = register_module("norm", makeGroupNorm1(N));
    m_conv1d = register_module("conv1d",
                               torch::nn::Conv1d(torch::nn::Conv1dOptions(N, D, 1).bias(false)));

    dualBlocks = register_module("dual_mdl", torch::nn::ModuleList());
    fillBlocks(dualBlocks);

    m_conv2d = register_module("conv2d",
                               torch::nn::Conv2d(torch::nn::Conv2dOptions(D, D * sources, 1)));
    m_endConv1x1 = register_module("end_conv1x1",
                                   torch::nn::Conv1d(torch::nn::Conv1dOptions(D, N, 1).bias(false)));
    m_prelu = register_module("prelu", torch::nn::PReLU());
    m_output = register_module("output",
                               torch::nn::Sequential(torch::nn::Conv1d(D, D, 1), torch::nn::Tanh()));
    m_outputGate = register_module("output_gate",
                                   torch::nn::Sequential(torch::nn::Conv1d(D, D, 1),
                                                         torch::nn::Sigmoid()));
}

torch::Tensor DualPathMaskNetImpl::forward(const torch::Tensor &frames)
{
    torch::Tensor x = m_conv1d->forward(m_norm->forward(frames));
    const Segmented segmented = segment(x, m_chunkSize);
    x = segmented.chunks;
    for (const auto &block : *dualBlocks)
        x = block->as<DualPathBlockImpl>()->forward(x);
    x = m_conv2d->forward(m_prelu->forward(x));

    const std::int64_t B = x.size(0), K = x.size(2), S = x.size(3);
    x = x.view({B * m_sources, -1, K, S});
    x = overlapAdd(x, segmented.gap);
    x = m_output->forward(x) * m_outputGate->forward(x);
    x = m_endConv1x1->forward(x);
    const std::int64_t N = x.size(1), L = x.size(2);
    return torch::relu(x.view({B, m_sources, N, L})).transpose(0, 1);
}

void copyParameters(const torch::nn::Module &from, torch::nn::Module &to)
{
    torch::NoGradGuard noGrad;
    const auto source = from.named_parameters();
    for (auto &item : to.named_parameters())
        item.value().copy_(source[item.key()]);
}

torch::Tensor separateWithMasks(const torch::Tensor &input,
                                DualPathEncoder &encoder,
                                DualPathMaskNetImpl &masknet,
                                DualPathDecoder &decoder,
                                int sources)
{
    const torch::Tensor mixture = input.dim() == 3 ? input.squeeze(1) : input;
    const torch::Tensor frames = encoder->forward(mixture);
    const torch::Tensor masks = masknet.forward(frames); // [C, B, N, L]
    std::vector<torch::Tensor> parts;
    for (int c = 0; c < sources; ++c)
        parts.push_back(decoder->decode(frames * masks[c]));
    return matchLength(torch::stack(parts, 1), mixture.size(-1));
}

} // namespace seplab::models
