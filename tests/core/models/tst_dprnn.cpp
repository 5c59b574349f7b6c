// DPRNN must be SpeechBrain's network: parameter counts, names, initialisation and shapes.

#include "core/models/dprnn.h"

#include <QtTest>

#include <torch/torch.h>

using namespace seplab::models;

namespace {

nlohmann::json smallConfig()
{
    // Small enough to run forward passes in milliseconds on a CPU.
    return {{"N", 8},
            {"kernel_size", 4},
            {"stride", 2},
            {"num_layers", 2},
            {"chunk_size", 10},
            {"hidden_size", 6}};
}

QString errorOf(const nlohmann::json &params)
{
    try {
        createModel("dprnn", params);
    } catch (const std::invalid_argument &error) {
        return QString::fromStdString(error.what());
    }
    return {};
}

} // namespace

class tst_Dprnn : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parameterCounts_data();
    void parameterCounts();
    void speechBrainParameterNames();
    void recurrentWeightsAreOrthogonal();
    void blocksStartWithIdenticalRnnWeights();
    void outputShapes_data();
    void outputShapes();
    void gradientsReachTheEncoder();
    void paramsRoundTrip();
    void badParams_data();
    void badParams();
};

void tst_Dprnn::parameterCounts_data()
{
    QTest::addColumn<QByteArray>("overrides");
    QTest::addColumn<qint64>("expected");
    // spec models.md §1.1 [computed].
    QTest::newRow("baseline C=2") << QByteArray("{}") << qint64(2609793);
    QTest::newRow("C=1 (ES/EB)") << QByteArray(R"({"C": 1})") << qint64(2605633);
    QTest::newRow("kernel 2 variant")
        << QByteArray(R"({"kernel_size": 2, "stride": 1, "chunk_size": 250})") << qint64(2608001);
}

void tst_Dprnn::parameterCounts()
{
    QFETCH(QByteArray, overrides);
    QFETCH(qint64, expected);
    const SeparatorPtr model = createModel("dprnn", nlohmann::json::parse(overrides.toStdString()));
    QCOMPARE(qint64(parameterCount(*model)), expected);
}

void tst_Dprnn::speechBrainParameterNames()
{
    const SeparatorPtr model = createModel("dprnn");
    const auto params = model->named_parameters();
    for (const char *name : {"encoder.conv1d.weight",
                             "separator.norm.weight",
                             "separator.norm.bias",
                             "separator.conv1d.weight",
                             "separator.dual_mdl.0.intra_mdl.mdl.rnn.weight_ih_l0",
                             "separator.dual_mdl.0.intra_mdl.mdl.rnn.weight_hh_l0_reverse",
                             "separator.dual_mdl.0.intra_linear.w.weight",
                             "separator.dual_mdl.0.intra_norm.weight",
                             "separator.dual_mdl.5.inter_mdl.mdl.rnn.bias_hh_l0",
                             "separator.dual_mdl.5.inter_linear.w.bias",
                             "separator.dual_mdl.5.inter_norm.bias",
                             "separator.prelu.weight",
                             "separator.conv2d.weight",
                             "separator.conv2d.bias",
                             "separator.output.0.weight",
                             "separator.output_gate.0.bias",
                             "separator.end_conv1x1.weight",
                             "decoder.weight"})
        QVERIFY2(params.contains(name), name);
    // 6 blocks x (2 LSTMs x 8 tensors + 2 linears x 2 + 2 norms x 2), and 13 tensors outside them.
    QCOMPARE(params.size(), size_t(6 * (16 + 4 + 4) + 13));
    QCOMPARE(params["separator.dual_mdl.0.intra_mdl.mdl.rnn.weight_hh_l0"].sizes().vec(),
             (std::vector<std::int64_t>{512, 128}));
}

void tst_Dprnn::recurrentWeightsAreOrthogonal()
{
    const SeparatorPtr model = createModel("dprnn");
    int checked = 0;
    for (const auto &item : model->named_parameters()) {
        if (item.key().find("weight_hh") == std::string::npos)
            continue;
        // orthogonal_ on a tall [4H, H] matrix gives orthonormal columns: W^T W = I.
        const torch::Tensor w = item.value().to(torch::kDouble);
        const torch::Tensor gram = w.t().mm(w);
        QVERIFY2(torch::allclose(gram, torch::eye(w.size(1), torch::kDouble), 1e-5, 1e-5),
                 item.key().c_str());
        ++checked;
    }
    QCOMPARE(checked, 6 * 2 * 2); // 6 blocks, intra + inter, forward + reverse
    // Input weights keep PyTorch's default U(-1/sqrt(H), 1/sqrt(H)) and are not orthogonal.
    const torch::Tensor ih
        = model->named_parameters()["separator.dual_mdl.0.intra_mdl.mdl.rnn.weight_ih_l0"];
    QVERIFY(ih.abs().max().item<double>() <= 1.0 / std::sqrt(128.0));
}

void tst_Dprnn::blocksStartWithIdenticalRnnWeights()
{
    const SeparatorPtr model = createModel("dprnn");
    const auto params = model->named_parameters();
    for (int layer = 1; layer < 6; ++layer) {
        const std::string prefix = "separator.dual_mdl." + std::to_string(layer);
        for (const char *rnn : {"intra_mdl", "inter_mdl"}) {
            for (const char *w : {"weight_ih_l0", "weight_hh_l0", "bias_ih_l0_reverse"}) {
                const std::string key = std::string(".") + rnn + ".mdl.rnn." + w;
                QVERIFY(torch::equal(params[prefix + key], params["separator.dual_mdl.0" + key]));
            }
        }
        // The linear layers are fresh per block, as in SpeechBrain.
        QVERIFY(!torch::equal(params[prefix + ".intra_linear.w.weight"],
                              params["separator.dual_mdl.0.intra_linear.w.weight"]));
    }
    // Intra and inter start from different draws.
    QVERIFY(!torch::equal(params["separator.dual_mdl.0.intra_mdl.mdl.rnn.weight_hh_l0"],
                          params["separator.dual_mdl.0.inter_mdl.mdl.rnn.weight_hh_l0"]));
}

void tst_Dprnn::outputShapes_data()
{
    QTest::addColumn<int>("batch");
    QTest::addColumn<int>("length");
    QTest::addColumn<int>("sources");
    QTest::newRow("odd length") << 2 << 1001 << 2;
    QTest::newRow("even length") << 1 << 800 << 2;
    QTest::newRow("one source") << 3 << 357 << 1;
    QTest::newRow("shorter than a chunk") << 1 << 17 << 2;
}

void tst_Dprnn::outputShapes()
{
    QFETCH(int, batch);
    QFETCH(int, length);
    QFETCH(int, sources);
    nlohmann::json config = smallConfig();
    config["C"] = sources;
    const SeparatorPtr model = createModel("dprnn", config);
    torch::NoGradGuard noGrad;
    const torch::Tensor out = model->separate(torch::randn({batch, length}));
    QCOMPARE(out.sizes().vec(), (std::vector<std::int64_t>{batch, sources, length}));
    QVERIFY(torch::isfinite(out).all().item<bool>());
    // [B, 1, T] input is accepted as well.
    QCOMPARE(model->separate(torch::randn({batch, 1, length})).sizes().vec(), out.sizes().vec());
}

void tst_Dprnn::gradientsReachTheEncoder()
{
    const SeparatorPtr model = createModel("dprnn", smallConfig());
    const torch::Tensor out = model->separate(torch::randn({2, 400}));
    out.pow(2).mean().backward();
    const auto params = model->named_parameters();
    for (const char *name : {"encoder.conv1d.weight",
                             "separator.dual_mdl.0.intra_mdl.mdl.rnn.weight_hh_l0",
                             "separator.dual_mdl.1.inter_linear.w.weight",
                             "decoder.weight"}) {
        const torch::Tensor grad = params[name].grad();
        QVERIFY2(grad.defined() && grad.abs().sum().item<double>() > 0.0, name);
    }
}

void tst_Dprnn::paramsRoundTrip()
{
    const SeparatorPtr model = createModel("dprnn", {{"chunk_size", 250}});
    const nlohmann::json params = model->params();
    QCOMPARE(params["chunk_size"].get<int>(), 250);
    QCOMPARE(params["N"].get<int>(), 64);
    QCOMPARE(params["rnn_type"].get<std::string>(), std::string("LSTM"));
    QCOMPARE(params.size(), size_t(12));
    QCOMPARE(qint64(parameterCount(*createModel("dprnn", params))), qint64(parameterCount(*model)));
}

void tst_Dprnn::badParams_data()
{
    QTest::addColumn<QByteArray>("params");
    QTest::addColumn<QString>("message");
    QTest::newRow("unknown key") << QByteArray(R"({"hiden_size": 3})")
                                 << "model.dprnn.hiden_size: unknown hyperparameter.";
    QTest::newRow("stride") << QByteArray(R"({"stride": 4})")
                            << "model.dprnn.stride: must be kernel_size/2 = 8 (the encoder always "
                               "hops kernel_size/2), got 4.";
    QTest::newRow("type") << QByteArray(R"({"N": "64"})")
                          << "model.dprnn.N: expected an integer, got \"64\".";
    QTest::newRow("rnn") << QByteArray(R"({"rnn_type": "Mamba"})")
                         << "model.dprnn.rnn_type: must be LSTM, GRU or RNN, got 'Mamba'.";
    QTest::newRow("odd chunk") << QByteArray(R"({"chunk_size": 99})")
                               << "model.dprnn.chunk_size: must be even and at least 2, got 99.";
}

void tst_Dprnn::badParams()
{
    QFETCH(QByteArray, params);
    QFETCH(QString, message);
    QCOMPARE(errorOf(nlohmann::json::parse(params.toStdString())), message);
}

QTEST_GUILESS_MAIN(tst_Dprnn)
#include "tst_dprnn.moc"
