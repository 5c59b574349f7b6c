// SepFormer and SPMamba through the same Trainer as DPRNN: two epochs of a tiny configuration of
// each on the tiny make-corpus corpus raise val SI-SDR, and the run records the model and its
// exact parameter count. Plus the AMP rule per model (spec models.md §2): fp16 with the loss
// scaler for SepFormer, bf16 without one for SPMamba, on CUDA only.

#include "core/models/separator.h"
#include "core/train/torch_threads.h"
#include "core/train/trainer.h"
#include "support/tiny_corpus.h"
#include "support/tiny_models.h"

#include <QTemporaryDir>
#include <QtTest>

#include <sstream>

using namespace seplab;
using namespace seplab::train;

namespace {

std::string tinyConfigFor(const std::string &model, double lr, int trainRows = 32)
{
    return "data:\n"
           "  batch_size: 4\n"
           "  num_workers: 1\n"
           "  train_max_samples: "
           + std::to_string(trainRows)
           + "\n"
             "model:\n"
             "  model_type: "
           + model + "\n  " + model + ": " + test::tinyModelParams(model).dump()
           + "\n"
             "training:\n"
             "  lr: "
           + std::to_string(lr)
           + "\n"
             "  num_epochs: 2\n"
             "  use_amp: true\n"
             "  validation_variants: [SER, SE]\n"
             "  seed: 42\n";
}

} // namespace

class tst_TrainerModels : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void ampRulePerModel_data();
    void ampRulePerModel();
    void twoEpochsRaiseValSiSdr_data();
    void twoEpochsRaiseValSiSdr();

private:
    QTemporaryDir m_dir;
    std::string m_corpus;
};

void tst_TrainerModels::initTestCase()
{
    QVERIFY(m_dir.isValid());
    configureTorchThreads(1);
    m_corpus = m_dir.filePath("corpus").toStdString();
    test::makeTinyCorpus(m_corpus);
}

void tst_TrainerModels::ampRulePerModel_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("device");
    QTest::addColumn<QString>("amp");
    QTest::newRow("sepformer on CUDA") << "sepformer"
                                       << "cuda"
                                       << "fp16";
    QTest::newRow("spmamba on CUDA") << "spmamba"
                                     << "cuda:0"
                                     << "bf16";
    QTest::newRow("dprnn on CUDA") << "dprnn"
                                   << "cuda"
                                   << "fp16";
    QTest::newRow("sepformer on the CPU") << "sepformer"
                                          << "cpu"
                                          << "none";
    QTest::newRow("spmamba on the CPU") << "spmamba"
                                        << "cpu"
                                        << "none";
}

void tst_TrainerModels::ampRulePerModel()
{
    QFETCH(QString, model);
    QFETCH(QString, device);
    QFETCH(QString, amp);
    const TrainConfig config = parseTrainConfig(tinyConfigFor(model.toStdString(), 1e-3),
                                                "tiny.yaml");
    QCOMPARE(QString::fromStdString(ampModeFor(config, device.toStdString())), amp);
    TrainConfig off = config;
    off.training.useAmp = false;
    QCOMPARE(ampModeFor(off, device.toStdString()), std::string("none"));
}

void tst_TrainerModels::twoEpochsRaiseValSiSdr_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<double>("lr");
    QTest::addColumn<int>("trainRows");
    QTest::newRow("sepformer") << "sepformer" << 3e-3 << 32;
    // SPMamba's tiny step costs a few seconds on the CPU (the scan over 2,000 short sequences),
    // so it trains on half the corpus.
    QTest::newRow("spmamba") << "spmamba" << 3e-3 << 16;
}

void tst_TrainerModels::twoEpochsRaiseValSiSdr()
{
    QFETCH(QString, model);
    QFETCH(double, lr);
    QFETCH(int, trainRows);
    const TrainConfig config = parseTrainConfig(tinyConfigFor(model.toStdString(), lr, trainRows),
                                                "tiny.yaml");
    QVERIFY(config.warnings.empty());
    std::ostringstream protocol;
    TrainerOptions options;
    options.runDir = m_dir.filePath("run-" + model).toStdString();
    options.protocol = &protocol;
    Trainer trainer(config, openTrainingData(config, m_corpus), options);
    const TrainResult result = trainer.run();
    QCOMPARE(statusName(result.status), std::string("finished"));
    QCOMPARE(result.epochsCompleted, 2);

    std::vector<nlohmann::json> epochs;
    nlohmann::json start;
    std::istringstream lines(protocol.str());
    for (std::string line; std::getline(lines, line);) {
        const nlohmann::json event = nlohmann::json::parse(line);
        if (event.at("event") == "start")
            start = event;
        if (event.at("event") == "epoch")
            epochs.push_back(event);
    }
    QCOMPARE(start.at("model_params").get<std::int64_t>(),
             models::parameterCount(*models::createModel(model.toStdString(), config.model.params)));
    QCOMPARE(start.at("amp").get<std::string>(), std::string("none")); // the CPU never autocasts
    QCOMPARE(start.at("train_samples").get<int>(), trainRows);
    QCOMPARE(epochs.size(), std::size_t(2));
    const double first = epochs[0].at("val_sisdr").get<double>();
    const double second = epochs[1].at("val_sisdr").get<double>();
    qInfo("%s: val SI-SDR %.3f -> %.3f dB", qPrintable(model), first, second);
    QVERIFY2(second > first, (std::to_string(first) + " -> " + std::to_string(second)).c_str());
}

QTEST_GUILESS_MAIN(tst_TrainerModels)
#include "tst_trainer_models.moc"
