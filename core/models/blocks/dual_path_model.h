#pragma once

// SpeechBrain's Dual_Path_Model (dual_path.py) around its intra/inter blocks, shared by DPRNN and
// SepFormer, which differ only in what the blocks run: the head (GroupNorm, 1x1 conv N -> D), the
// chunking, the tail (PReLU, 2-D conv D -> C*D, overlap-add, tanh x sigmoid gate, 1x1 conv
// D -> N, ReLU) and the encode/mask/decode pass. Submodules keep SpeechBrain's names and
// registration order, so state_dict keys and the seeded initialisation match the original.

#include <cstdint>
#include <functional>
#include <torch/nn/module.h>
#include <torch/nn/modules/activation.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/normalization.h>
#include <torch/nn/pimpl.h>

namespace seplab::models {

class DualPathEncoder;
class DualPathDecoder;

// One block of the dual-path stack: [B, D, K, S] -> same.
class DualPathBlockImpl : public torch::nn::Module
{
public:
    virtual torch::Tensor forward(const torch::Tensor &x) = 0;

protected:
    using Sequence = std::function<torch::Tensor(const torch::Tensor &)>;

    // Runs `intra` over the K frames of each chunk, then `inter` across the S chunks, each
    // followed by its norm and a skip connection ([B', T, D] -> [B', T, D] for both).
    static torch::Tensor intraThenInter(const torch::Tensor &x,
                                        const Sequence &intra,
                                        torch::nn::GroupNorm &intraNorm,
                                        const Sequence &inter,
                                        torch::nn::GroupNorm &interNorm);
};

class DualPathMaskNetImpl : public torch::nn::Module
{
public:
    torch::Tensor forward(const torch::Tensor &frames); // [B, N, L] -> masks [C, B, N, L]

    torch::nn::ModuleList dualBlocks{nullptr}; // of DualPathBlockImpl

protected:
    // `fillBlocks` appends the blocks to dual_mdl. It runs between the head and the tail, where
    // SpeechBrain builds them, so a seeded model draws the same initial weights.
    DualPathMaskNetImpl(std::int64_t channels,
                        std::int64_t modelDim,
                        int sources,
                        std::int64_t chunkSize,
                        const std::function<void(torch::nn::ModuleList &)> &fillBlocks);

private:
    int m_sources;
    std::int64_t m_chunkSize;
    torch::nn::GroupNorm m_norm{nullptr};
    torch::nn::Conv1d m_conv1d{nullptr}, m_endConv1x1{nullptr};
    torch::nn::Conv2d m_conv2d{nullptr};
    torch::nn::PReLU m_prelu{nullptr};
    torch::nn::Sequential m_output{nullptr}, m_outputGate{nullptr};
};

// SpeechBrain deep-copies one intra and one inter template into every block, so all blocks
// start from the same weights; this is that copy for modules built with the same shapes.
void copyParameters(const torch::nn::Module &from, torch::nn::Module &to);

// Encodes the mixture ([B, T] or [B, 1, T]), masks it once per source and decodes each:
// -> [B, C, T].
torch::Tensor separateWithMasks(const torch::Tensor &input,
                                DualPathEncoder &encoder,
                                DualPathMaskNetImpl &masknet,
                                DualPathDecoder &decoder,
                                int sources);

} // namespace seplab::models
