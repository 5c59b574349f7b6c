#pragma once

// DPRNN exactly as the original project builds it from SpeechBrain lobes: dual_path Encoder,
// Dual_Path_Model with SBRNNBlock intra/inter RNNs, dual_path Decoder (spec models.md §1.1).
// Submodule names follow SpeechBrain's, so state_dict keys match the original checkpoints.

#include "core/models/blocks/dual_path_codec.h"
#include "core/models/blocks/dual_path_model.h"
#include "core/models/separator.h"

namespace seplab::models {

struct DprnnParams
{
    int N = 64;
    int kernelSize = 16;
    int stride = 8;
    int C = 2;
    int numLayers = 6;
    int chunkSize = 100;
    std::string rnnType = "LSTM";
    int hiddenSize = 128;
    int numRnnLayers = 1;
    double dropout = 0.0;
    bool bidirectional = true;
    std::string normType = "ln";

    static DprnnParams fromJson(const nlohmann::json &params);
    nlohmann::json toJson() const;
};

// SpeechBrain's SBRNNBlock: `mdl.rnn` is the LSTM/GRU/RNN (batch first), with orthogonal
// weight_hh as SpeechBrain's rnn_init leaves it.
class SbRnnBlockImpl : public torch::nn::Module
{
public:
    SbRnnBlockImpl(const DprnnParams &params, std::int64_t inputSize, bool bidirectional);
    torch::Tensor forward(const torch::Tensor &sequence); // [B', T, in] -> [B', T, dirs * H]

private:
    std::string m_type;
    torch::nn::LSTM m_lstm{nullptr};
    torch::nn::GRU m_gru{nullptr};
    torch::nn::RNN m_rnn{nullptr};
};
TORCH_MODULE(SbRnnBlock);

// SpeechBrain's Linear wrapper keeps the layer as `w`; mirrored for the state_dict names.
class SbLinearImpl : public torch::nn::Module
{
public:
    SbLinearImpl(std::int64_t in, std::int64_t out);
    torch::Tensor forward(const torch::Tensor &x) { return w->forward(x); }

    torch::nn::Linear w{nullptr};
};
TORCH_MODULE(SbLinear);

class DualComputationBlockImpl : public DualPathBlockImpl
{
public:
    DualComputationBlockImpl(SbRnnBlock intra, SbRnnBlock inter, const DprnnParams &params);
    torch::Tensor forward(const torch::Tensor &x) override; // [B, N, K, S] -> same

private:
    SbRnnBlock m_intra{nullptr}, m_inter{nullptr};
    SbLinear m_intraLinear{nullptr}, m_interLinear{nullptr};
    torch::nn::GroupNorm m_intraNorm{nullptr}, m_interNorm{nullptr};
};
TORCH_MODULE(DualComputationBlock);

// SpeechBrain's Dual_Path_Model with DualComputationBlocks (d_model = N).
class DualPathModelImpl : public DualPathMaskNetImpl
{
public:
    explicit DualPathModelImpl(const DprnnParams &params);
};
TORCH_MODULE(DualPathModel);

class Dprnn : public Separator
{
public:
    explicit Dprnn(const DprnnParams &params);

    torch::Tensor separate(const torch::Tensor &mixture) override;
    int sources() const override { return m_params.C; }
    std::string typeName() const override { return "dprnn"; }
    nlohmann::json params() const override { return m_params.toJson(); }

    DualPathModel separator{nullptr};

private:
    DprnnParams m_params;
    DualPathEncoder m_encoder{nullptr};
    DualPathDecoder m_decoder{nullptr};
};

} // namespace seplab::models
