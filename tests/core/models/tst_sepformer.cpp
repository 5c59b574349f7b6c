// SepFormer must be the original's network: exact parameter counts (spec models.md §1.3,
// computed there from the layer shapes), identical transformer weights in every block as
// SpeechBrain's deep copies leave them, the optional positional encoding, shapes and errors.

#include "core/models/blocks/sb_transformer.h"
#include "core/models/sepformer.h"
#include "support/tiny_models.h"

#include <QtTest>

#include <cmath>
#include <torch/torch.h>

using namespace seplab::models;

namespace {

QString errorOf(const nlohmann::json &params)
{
    try {
        createModel("sepformer", params);
    } catch (const std::invalid_argument &error) {
        return QString::fromStdString(error.what());
    }
    return {};
}

} // namespace

class tst_Sepformer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parameterCounts_data();
    void parameterCounts();
    void transformerLayerCounts();
    void blocksStartWithIdenticalTransformers();
    void preLayerNormLayer();
    void positionalEncodingTable();
    void positionalEncodingChangesOutputsOnly();
    void outputShapes_data();
    void outputShapes();
    void gradientsReachTheEncoder();
    void paramsRoundTrip();
    void badParams_data();
    void badParams();
};

void tst_Sepformer::parameterCounts_data()
{
    QTest::addColumn<QByteArray>("overrides");
    QTest::addColumn<qint64>("expected");
    // spec models.md §1.3 [computed]: 25,679,361 for SB (C=2), 25,613,569 for C=1.
    QTest::newRow("SB baseline") << QByteArray("{}") << qint64(25679361);
    QTest::newRow("C=1 (ES/EB)") << QByteArray(R"({"C": 1})") << qint64(25613569);
    // The encoding is a buffer, not a parameter.
    QTest::newRow("with positional encoding")
        << QByteArray(R"({"use_positional_encoding": true})") << qint64(25679361);
}

void tst_Sepformer::parameterCounts()
{
    QFETCH(QByteArray, overrides);
    QFETCH(qint64, expected);
    const SeparatorPtr model = createModel("sepformer",
                                           nlohmann::json::parse(overrides.toStdString()));
    const qint64 count = parameterCount(*model);
    qInfo("sepformer %s: %lld parameters", overrides.constData(), count);
    QCOMPARE(count, expected);
}

void tst_Sepformer::transformerLayerCounts()
{
    // spec §1.3: one layer 789,760 (MHA 263,168 + FFN 525,568 + two LayerNorms 1,024), one
    // 8-layer stack with its final LayerNorm 6,318,592.
    SbTransformerOptions options;
    SbTransformerBlock block(options);
    QCOMPARE(qint64(parameterCount(*block)), qint64(6318592));
    QCOMPARE(qint64(parameterCount(*block->mdl->layers[0])), qint64(789760));
}

void tst_Sepformer::blocksStartWithIdenticalTransformers()
{
    const SeparatorPtr model
        = createModel("sepformer",
                      {{"num_layers", 2}, {"d_model", 16}, {"N", 16}, {"nhead", 2}, {"d_ffn", 32}});
    const auto params = model->named_parameters();
    for (const char *tail : {"intra_mdl.mdl.layers.0.self_att.att.in_proj_weight",
                             "intra_mdl.mdl.layers.1.pos_ffn.ffn.3.weight",
                             "inter_mdl.mdl.layers.1.self_att.att.out_proj.weight",
                             "inter_mdl.mdl.norm.norm.weight"}) {
        const std::string key = tail;
        QVERIFY2(torch::equal(params["masknet.dual_mdl.0." + key],
                              params["masknet.dual_mdl.1." + key]),
                 tail);
    }
    QVERIFY(
        !torch::equal(params["masknet.dual_mdl.0.intra_mdl.mdl.layers.0.pos_ffn.ffn.0.weight"],
                      params["masknet.dual_mdl.0.inter_mdl.mdl.layers.0.pos_ffn.ffn.0.weight"]));
    // torch.nn.MultiheadAttention's init: zero biases, xavier-uniform in_proj (|w| <= sqrt(6 /
    // (fan_in + fan_out)) = sqrt(6 / 64) for [48, 16]).
    const torch::Tensor inProj = params["masknet.dual_mdl.0.intra_mdl.mdl.layers.0.self_att.att."
                                        "in_proj_weight"];
    QVERIFY(inProj.abs().max().item<double>() <= std::sqrt(6.0 / 64.0));
    QCOMPARE(params["masknet.dual_mdl.0.intra_mdl.mdl.layers.0.self_att.att.in_proj_bias"]
                 .abs()
                 .sum()
                 .item<double>(),
             0.0);
}

void tst_Sepformer::preLayerNormLayer()
{
    // One encoder layer against the pre-LN formula written out with plain tensor ops:
    // y = x + MHA(LN1(x)); out = y + W2 relu(W1 LN2(y) + b1) + b2, LN eps 1e-6.
    torch::manual_seed(3);
    SbTransformerOptions options;
    options.dModel = 4;
    options.nhead = 2;
    options.dFfn = 6;
    options.numLayers = 1;
    SbTransformerLayer layer(options);
    layer->eval();
    const auto p = layer->named_parameters();
    const torch::Tensor x = torch::randn({2, 3, 4});

    auto layerNorm = [](const torch::Tensor &v, const torch::Tensor &w, const torch::Tensor &b) {
        const torch::Tensor mean = v.mean(-1, true);
        const torch::Tensor var = (v - mean).pow(2).mean(-1, true);
        return (v - mean) / torch::sqrt(var + 1e-6) * w + b;
    };
    const torch::Tensor n1 = layerNorm(x, p["norm1.norm.weight"], p["norm1.norm.bias"]);
    const torch::Tensor W = p["self_att.att.in_proj_weight"], bias = p["self_att.att.in_proj_bias"];
    torch::Tensor attention = torch::zeros({2, 3, 4});
    for (int h = 0; h < 2; ++h) {
        auto project = [&](int which) {
            const int row = which * 4 + h * 2;
            return torch::matmul(n1, W.slice(0, row, row + 2).t()) + bias.slice(0, row, row + 2);
        };
        const torch::Tensor q = project(0), k = project(1), v = project(2);
        const torch::Tensor weights = torch::softmax(torch::matmul(q, k.transpose(1, 2))
                                                         / std::sqrt(2.0),
                                                     -1);
        attention.slice(2, h * 2, h * 2 + 2).copy_(torch::matmul(weights, v));
    }
    const torch::Tensor y = x + torch::matmul(attention, p["self_att.att.out_proj.weight"].t())
                            + p["self_att.att.out_proj.bias"];
    const torch::Tensor n2 = layerNorm(y, p["norm2.norm.weight"], p["norm2.norm.bias"]);
    const torch::Tensor hidden = torch::relu(torch::matmul(n2, p["pos_ffn.ffn.0.weight"].t())
                                             + p["pos_ffn.ffn.0.bias"]);
    const torch::Tensor expected = y + torch::matmul(hidden, p["pos_ffn.ffn.3.weight"].t())
                                   + p["pos_ffn.ffn.3.bias"];
    QVERIFY(torch::allclose(layer->forward(x), expected, 1e-5, 1e-6));
}

void tst_Sepformer::positionalEncodingTable()
{
    const torch::Tensor pe = sinusoidalTable(2500, 256);
    QCOMPARE(pe.sizes().vec(), (std::vector<std::int64_t>{2500, 256}));
    // pe[p, 2i] = sin(p 10000^(-2i/d)), pe[p, 2i+1] = cos(...), by hand for a few entries.
    QCOMPARE(pe[0][0].item<float>(), 0.0f);
    QCOMPARE(pe[0][1].item<float>(), 1.0f);
    QVERIFY(std::abs(pe[1][0].item<double>() - std::sin(1.0)) < 1e-6);
    QVERIFY(std::abs(pe[7][3].item<double>() - std::cos(7.0 * std::pow(10000.0, -2.0 / 256)))
            < 1e-6);
    QVERIFY(std::abs(pe[249][100].item<double>() - std::sin(249.0 * std::pow(10000.0, -100.0 / 256)))
            < 1e-5);
}

void tst_Sepformer::positionalEncodingChangesOutputsOnly()
{
    nlohmann::json params = seplab::test::tinySepformerParams();
    torch::manual_seed(5);
    const SeparatorPtr plain = createModel("sepformer", params);
    params["use_positional_encoding"] = true;
    const SeparatorPtr encoded = createModel("sepformer", params);
    QCOMPARE(parameterCount(*encoded), parameterCount(*plain));
    const auto buffers = encoded->named_buffers();
    QVERIFY(buffers.contains("masknet.dual_mdl.0.intra_mdl.pos_enc.pe"));
    QCOMPARE(buffers["masknet.dual_mdl.0.inter_mdl.pos_enc.pe"].sizes().vec(),
             (std::vector<std::int64_t>{1, 2500, 8}));
    QVERIFY(plain->named_buffers().is_empty());

    // Same weights, so the outputs differ only through the encoding.
    torch::NoGradGuard noGrad;
    const auto source = plain->named_parameters();
    for (auto &item : encoded->named_parameters())
        item.value().copy_(source[item.key()]);
    const torch::Tensor x = torch::randn({1, 300});
    QVERIFY(!torch::allclose(plain->separate(x), encoded->separate(x)));
}

void tst_Sepformer::outputShapes_data()
{
    QTest::addColumn<int>("batch");
    QTest::addColumn<int>("length");
    QTest::addColumn<int>("sources");
    QTest::newRow("odd length") << 2 << 1001 << 2;
    QTest::newRow("one source") << 3 << 357 << 1;
    QTest::newRow("shorter than a chunk") << 1 << 17 << 2;
}

void tst_Sepformer::outputShapes()
{
    QFETCH(int, batch);
    QFETCH(int, length);
    QFETCH(int, sources);
    nlohmann::json config = seplab::test::tinySepformerParams();
    config["C"] = sources;
    const SeparatorPtr model = createModel("sepformer", config);
    torch::NoGradGuard noGrad;
    const torch::Tensor out = model->separate(torch::randn({batch, length}));
    QCOMPARE(out.sizes().vec(), (std::vector<std::int64_t>{batch, sources, length}));
    QVERIFY(torch::isfinite(out).all().item<bool>());
    QCOMPARE(model->separate(torch::randn({batch, 1, length})).sizes().vec(), out.sizes().vec());
}

void tst_Sepformer::gradientsReachTheEncoder()
{
    const SeparatorPtr model = createModel("sepformer", seplab::test::tinySepformerParams());
    model->separate(torch::randn({2, 400})).pow(2).mean().backward();
    const auto params = model->named_parameters();
    for (const char *name :
         {"encoder.conv1d.weight",
          "masknet.dual_mdl.0.intra_mdl.mdl.layers.0.self_att.att.in_proj_weight",
          "masknet.dual_mdl.0.inter_mdl.mdl.norm.norm.weight",
          "decoder.weight"}) {
        const torch::Tensor grad = params[name].grad();
        QVERIFY2(grad.defined() && grad.abs().sum().item<double>() > 0.0, name);
    }
}

void tst_Sepformer::paramsRoundTrip()
{
    const SeparatorPtr model = createModel("sepformer", {{"chunk_size", 100}});
    const nlohmann::json params = model->params();
    QCOMPARE(params["chunk_size"].get<int>(), 100);
    QCOMPARE(params["hop_size"].get<int>(), 50);
    QCOMPARE(params["use_positional_encoding"].get<bool>(), false);
    QCOMPARE(params.size(), size_t(14));
    QCOMPARE(qint64(parameterCount(*createModel("sepformer", params))),
             qint64(parameterCount(*model)));
}

void tst_Sepformer::badParams_data()
{
    QTest::addColumn<QByteArray>("params");
    QTest::addColumn<QString>("message");
    QTest::newRow("unknown key") << QByteArray(R"({"n_head": 4})")
                                 << "model.sepformer.n_head: unknown hyperparameter.";
    QTest::newRow("stride") << QByteArray(R"({"stride": 4})")
                            << "model.sepformer.stride: must be kernel_size/2 = 8 (the encoder "
                               "always hops kernel_size/2), got 4.";
    QTest::newRow("heads") << QByteArray(R"({"nhead": 3})")
                           << "model.sepformer.nhead: must divide d_model = 256, got 3.";
    QTest::newRow("encoding type") << QByteArray(R"({"use_positional_encoding": "yes"})")
                                   << "model.sepformer.use_positional_encoding: expected true or "
                                      "false, got \"yes\".";
    QTest::newRow("odd chunk") << QByteArray(R"({"chunk_size": 25})")
                               << "model.sepformer.chunk_size: must be even and at least 2, got "
                                  "25.";
}

void tst_Sepformer::badParams()
{
    QFETCH(QByteArray, params);
    QFETCH(QString, message);
    QCOMPARE(errorOf(nlohmann::json::parse(params.toStdString())), message);
}

QTEST_GUILESS_MAIN(tst_Sepformer)
#include "tst_sepformer.moc"
