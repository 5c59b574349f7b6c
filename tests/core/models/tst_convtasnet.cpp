// ConvTasNet must be SpeechBrain's MaskNet network: parameter counts, structure and shapes.

#include "core/models/convtasnet.h"

#include <QtTest>

#include <torch/torch.h>

using namespace seplab::models;

namespace {

nlohmann::json smallConfig()
{
    return {{"N", 8}, {"B", 6}, {"H", 10}, {"P", 3}, {"X", 3}, {"R", 2}};
}

} // namespace

class tst_ConvTasNet : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parameterCounts_data();
    void parameterCounts();
    void structure();
    void outputShapes_data();
    void outputShapes();
    void ampEpsReachesEveryNorm();
    void badParams();
};

void tst_ConvTasNet::parameterCounts_data()
{
    QTest::addColumn<QByteArray>("overrides");
    QTest::addColumn<qint64>("expected");
    // spec models.md §1.2 [computed]: 32 temporal blocks of 265,730 parameters each.
    QTest::newRow("baseline C=2") << QByteArray("{}") << qint64(8708672);
    QTest::newRow("C=1 (ES/EB)") << QByteArray(R"({"C": 1})") << qint64(8643136);
}

void tst_ConvTasNet::parameterCounts()
{
    QFETCH(QByteArray, overrides);
    QFETCH(qint64, expected);
    const SeparatorPtr model = createModel("convtasnet",
                                           nlohmann::json::parse(overrides.toStdString()));
    QCOMPARE(qint64(parameterCount(*model)), expected);
}

void tst_ConvTasNet::structure()
{
    const SeparatorPtr model = createModel("convtasnet");
    const auto params = model->named_parameters();
    QCOMPARE(params["encoder.conv1d.weight"].sizes().vec(), (std::vector<std::int64_t>{256, 1, 16}));
    QCOMPARE(params["separator.layer_norm.gamma"].sizes().vec(),
             (std::vector<std::int64_t>{1, 1, 256}));
    QCOMPARE(params["separator.bottleneck_conv1x1.weight"].sizes().vec(),
             (std::vector<std::int64_t>{256, 256, 1}));
    QCOMPARE(params["separator.temporal_conv_net.31.dsconv_depthwise.weight"].sizes().vec(),
             (std::vector<std::int64_t>{512, 1, 3}));
    QCOMPARE(params["separator.mask_conv1x1.weight"].sizes().vec(),
             (std::vector<std::int64_t>{512, 256, 1}));
    QCOMPARE(params["decoder.weight"].sizes().vec(), (std::vector<std::int64_t>{256, 1, 16}));
    // No biases anywhere but PReLU slopes and norm betas: the SpeechBrain convs are bias-free.
    for (const auto &item : params)
        QVERIFY2(item.key().find(".bias") == std::string::npos, item.key().c_str());
}

void tst_ConvTasNet::outputShapes_data()
{
    QTest::addColumn<int>("batch");
    QTest::addColumn<int>("length");
    QTest::addColumn<int>("sources");
    QTest::newRow("odd") << 2 << 1001 << 2;
    QTest::newRow("one source") << 1 << 640 << 1;
    QTest::newRow("three sources") << 1 << 333 << 3;
}

void tst_ConvTasNet::outputShapes()
{
    QFETCH(int, batch);
    QFETCH(int, length);
    QFETCH(int, sources);
    nlohmann::json config = smallConfig();
    config["C"] = sources;
    const SeparatorPtr model = createModel("convtasnet", config);
    torch::NoGradGuard noGrad;
    const torch::Tensor out = model->separate(torch::randn({batch, length}));
    QCOMPARE(out.sizes().vec(), (std::vector<std::int64_t>{batch, sources, length}));
    QVERIFY(torch::isfinite(out).all().item<bool>());
}

void tst_ConvTasNet::ampEpsReachesEveryNorm()
{
    const SeparatorPtr model = createModel("convtasnet", {{"norm_eps", 1e-4}, {"R", 1}, {"X", 2}});
    int norms = 0;
    for (const auto &child : model->modules(/*include_self=*/false)) {
        if (auto *gln = child->as<GlobalLayerNormImpl>()) {
            QCOMPARE(gln->eps, 1e-4);
            ++norms;
        }
        if (auto *cln = child->as<ChannelwiseLayerNormImpl>()) {
            QCOMPARE(cln->eps, 1e-4);
            ++norms;
        }
    }
    QCOMPARE(norms, 1 + 2 * 2); // one cLN, two gLN per temporal block
}

void tst_ConvTasNet::badParams()
{
    try {
        createModel("convtasnet", {{"norm_type", "BN"}});
        QFAIL("BN was accepted");
    } catch (const std::invalid_argument &error) {
        QCOMPARE(QString(error.what()),
                 QString("model.convtasnet.norm_type: only 'gLN' is supported, got 'BN'."));
    }
    try {
        createModel("sepformerx");
        QFAIL("an unknown model was accepted");
    } catch (const std::invalid_argument &error) {
        QCOMPARE(
            QString(error.what()),
            QString(
                "unknown model type 'sepformerx' (known: dprnn, convtasnet, sepformer, spmamba)."));
    }
}

QTEST_GUILESS_MAIN(tst_ConvTasNet)
#include "tst_convtasnet.moc"
