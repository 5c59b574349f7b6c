#include "core/models/dprnn.h"

#include "core/models/blocks/norms.h"
#include "core/models/model_params.h"

namespace seplab::models {

DprnnParams DprnnParams::fromJson(const nlohmann::json &json)
{
    ParamReader reader("dprnn", json);
    DprnnParams p;
    p.N = reader.integer("N", p.N);
    p.kernelSize = reader.integer("kernel_size", p.kernelSize);
    p.stride = reader.integer("stride", p.stride);
    p.C = reader.integer("C", p.C);
    p.numLayers = reader.integer("num_layers", p.numLayers);
    p.chunkSize = reader.integer("chunk_size", p.chunkSize);
    p.rnnType = reader.text("rnn_type", p.rnnType);
    p.hiddenSize = reader.integer("hidden_size", p.hiddenSize);
    p.numRnnLayers = reader.integer("num_rnn_layers", p.numRnnLayers);
    p.dropout = reader.number("dropout", p.dropout);
    p.bidirectional = reader.boolean("bidirectional", p.bidirectional);
    p.normType = reader.text("norm_type", p.normType);
    reader.rejectUnknownKeys();

    reader.requireAtLeastOne({{"N", p.N},
                              {"kernel_size", p.kernelSize},
                              {"C", p.C},
                              {"num_layers", p.numLayers},
                              {"hidden_size", p.hiddenSize},
                              {"num_rnn_layers", p.numRnnLayers}});
    reader.requireEvenAtLeast("kernel_size", p.kernelSize, 2);
    reader.requireHalfKernelStride(p.kernelSize, p.stride);
    reader.requireEvenAtLeast("chunk_size", p.chunkSize, 2);
    if (p.rnnType != "LSTM" && p.rnnType != "GRU" && p.rnnType != "RNN")
        reader.fail("rnn_type", "must be LSTM, GRU or RNN, got '" + p.rnnType + "'");
    if (!p.bidirectional)
        reader.fail("bidirectional",
                    "false is not supported: SpeechBrain's DPRNN sizes the inter linear layer for "
                    "a bidirectional RNN, so the original crashes with it too");
    if (p.normType != "ln")
        reader.fail("norm_type",
                    "only 'ln' (GroupNorm with one group) is supported, got '" + p.normType + "'");
    reader.requireDropout(p.dropout);
    return p;
}

nlohmann::json DprnnParams::toJson() const
{
    return {{"N", N},
            {"kernel_size", kernelSize},
            {"stride", stride},
            {"C", C},
            {"num_layers", numLayers},
            {"chunk_size", chunkSize},
            {"rnn_type", rnnType},
            {"hidden_size", hiddenSize},
            {"num_rnn_layers", numRnnLayers},
            {"dropout", dropout},
            {"bidirectional", bidirectional},
            {"norm_type", normType}};
}

namespace {

void orthogonalRecurrentWeights(torch::nn::Module &rnn)
{
    torch::NoGradGuard noGrad;
    for (auto &item : rnn.named_parameters()) {
        if (item.key().find("weight_hh") != std::string::npos)
            torch::nn::init::orthogonal_(item.value());
    }
}

} // namespace

SbRnnBlockImpl::SbRnnBlockImpl(const DprnnParams &params, std::int64_t inputSize, bool bidirectional)
    : m_type(params.rnnType)
{
    auto mdl = std::make_shared<torch::nn::Module>();
    std::shared_ptr<torch::nn::Module> rnn;
    if (m_type == "LSTM") {
        m_lstm = torch::nn::LSTM(torch::nn::LSTMOptions(inputSize, params.hiddenSize)
                                     .num_layers(params.numRnnLayers)
                                     .dropout(params.dropout)
                                     .bidirectional(bidirectional)
                                     .batch_first(true));
        rnn = m_lstm.ptr();
    } else if (m_type == "GRU") {
        m_gru = torch::nn::GRU(torch::nn::GRUOptions(inputSize, params.hiddenSize)
                                   .num_layers(params.numRnnLayers)
                                   .dropout(params.dropout)
                                   .bidirectional(bidirectional)
                                   .batch_first(true));
        rnn = m_gru.ptr();
    } else {
        m_rnn = torch::nn::RNN(torch::nn::RNNOptions(inputSize, params.hiddenSize)
                                   .num_layers(params.numRnnLayers)
                                   .dropout(params.dropout)
                                   .bidirectional(bidirectional)
                                   .batch_first(true));
        rnn = m_rnn.ptr();
    }
    orthogonalRecurrentWeights(*rnn);
    mdl->register_module("rnn", rnn);
    register_module("mdl", mdl);
}

torch::Tensor SbRnnBlockImpl::forward(const torch::Tensor &sequence)
{
    if (m_lstm)
        return std::get<0>(m_lstm->forward(sequence));
    if (m_gru)
        return std::get<0>(m_gru->forward(sequence));
    return std::get<0>(m_rnn->forward(sequence));
}

SbLinearImpl::SbLinearImpl(std::int64_t in, std::int64_t out)
{
    w = register_module("w", torch::nn::Linear(in, out));
}

DualComputationBlockImpl::DualComputationBlockImpl(SbRnnBlock intra,
                                                   SbRnnBlock inter,
                                                   const DprnnParams &params)
{
    // SpeechBrain sizes both linears from the intra RNN, which is always bidirectional.
    const std::int64_t rnnOut = 2 * params.hiddenSize;
    m_intra = register_module("intra_mdl", std::move(intra));
    m_inter = register_module("inter_mdl", std::move(inter));
    m_intraLinear = register_module("intra_linear", SbLinear(rnnOut, params.N));
    m_interLinear = register_module("inter_linear", SbLinear(rnnOut, params.N));
    m_intraNorm = register_module("intra_norm", makeGroupNorm1(params.N));
    m_interNorm = register_module("inter_norm", makeGroupNorm1(params.N));
}

torch::Tensor DualComputationBlockImpl::forward(const torch::Tensor &x)
{
    return intraThenInter(
        x,
        [this](const torch::Tensor &s) { return m_intraLinear->forward(m_intra->forward(s)); },
        m_intraNorm,
        [this](const torch::Tensor &s) { return m_interLinear->forward(m_inter->forward(s)); },
        m_interNorm);
}

namespace {

// SpeechBrain builds one intra and one inter RNN and deep-copies them into every block, so all
// blocks start from identical RNN weights; the linears and norms are fresh per block.
void addRnnBlocks(torch::nn::ModuleList &blocks, const DprnnParams &params)
{
    SbRnnBlock intraTemplate(params, params.N, /*bidirectional=*/true);
    SbRnnBlock interTemplate(params, params.N, params.bidirectional);
    for (int layer = 0; layer < params.numLayers; ++layer) {
        SbRnnBlock intra(params, params.N, true);
        SbRnnBlock inter(params, params.N, params.bidirectional);
        copyParameters(*intraTemplate, *intra);
        copyParameters(*interTemplate, *inter);
        blocks->push_back(DualComputationBlock(intra, inter, params));
    }
}

} // namespace

DualPathModelImpl::DualPathModelImpl(const DprnnParams &params)
    : DualPathMaskNetImpl(params.N, params.N, params.C, params.chunkSize, [&](auto &blocks) {
        addRnnBlocks(blocks, params);
    })
{}

Dprnn::Dprnn(const DprnnParams &params)
    : m_params(params)
{
    m_encoder = register_module("encoder", DualPathEncoder(params.N, params.kernelSize));
    separator = register_module("separator", DualPathModel(params));
    m_decoder = register_module("decoder",
                                DualPathDecoder(params.N, params.kernelSize, params.stride));
}

torch::Tensor Dprnn::separate(const torch::Tensor &input)
{
    return separateWithMasks(input, m_encoder, *separator, m_decoder, m_params.C);
}

} // namespace seplab::models
