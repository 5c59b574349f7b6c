// `seplab-cli export-weights` and `import-weights`: a SepLab checkpoint goes out as an
// original-named state_dict and comes back as a checkpoint whose model computes exactly what the
// first one did; every failure is one sentence naming the file and the key.

#include "cli/command.h"
#include "core/models/interop/original_names.h"
#include "core/models/interop/state_dict_io.h"
#include "core/models/separator.h"
#include "core/train/checkpoint.h"
#include "support/cli_runner.h"
#include "support/tiny_models.h"

#include <QTemporaryDir>
#include <QtTest>

#include <fstream>
#include <nlohmann/json.hpp>
#include <torch/torch.h>

using namespace seplab;
using test::CliResult;
using test::runInProcess;

namespace {

// The original project's training-config layout, with small models so the tests take seconds.
constexpr const char *kTinyConfig = R"(data:
  dataset_type: polsess
  task: SB
model:
  model_type: dprnn
  dprnn:
    N: 8
    kernel_size: 4
    stride: 2
    num_layers: 2
    chunk_size: 10
    hidden_size: 8
    dropout: 0.0
    bidirectional: true
  convtasnet:
    N: 8
    B: 4
    H: 8
    P: 3
    X: 2
    R: 2
    kernel_size: 4
    stride: 2
training:
  lr: 0.001
)";

void writeText(const QString &path, const std::string &text)
{
    std::ofstream out(path.toStdString());
    out << text;
}

bool oneLine(const std::string &text)
{
    return !text.empty() && text.back() == '\n' && text.find('\n') == text.size() - 1;
}

} // namespace

class tst_WeightsCommands : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void exportWritesOriginalNames();
    void roundTripReproducesTheModel_data();
    void roundTripReproducesTheModel();
    void importBaselineWithoutConfig();
    void helpDocumentsFlags();
    void errors_data();
    void errors();

private:
    QString path(const QString &name) const { return m_dir.filePath(name); }
    std::string spath(const QString &name) const { return path(name).toStdString(); }
    // A SepLab checkpoint of a tiny model with seeded random weights.
    models::SeparatorPtr writeCheckpoint(const std::string &model, const QString &file) const;

    QTemporaryDir m_dir;
};

models::SeparatorPtr tst_WeightsCommands::writeCheckpoint(const std::string &model,
                                                          const QString &file) const
{
    torch::manual_seed(21);
    models::SeparatorPtr separator = models::createModel(model, test::tinyModelParams(model));
    train::CheckpointMeta meta;
    meta.modelType = model;
    meta.modelParams = separator->params();
    train::saveCheckpoint(file.toStdString(), *separator, meta);
    return separator;
}

void tst_WeightsCommands::initTestCase()
{
    QVERIFY(m_dir.isValid());
    writeText(path("tiny.yaml"), kTinyConfig);
}

void tst_WeightsCommands::exportWritesOriginalNames()
{
    const models::SeparatorPtr model = writeCheckpoint("convtasnet", path("ctn.ckpt"));
    const CliResult result = runInProcess(
        {"export-weights", "--checkpoint", spath("ctn.ckpt"), "--out", spath("ctn.pt")});
    QCOMPARE(result.status, 0);
    QVERIFY2(result.err.empty(), result.err.c_str());
    const nlohmann::json summary = nlohmann::json::parse(result.out);
    QCOMPARE(summary.at("model").get<std::string>(), std::string("convtasnet"));
    // 1 encoder + 2 cLN + 1 bottleneck + 4 blocks x 9 + 1 mask conv + 1 decoder.
    QCOMPARE(summary.at("tensors").get<int>(), 42);
    QCOMPARE(summary.at("params").get<int64_t>(), models::parameterCount(*model));

    const models::interop::StateDict sd = models::interop::loadStateDict(spath("ctn.pt"));
    QCOMPARE(int(sd.size()), 42);
    // The original wrapper's attribute names, tensor for tensor.
    const auto parameters = model->named_parameters();
    QVERIFY(torch::equal(
        sd["mask_net.temporal_conv_net.temporalblock_1_0.layers.DSconv.conv_0.conv.weight"],
        parameters["separator.temporal_conv_net.2.dsconv_depthwise.weight"]));
    QVERIFY(
        torch::equal(sd["mask_net.temporal_conv_net.temporalblock_0_1.layers.DSconv.act_0.gamma"],
                     parameters["separator.temporal_conv_net.1.dsconv_norm.gamma"]));
    QVERIFY(torch::equal(sd["mask_net.bottleneck_conv1x1.conv.weight"],
                         parameters["separator.bottleneck_conv1x1.weight"]));
    QVERIFY(torch::equal(sd["decoder.weight"], parameters["decoder.weight"]));
}

void tst_WeightsCommands::roundTripReproducesTheModel_data()
{
    QTest::addColumn<QString>("model");
    QTest::newRow("dprnn") << "dprnn";
    QTest::newRow("convtasnet") << "convtasnet";
}

void tst_WeightsCommands::roundTripReproducesTheModel()
{
    QFETCH(QString, model);
    const models::SeparatorPtr original = writeCheckpoint(model.toStdString(),
                                                          path(model + ".ckpt"));
    const std::string weights = spath(model + ".pt");
    const std::string imported = spath(model + "-imported.ckpt");

    QCOMPARE(runInProcess(
                 {"export-weights", "--checkpoint", spath(model + ".ckpt"), "--out", weights})
                 .status,
             0);
    const CliResult result = runInProcess({"import-weights",
                                           "--model",
                                           model.toStdString(),
                                           "--config",
                                           spath("tiny.yaml"),
                                           "--in",
                                           weights,
                                           "--out",
                                           imported});
    QCOMPARE(result.status, 0);
    QVERIFY2(result.err.empty(), result.err.c_str());
    QVERIFY(oneLine(result.out));
    const nlohmann::json summary = nlohmann::json::parse(result.out);
    QCOMPARE(summary.at("task").get<std::string>(), std::string("SB"));
    QCOMPARE(summary.at("params").get<int64_t>(), models::parameterCount(*original));

    const train::ModelCheckpoint back = train::loadModelCheckpoint(imported);
    QCOMPARE(back.meta.modelType, model.toStdString());
    QCOMPARE(back.meta.modelParams, original->params());
    QCOMPARE(back.meta.task, std::string("SB"));
    QCOMPARE(back.meta.sampleRate, 8000);
    QVERIFY(back.meta.trainerState.is_null());

    original->eval();
    torch::NoGradGuard noGrad;
    torch::manual_seed(4);
    const at::Tensor mixture = torch::randn({2, 250});
    QVERIFY(torch::equal(back.model->separate(mixture), original->separate(mixture)));
}

void tst_WeightsCommands::importBaselineWithoutConfig()
{
    // No --config: the registry defaults, i.e. the baseline (spec models.md §1.1).
    torch::manual_seed(8);
    const models::SeparatorPtr baseline = models::createModel("dprnn");
    models::interop::saveStateDict(spath("baseline.pt"),
                                   models::interop::exportOriginalStateDict(*baseline));
    const CliResult result = runInProcess({"import-weights",
                                           "--model",
                                           "dprnn",
                                           "--in",
                                           spath("baseline.pt"),
                                           "--out",
                                           spath("baseline.ckpt")});
    QCOMPARE(result.status, 0);
    const nlohmann::json summary = nlohmann::json::parse(result.out);
    QCOMPARE(summary.at("params").get<int64_t>(), int64_t(2609793));
    QCOMPARE(summary.at("tensors").get<int>(), 157);
    QCOMPARE(summary.at("task").get<std::string>(), std::string("SB"));
    const train::ModelCheckpoint back = train::loadModelCheckpoint(spath("baseline.ckpt"));
    const auto expected = baseline->named_parameters();
    for (const auto &item : back.model->named_parameters())
        QVERIFY2(torch::equal(item.value(), expected[item.key()]), item.key().c_str());
}

void tst_WeightsCommands::helpDocumentsFlags()
{
    const CliResult exportHelp = runInProcess({"export-weights", "--help"});
    QCOMPARE(exportHelp.status, 0);
    for (const char *flag : {"--checkpoint", "--out"})
        QVERIFY2(exportHelp.out.find(flag) != std::string::npos, flag);
    const CliResult importHelp = runInProcess({"import-weights", "--help"});
    QCOMPARE(importHelp.status, 0);
    for (const char *flag : {"--model", "--config", "--in", "--out"})
        QVERIFY2(importHelp.out.find(flag) != std::string::npos, flag);
}

void tst_WeightsCommands::errors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("status");
    QTest::addColumn<QStringList>("mentions"); // substrings of the one-line message

    const QString tiny = path("tiny.yaml");
    const QString missing = path("nowhere.pt");

    // A tiny DPRNN (2 blocks, N=8, hidden 8) exported once for the rows below.
    writeCheckpoint("dprnn", path("tiny-dprnn.ckpt"));
    const QString tinyWeights = path("tiny-dprnn.pt");
    runInProcess({"export-weights",
                  "--checkpoint",
                  spath("tiny-dprnn.ckpt"),
                  "--out",
                  tinyWeights.toStdString()});
    // With the defaults (6 blocks): 4 blocks x 24 tensors are missing, the first one named.
    QTest::newRow("missing vs defaults")
        << QStringList{"import-weights",
                       "--model",
                       "dprnn",
                       "--in",
                       tinyWeights,
                       "--out",
                       path("x.ckpt")}
        << 1
        << QStringList{tinyWeights
                       + ": key 'separator.dual_mdl.2.intra_mdl.mdl.rnn.weight_ih_l0' is "
                         "missing (and 95 more); a dprnn model with these hyperparameters "
                         "needs it."};
    // Same layout, hidden size 16: the first LSTM weight is [4 x 8, 8], the model wants [4 x 16, 8].
    const QString wider = path("wider.yaml");
    writeText(wider,
              "model:\n  dprnn:\n    N: 8\n    kernel_size: 4\n    stride: 2\n    num_layers: 2\n"
              "    chunk_size: 10\n    hidden_size: 16\n");
    QTest::newRow("shape")
        << QStringList{"import-weights",
                       "--model",
                       "dprnn",
                       "--config",
                       wider,
                       "--in",
                       tinyWeights,
                       "--out",
                       path("x.ckpt")}
        << 1
        << QStringList{tinyWeights
                       + ": key 'separator.dual_mdl.0.intra_mdl.mdl.rnn.weight_ih_l0' has "
                         "shape [32, 8] but a dprnn model with these hyperparameters expects "
                         "[64, 8]."};

    // The same weights imported as a ConvTasNet: its first key is missing.
    QTest::newRow("wrong model") << QStringList{"import-weights",
                                                "--model",
                                                "convtasnet",
                                                "--config",
                                                tiny,
                                                "--in",
                                                tinyWeights,
                                                "--out",
                                                path("x.ckpt")}
                                 << 1
                                 << QStringList{tinyWeights
                                                + ": key 'mask_net.layer_norm.gamma' is missing"};

    const QString typo = path("typo.yaml");
    writeText(typo, "model:\n  dprnn:\n    N: 8\n    hiddden_size: 8\n");
    QTest::newRow("unknown hyperparameter") << QStringList{"import-weights",
                                                           "--model",
                                                           "dprnn",
                                                           "--config",
                                                           typo,
                                                           "--in",
                                                           tinyWeights,
                                                           "--out",
                                                           path("x.ckpt")}
                                            << 1 << QStringList{typo + ": ", "hiddden_size"};

    const QString conflict = path("conflict.yaml");
    writeText(conflict, "data:\n  task: ES\nmodel:\n  dprnn:\n    C: 2\n");
    QTest::newRow("C contradicts task")
        << QStringList{"import-weights",
                       "--model",
                       "dprnn",
                       "--config",
                       conflict,
                       "--in",
                       tinyWeights,
                       "--out",
                       path("x.ckpt")}
        << 1 << QStringList{conflict + ": model.dprnn.C is 2 but data.task ES has 1 source(s)"};

    const QString broken = path("broken.yaml");
    writeText(broken, "model:\n  dprnn: [N: 8\n");
    QTest::newRow("bad YAML") << QStringList{"import-weights",
                                             "--model",
                                             "dprnn",
                                             "--config",
                                             broken,
                                             "--in",
                                             tinyWeights,
                                             "--out",
                                             path("x.ckpt")}
                              << 1 << QStringList{broken + " line ", "not valid YAML"};

    QTest::newRow("no such input")
        << QStringList{"import-weights", "--model", "dprnn", "--in", missing, "--out", path("x.ckpt")}
        << 1 << QStringList{missing + ": no such file."};
    QTest::newRow("no such checkpoint")
        << QStringList{"export-weights", "--checkpoint", missing, "--out", path("y.pt")} << 1
        << QStringList{missing};
    QTest::newRow("a state_dict is not a checkpoint")
        << QStringList{"export-weights", "--checkpoint", tinyWeights, "--out", path("y.pt")} << 1
        << QStringList{tinyWeights};

    QTest::newRow("unknown model")
        << QStringList{"import-weights",
                       "--model",
                       "wavenet",
                       "--in",
                       tinyWeights,
                       "--out",
                       path("x.ckpt")}
        << 2 << QStringList{"unknown model 'wavenet'", "dprnn", "convtasnet"};
    QTest::newRow("no --in") << QStringList{"import-weights",
                                            "--model",
                                            "dprnn",
                                            "--out",
                                            path("x.ckpt")}
                             << 2 << QStringList{"--in"};
    QTest::newRow("no --out") << QStringList{"export-weights",
                                             "--checkpoint",
                                             path("tiny-dprnn.ckpt")}
                              << 2 << QStringList{"--out"};
}

void tst_WeightsCommands::errors()
{
    QFETCH(QStringList, args);
    QFETCH(int, status);
    QFETCH(QStringList, mentions);
    std::vector<std::string> argv;
    for (const QString &arg : args)
        argv.push_back(arg.toStdString());
    const CliResult result = runInProcess(argv);
    QCOMPARE(result.status, status);
    QVERIFY2(oneLine(result.err), result.err.c_str());
    for (const QString &mention : mentions)
        QVERIFY2(result.err.find(mention.toStdString()) != std::string::npos, result.err.c_str());
    QVERIFY(!QFile::exists(path("x.ckpt")));
}

QTEST_GUILESS_MAIN(tst_WeightsCommands)
#include "tst_weights_commands.moc"
