// SPMamba must be the original's network: exact parameter counts for the reduced and full SB
// configurations (spec models.md §1.4, computed there from the layer shapes), the STFT front
// end that the iSTFT inverts, the std normalisation undone, shapes, gradients and errors.

#include "core/models/blocks/stft.h"
#include "core/models/spmamba.h"
#include "support/tiny_models.h"

#include <QtTest>

#include <cmath>
#include <torch/torch.h>

using namespace seplab::models;

namespace {

QString errorOf(const nlohmann::json &params)
{
    try {
        createModel("spmamba", params);
    } catch (const std::invalid_argument &error) {
        return QString::fromStdString(error.what());
    }
    return {};
}

} // namespace

class tst_Spmamba : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parameterCounts_data();
    void parameterCounts();
    void originalParameterNames();
    void stftShapeAndValues();
    void stftThenIstftReconstructs_data();
    void stftThenIstftReconstructs();
    void outputShapes_data();
    void outputShapes();
    void stdNormalisationIsUndone();
    void gradientsReachEveryStage();
    void paramsRoundTrip();
    void badParams_data();
    void badParams();
};

void tst_Spmamba::parameterCounts_data()
{
    QTest::addColumn<QByteArray>("overrides");
    QTest::addColumn<qint64>("expected");
    // spec models.md §1.4 [computed].
    QTest::newRow("reduced SB (default)") << QByteArray("{}") << qint64(1156368);
    QTest::newRow("reduced, n_srcs 1") << QByteArray(R"({"n_srcs": 1})") << qint64(1156078);
    QTest::newRow("full SB") << QByteArray(R"({"n_layers": 6, "emb_ks": 8, "attn_n_head": 4,
                                              "attn_approx_qk_dim": 512,
                                              "lstm_hidden_units": 256})")
                             << qint64(6094498);
}

void tst_Spmamba::parameterCounts()
{
    QFETCH(QByteArray, overrides);
    QFETCH(qint64, expected);
    const SeparatorPtr model = createModel("spmamba",
                                           nlohmann::json::parse(overrides.toStdString()));
    const qint64 count = parameterCount(*model);
    qInfo("spmamba %s: %lld parameters", overrides.simplified().constData(), count);
    QCOMPARE(count, expected);
}

void tst_Spmamba::originalParameterNames()
{
    const SeparatorPtr model = createModel("spmamba");
    const auto params = model->named_parameters();
    // Names as SPMamba (look2hear) and mamba_ssm register them.
    const std::vector<std::pair<std::string, std::vector<std::int64_t>>> expected
        = {{"conv.0.weight", {16, 2, 3, 3}},
           {"conv.1.bias", {16}},
           {"blocks.0.intra_norm.gamma", {1, 16, 1, 1}},
           {"blocks.0.intra_mamba.forward_blocks.0.norm.weight", {64}},
           {"blocks.0.intra_mamba.forward_blocks.0.mixer.A_log", {256, 16}},
           {"blocks.0.intra_mamba.forward_blocks.0.mixer.D", {256}},
           {"blocks.0.intra_mamba.forward_blocks.0.mixer.in_proj.weight", {512, 64}},
           {"blocks.0.intra_mamba.forward_blocks.0.mixer.conv1d.weight", {256, 1, 4}},
           {"blocks.0.intra_mamba.forward_blocks.0.mixer.conv1d.bias", {256}},
           {"blocks.0.intra_mamba.forward_blocks.0.mixer.x_proj.weight", {36, 256}},
           {"blocks.0.intra_mamba.forward_blocks.0.mixer.dt_proj.weight", {256, 4}},
           {"blocks.0.intra_mamba.forward_blocks.0.mixer.dt_proj.bias", {256}},
           {"blocks.0.intra_mamba.backward_blocks.0.mixer.out_proj.weight", {64, 256}},
           {"blocks.0.intra_linear.weight", {128, 16, 4}},
           {"blocks.3.inter_mamba.backward_blocks.0.norm.weight", {64}},
           {"blocks.3.inter_linear.bias", {16}},
           {"blocks.1.attn_conv_Q_1.0.weight", {2, 16, 1, 1}},
           {"blocks.1.attn_conv_K_0.1.weight", {1}},
           {"blocks.1.attn_conv_V_1.2.gamma", {1, 8, 1, 129}},
           {"blocks.2.attn_concat_proj.2.beta", {1, 16, 1, 129}},
           {"deconv.weight", {16, 4, 3, 3}},
           {"deconv.bias", {4}}};
    for (const auto &[name, shape] : expected) {
        QVERIFY2(params.contains(name), name.c_str());
        QCOMPARE(params[name].sizes().vec(), shape);
    }
    QVERIFY(model->named_buffers().is_empty());
}

void tst_Spmamba::stftShapeAndValues()
{
    // A constant signal: each inner frame is the DFT of the periodic Hann window itself,
    // 0.5 - 0.5 cos(2 pi n / 256): N/2 = 128 at bin 0, -N/4 = -64 at bin 1, 0 elsewhere, real.
    const torch::Tensor ones = torch::ones({1, 8000});
    const torch::Tensor features = stftFeatures(ones, 256, 64);
    QCOMPARE(features.sizes().vec(), (std::vector<std::int64_t>{1, 2, 126, 129}));
    QVERIFY(std::abs(features[0][0][60][0].item<double>() - 128.0) < 1e-3);
    QVERIFY(std::abs(features[0][0][60][1].item<double>() + 64.0) < 1e-3);
    QVERIFY(features[0][0][60].slice(0, 2).abs().max().item<double>() < 1e-3);
    QVERIFY(features[0][1][60].abs().max().item<double>() < 1e-3);
    // 4 s at 8 kHz: 1 + 32000 / 64 = 501 frames (spec §1.4).
    QCOMPARE(stftFeatures(torch::zeros({2, 32000}), 256, 64).size(2), std::int64_t(501));
}

void tst_Spmamba::stftThenIstftReconstructs_data()
{
    QTest::addColumn<int>("length");
    QTest::addColumn<int>("nFft");
    QTest::addColumn<int>("hop");
    QTest::newRow("4 s, 256/64") << 32000 << 256 << 64;
    QTest::newRow("odd length") << 1001 << 256 << 64;
    QTest::newRow("tiny 32/8") << 333 << 32 << 8;
}

void tst_Spmamba::stftThenIstftReconstructs()
{
    QFETCH(int, length);
    QFETCH(int, nFft);
    QFETCH(int, hop);
    torch::manual_seed(9);
    const torch::Tensor x = torch::randn({2, length});
    const torch::Tensor back = istftFeatures(stftFeatures(x, nFft, hop), nFft, hop, length);
    QCOMPARE(back.sizes().vec(), x.sizes().vec());
    const double error = (back - x).abs().max().item<double>();
    QVERIFY2(error < 1e-5, std::to_string(error).c_str());
}

void tst_Spmamba::outputShapes_data()
{
    QTest::addColumn<int>("batch");
    QTest::addColumn<int>("length");
    QTest::addColumn<int>("sources");
    QTest::newRow("two sources") << 2 << 800 << 2;
    QTest::newRow("odd length, one source") << 1 << 1001 << 1;
    QTest::newRow("shorter than the window") << 1 << 10 << 2;
}

void tst_Spmamba::outputShapes()
{
    QFETCH(int, batch);
    QFETCH(int, length);
    QFETCH(int, sources);
    nlohmann::json config = seplab::test::tinySpmambaParams();
    config["n_srcs"] = sources;
    const SeparatorPtr model = createModel("spmamba", config);
    QCOMPARE(model->sources(), sources);
    torch::NoGradGuard noGrad;
    const torch::Tensor out = model->separate(torch::randn({batch, length}));
    QCOMPARE(out.sizes().vec(), (std::vector<std::int64_t>{batch, sources, length}));
    QVERIFY(torch::isfinite(out).all().item<bool>());
    QCOMPARE(model->separate(torch::randn({batch, 1, length})).sizes().vec(), out.sizes().vec());
}

void tst_Spmamba::stdNormalisationIsUndone()
{
    // The network sees mix / std(mix) and its output is multiplied by std(mix) again, so scaling
    // the mixture scales the estimates by the same factor (up to the 1e-8 added to the std).
    const SeparatorPtr model = createModel("spmamba", seplab::test::tinySpmambaParams());
    model->eval();
    torch::NoGradGuard noGrad;
    torch::manual_seed(1);
    const torch::Tensor x = torch::randn({2, 600});
    const torch::Tensor base = model->separate(x);
    const torch::Tensor scaled = model->separate(x * 37.0);
    QVERIFY(torch::allclose(scaled, base * 37.0, 1e-4, 1e-5));
    QVERIFY(base.abs().max().item<double>() > 1e-4);
}

void tst_Spmamba::gradientsReachEveryStage()
{
    const SeparatorPtr model = createModel("spmamba", seplab::test::tinySpmambaParams());
    model->separate(torch::randn({2, 400})).pow(2).mean().backward();
    const auto params = model->named_parameters();
    for (const char *name : {"conv.0.weight",
                             "blocks.0.intra_mamba.forward_blocks.0.mixer.A_log",
                             "blocks.0.intra_mamba.backward_blocks.0.mixer.dt_proj.bias",
                             "blocks.0.inter_mamba.forward_blocks.0.mixer.D",
                             "blocks.0.inter_mamba.backward_blocks.0.mixer.x_proj.weight",
                             "blocks.0.attn_conv_Q_0.0.weight",
                             "blocks.0.attn_concat_proj.2.gamma",
                             "deconv.weight"}) {
        const torch::Tensor grad = params[name].grad();
        QVERIFY2(grad.defined() && grad.abs().sum().item<double>() > 0.0, name);
    }
}

void tst_Spmamba::paramsRoundTrip()
{
    const SeparatorPtr model = createModel("spmamba", {{"emb_ks", 8}});
    const nlohmann::json params = model->params();
    QCOMPARE(params["emb_ks"].get<int>(), 8);
    QCOMPARE(params["n_fft"].get<int>(), 256);
    QCOMPARE(params["window"].get<std::string>(), std::string("hann"));
    QCOMPARE(params.size(), size_t(14));
    QCOMPARE(qint64(parameterCount(*createModel("spmamba", params))),
             qint64(parameterCount(*model)));
}

void tst_Spmamba::badParams_data()
{
    QTest::addColumn<QByteArray>("params");
    QTest::addColumn<QString>("message");
    QTest::newRow("unknown key") << QByteArray(R"({"C": 2})")
                                 << "model.spmamba.C: unknown hyperparameter.";
    QTest::newRow("window") << QByteArray(R"({"window": "hamming"})")
                            << "model.spmamba.window: only 'hann' is supported, got 'hamming'.";
    QTest::newRow("heads") << QByteArray(R"({"attn_n_head": 3})")
                           << "model.spmamba.attn_n_head: must divide emb_dim = 16, got 3.";
    QTest::newRow("odd fft") << QByteArray(R"({"n_fft": 255})")
                             << "model.spmamba.n_fft: must be even and at least 4, got 255.";
}

void tst_Spmamba::badParams()
{
    QFETCH(QByteArray, params);
    QFETCH(QString, message);
    QCOMPARE(errorOf(nlohmann::json::parse(params.toStdString())), message);
}

QTEST_GUILESS_MAIN(tst_Spmamba)
#include "tst_spmamba.moc"
