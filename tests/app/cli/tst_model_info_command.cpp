// `seplab-cli model-info`: exact parameter counts (spec models.md §1.1 and §1.2 [computed]),
// the resolved hyperparameters, the layer table and the receptive field.

#include "cli/command.h"
#include "core/models/separator.h"
#include "support/cli_runner.h"

#include <QTemporaryDir>
#include <QtTest>

#include <fstream>
#include <nlohmann/json.hpp>

using namespace seplab;
using test::CliResult;
using test::runInProcess;

namespace {

nlohmann::json info(const std::vector<std::string> &args)
{
    std::vector<std::string> argv = {"model-info"};
    argv.insert(argv.end(), args.begin(), args.end());
    const CliResult result = runInProcess(argv);
    if (result.status != 0)
        throw std::runtime_error("model-info failed: " + result.err);
    return nlohmann::json::parse(result.out);
}

const nlohmann::json *findLayer(const nlohmann::json &out, const std::string &name)
{
    for (const nlohmann::json &layer : out.at("layers")) {
        if (layer.at("name") == name)
            return &layer;
    }
    return nullptr;
}

} // namespace

class tst_ModelInfoCommand : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void baselineParameterCounts_data();
    void baselineParameterCounts();
    void dprnnLayers();
    void convTasNetLayers();
    void receptiveField_data();
    void receptiveField();
    void configSetsHyperparameters();
    void errors_data();
    void errors();

private:
    std::string path(const char *name) const { return m_dir.filePath(name).toStdString(); }

    QTemporaryDir m_dir;
};

void tst_ModelInfoCommand::initTestCase()
{
    QVERIFY(m_dir.isValid());
    std::ofstream(path("tiny.yaml")) << "data:\n  task: ES\n"
                                        "model:\n  model_type: convtasnet\n  convtasnet:\n"
                                        "    N: 8\n    B: 4\n    H: 8\n    P: 3\n    X: 2\n"
                                        "    R: 2\n    kernel_size: 4\n    stride: 2\n";
}

void tst_ModelInfoCommand::baselineParameterCounts_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<qint64>("params");
    QTest::newRow("dprnn") << "dprnn" << qint64(2609793);
    QTest::newRow("convtasnet") << "convtasnet" << qint64(8708672);
}

void tst_ModelInfoCommand::baselineParameterCounts()
{
    QFETCH(QString, model);
    QFETCH(qint64, params);
    const nlohmann::json out = info({"--model", model.toStdString()});
    QCOMPARE(out.at("model").get<std::string>(), model.toStdString());
    QCOMPARE(out.at("params").get<qint64>(), params);
    QCOMPARE(out.at("hyperparameters"), models::createModel(model.toStdString())->params());

    // The top-level layers partition the model.
    qint64 sum = 0;
    for (const nlohmann::json &layer : out.at("layers")) {
        if (layer.at("name").get<std::string>().find('.') == std::string::npos)
            sum += layer.at("params").get<qint64>();
    }
    QCOMPARE(sum, params);
}

void tst_ModelInfoCommand::dprnnLayers()
{
    const nlohmann::json out = info({"--model", "dprnn"});
    struct Row
    {
        const char *name, *type;
        qint64 params;
    };
    // N=64, k=16: encoder and decoder 64 x 16 = 1024 each; one dual-path block 430,464
    // (spec §1.1), six of them 2,582,784; conv2d 64 x 128 + 128 = 8320.
    for (const Row &row : {Row{"encoder", "DualPathEncoder", 1024},
                           Row{"encoder.conv1d", "Conv1d", 1024},
                           Row{"separator", "DualPathModel", 2609793 - 2048},
                           Row{"separator.norm", "GroupNorm", 128},
                           Row{"separator.dual_mdl", "ModuleList", 6 * 430464},
                           Row{"separator.conv2d", "Conv2d", 8320},
                           Row{"separator.prelu", "PReLU", 1},
                           Row{"separator.output", "Sequential", 64 * 64 + 64},
                           Row{"decoder", "DualPathDecoder", 1024}}) {
        const nlohmann::json *layer = findLayer(out, row.name);
        QVERIFY2(layer, row.name);
        QCOMPARE(layer->at("type").get<std::string>(), std::string(row.type));
        QCOMPARE(layer->at("params").get<qint64>(), row.params);
    }
    // Two levels only: the blocks inside dual_mdl are not listed.
    QVERIFY(!findLayer(out, "separator.dual_mdl.0"));
    QCOMPARE(out.at("receptive_field").at("kind").get<std::string>(), std::string("global"));
    QVERIFY(out.at("receptive_field").at("samples").is_null());
}

void tst_ModelInfoCommand::convTasNetLayers()
{
    const nlohmann::json out = info({"--model", "convtasnet"});
    // 32 temporal blocks of 265,730 (spec §1.2); cLN 2 x 256; bottleneck 256 x 256.
    const nlohmann::json *tcn = findLayer(out, "separator.temporal_conv_net");
    QVERIFY(tcn);
    QCOMPARE(tcn->at("params").get<qint64>(), qint64(32 * 265730));
    QCOMPARE(findLayer(out, "separator.layer_norm")->at("type").get<std::string>(),
             std::string("ChannelwiseLayerNorm"));
    QCOMPARE(findLayer(out, "separator.layer_norm")->at("params").get<qint64>(), qint64(512));
    QCOMPARE(findLayer(out, "separator.bottleneck_conv1x1")->at("params").get<qint64>(),
             qint64(65536));
    QCOMPARE(findLayer(out, "separator")->at("type").get<std::string>(), std::string("MaskNet"));
}

void tst_ModelInfoCommand::receptiveField_data()
{
    QTest::addColumn<QString>("config");
    QTest::addColumn<qint64>("frames");
    QTest::addColumn<qint64>("samples");
    // Baseline P=3, X=8, R=4: 1 + 4 x 2 x (2^8 - 1) = 2041 frames; two decoder frames overlap an
    // output sample, so 2042 frames of hop 8 and kernel 16: 2041 x 8 + 16 = 16344 samples.
    QTest::newRow("baseline") << QString() << qint64(2041) << qint64(16344);
    // Tiny P=3, X=2, R=2: 1 + 2 x 2 x 3 = 13 frames; 13 x 2 + 4 = 30 samples.
    QTest::newRow("tiny") << "tiny.yaml" << qint64(13) << qint64(30);
}

void tst_ModelInfoCommand::receptiveField()
{
    QFETCH(QString, config);
    QFETCH(qint64, frames);
    QFETCH(qint64, samples);
    std::vector<std::string> args = {"--model", "convtasnet"};
    if (!config.isEmpty())
        args.insert(args.end(), {"--config", m_dir.filePath(config).toStdString()});
    const nlohmann::json field = info(args).at("receptive_field");
    QCOMPARE(field.at("kind").get<std::string>(), std::string("convolutional"));
    QCOMPARE(field.at("frames").get<qint64>(), frames);
    QCOMPARE(field.at("samples").get<qint64>(), samples);
    QCOMPARE(field.at("seconds_at_8khz").get<double>(), double(samples) / 8000.0);
}

void tst_ModelInfoCommand::configSetsHyperparameters()
{
    const nlohmann::json out = info({"--model", "convtasnet", "--config", path("tiny.yaml")});
    const nlohmann::json params = out.at("hyperparameters");
    QCOMPARE(params.at("N").get<int>(), 8);
    QCOMPARE(params.at("H").get<int>(), 8);
    QCOMPARE(params.at("norm_type").get<std::string>(), std::string("gLN")); // a default
    // data.task ES: one source, as the original's Config sets it.
    QCOMPARE(params.at("C").get<int>(), 1);
    // Encoder and decoder 8 x 4 each, cLN 16, bottleneck 32, 4 blocks of
    // (32 + 1 + 16 + 24 + 1 + 16 + 32) = 122, mask conv 4 x 8 = 32.
    QCOMPARE(out.at("params").get<qint64>(), qint64(32 + 32 + 16 + 32 + 4 * 122 + 32));
}

void tst_ModelInfoCommand::errors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("mention");
    QTest::newRow("no --model") << QStringList{"model-info"} << 2 << "--model";
    QTest::newRow("unknown model")
        << QStringList{"model-info", "--model", "tasnet"} << 2
        << "unknown model 'tasnet' (known: dprnn, convtasnet, sepformer, spmamba)";
    const QString bad = m_dir.filePath("bad.yaml");
    std::ofstream(bad.toStdString()) << "model:\n  dprnn:\n    hidden_size: many\n";
    QTest::newRow("bad value") << QStringList{"model-info", "--model", "dprnn", "--config", bad}
                               << 1 << bad + ": model.dprnn.hidden_size: expected an integer";
    const QString missing = m_dir.filePath("missing.yaml");
    QTest::newRow("no such config")
        << QStringList{"model-info", "--model", "dprnn", "--config", missing} << 1
        << missing + ": cannot open the config file.";
}

void tst_ModelInfoCommand::errors()
{
    QFETCH(QStringList, args);
    QFETCH(int, status);
    QFETCH(QString, mention);
    std::vector<std::string> argv;
    for (const QString &arg : args)
        argv.push_back(arg.toStdString());
    const CliResult result = runInProcess(argv);
    QCOMPARE(result.status, status);
    QVERIFY(result.out.empty());
    QVERIFY2(result.err.find(mention.toStdString()) != std::string::npos, result.err.c_str());
    QCOMPARE(std::count(result.err.begin(), result.err.end(), '\n'), std::ptrdiff_t(1));
}

QTEST_GUILESS_MAIN(tst_ModelInfoCommand)
#include "tst_model_info_command.moc"
