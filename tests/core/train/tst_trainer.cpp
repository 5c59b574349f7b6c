// The Trainer end to end on the CPU: a 3-epoch run on a tiny make-corpus corpus raises val
// SI-SDR and writes well-formed protocol lines and run folder; a resumed run (after a finished
// epoch, and after a stop inside an epoch) ends with bit-identical weights; NaN losses are
// skipped and a run of them ends as diverged.

#include "core/data/polsess_dataset.h"
#include "core/models/separator.h"
#include "core/train/checkpoint.h"
#include "core/train/torch_threads.h"
#include "core/train/trainer.h"
#include "support/tiny_corpus.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <fstream>
#include <sstream>
#include <torch/torch.h>

using namespace seplab;
using namespace seplab::train;

namespace {

std::vector<nlohmann::json> parseLines(const std::string &text)
{
    std::vector<nlohmann::json> events;
    std::istringstream stream(text);
    std::string line;
    while (std::getline(stream, line))
        events.push_back(nlohmann::json::parse(line));
    return events;
}

std::vector<nlohmann::json> ofKind(const std::vector<nlohmann::json> &events, const char *kind)
{
    std::vector<nlohmann::json> selected;
    for (const nlohmann::json &event : events) {
        if (event.at("event") == kind)
            selected.push_back(event);
    }
    return selected;
}

std::string readFile(const std::string &path)
{
    std::ifstream file(path);
    std::stringstream text;
    text << file.rdbuf();
    return text.str();
}

// Sine mixtures of two tones; clips listed in `nanIndices` hold NaN.
class ToneDataset : public data::Dataset
{
public:
    ToneDataset(std::size_t size, std::set<std::size_t> nanIndices = {})
        : m_size(size)
        , m_nan(std::move(nanIndices))
    {}
    std::size_t size() const override { return m_size; }
    data::Example get(std::size_t index, int) const override
    {
        data::Example example;
        const std::size_t length = 800;
        example.targets.assign(2, std::vector<float>(length));
        example.mix.resize(length);
        for (std::size_t t = 0; t < length; ++t) {
            example.targets[0][t] = 0.5f * std::sin(0.05f * float(t) * float(index % 3 + 1));
            example.targets[1][t] = 0.3f * std::sin(0.31f * float(t) + float(index));
            example.mix[t] = m_nan.count(index) ? std::nanf("")
                                                : example.targets[0][t] + example.targets[1][t];
        }
        example.id = "tone" + std::to_string(index);
        return example;
    }
    int sampleRate() const override { return 8000; }
    int sources() const override { return 2; }
    std::string manifestHash() const override { return "0000000000000000"; }
    std::string describe() const override { return "tones"; }

private:
    std::size_t m_size;
    std::set<std::size_t> m_nan;
};

// Raises the stop flag the first time any clip of `epoch` is read: the trainer then stops at
// some batch boundary inside that epoch (which one depends on prefetching; the test must not
// care).
class StopInEpoch : public data::Dataset
{
public:
    StopInEpoch(std::shared_ptr<const data::Dataset> inner, int epoch, std::atomic<bool> &flag)
        : m_inner(std::move(inner))
        , m_epoch(epoch)
        , m_flag(flag)
    {}
    std::size_t size() const override { return m_inner->size(); }
    data::Example get(std::size_t index, int epoch) const override
    {
        if (epoch == m_epoch)
            m_flag.store(true);
        return m_inner->get(index, epoch);
    }
    int sampleRate() const override { return m_inner->sampleRate(); }
    int sources() const override { return m_inner->sources(); }
    std::string manifestHash() const override { return m_inner->manifestHash(); }
    std::string describe() const override { return m_inner->describe(); }

private:
    std::shared_ptr<const data::Dataset> m_inner;
    int m_epoch;
    std::atomic<bool> &m_flag;
};

TrainConfig tinyConfig(const std::vector<std::string> &overrides = {})
{
    return parseTrainConfig(test::tinyTrainingConfig(), "tiny.yaml", overrides);
}

TrainResult runTrainer(const TrainConfig &config,
                       TrainingData data,
                       const std::string &runDir,
                       std::string *protocol = nullptr,
                       bool resume = false,
                       const std::atomic<bool> *stop = nullptr,
                       int maxNan = 1000)
{
    std::ostringstream out;
    TrainerOptions options;
    options.runDir = runDir;
    options.resume = resume;
    options.protocol = &out;
    options.stopRequested = stop;
    options.maxConsecutiveNan = maxNan;
    Trainer trainer(config, std::move(data), options);
    const TrainResult result = trainer.run();
    if (protocol)
        *protocol = out.str();
    return result;
}

void compareWeights(const std::string &a, const std::string &b)
{
    const ModelCheckpoint first = loadModelCheckpoint(a);
    const ModelCheckpoint second = loadModelCheckpoint(b);
    const auto pa = first.model->named_parameters();
    const auto pb = second.model->named_parameters();
    QCOMPARE(pa.size(), pb.size());
    for (const auto &item : pa)
        QVERIFY2(torch::equal(item.value(), pb[item.key()]), item.key().c_str());
}

} // namespace

class tst_Trainer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void threeEpochsRaiseValSiSdrAndReport();
    void resumeAfterAnEpochIsBitExact();
    void resumeAfterAStopInsideAnEpochIsBitExact();
    void nanLossesAreSkipped();
    void consecutiveNanLossesDiverge();
    void curriculumReassignsVariants();

private:
    std::string dir(const char *name) const { return m_dir.filePath(name).toStdString(); }
    TrainingData corpusData(const TrainConfig &config) const
    {
        return openTrainingData(config, m_corpus);
    }

    QTemporaryDir m_dir;
    std::string m_corpus;
};

void tst_Trainer::initTestCase()
{
    QVERIFY(m_dir.isValid());
    configureTorchThreads(1);
    m_corpus = dir("corpus");
    test::makeTinyCorpus(m_corpus);
}

void tst_Trainer::threeEpochsRaiseValSiSdrAndReport()
{
    const TrainConfig config = tinyConfig();
    std::string protocol;
    const TrainResult result = runTrainer(config, corpusData(config), dir("run3"), &protocol);
    QCOMPARE(statusName(result.status), std::string("finished"));
    QCOMPARE(result.epochsCompleted, 3);

    const std::vector<nlohmann::json> events = parseLines(protocol);
    QCOMPARE(events.front().at("event").get<std::string>(), std::string("start"));
    QCOMPARE(events.back().at("event").get<std::string>(), std::string("end"));
    QCOMPARE(events.back().at("status").get<std::string>(), std::string("finished"));
    QVERIFY(events.back().at("error").is_null());
    const nlohmann::json &start = events.front();
    QCOMPARE(start.at("train_samples").get<int>(), 32);
    QCOMPARE(start.at("val_samples").get<int>(), 8);
    QCOMPARE(start.at("model_params").get<std::int64_t>(),
             models::parameterCount(*models::createModel("dprnn", config.model.params)));
    QCOMPARE(start.at("config").at("training").at("lr").get<double>(), 0.003);
    QCOMPARE(start.at("manifest_hash").get<std::string>().size(), std::size_t(16));

    const std::vector<nlohmann::json> epochs = ofKind(events, "epoch");
    QCOMPARE(epochs.size(), std::size_t(3));
    double best = -1e9;
    for (std::size_t i = 0; i < epochs.size(); ++i) {
        const nlohmann::json &e = epochs[i];
        for (const char *key : {"train_loss",
                                "train_sisdr",
                                "val_sisdr",
                                "val_sisdri",
                                "best_val_sisdr",
                                "lr",
                                "seconds",
                                "samples_per_s"})
            QVERIFY2(e.at(key).is_number(), key);
        QCOMPARE(e.at("epoch").get<int>(), int(i) + 1);
        QCOMPARE(e.at("train_sisdr").get<double>(), -e.at("train_loss").get<double>());
        QCOMPARE(e.at("train_samples").get<int>(), 32);
        best = std::max(best, e.at("val_sisdr").get<double>());
        QCOMPARE(e.at("best_val_sisdr").get<double>(), best); // every epoch, not only on gains
    }
    const double first = epochs.front().at("val_sisdr").get<double>();
    const double last = epochs.back().at("val_sisdr").get<double>();
    QVERIFY2(last > first + 0.5, (std::to_string(first) + " -> " + std::to_string(last)).c_str());
    QCOMPARE(ofKind(events, "checkpoint").size() >= 4, true); // last x3 plus at least one best

    // The run folder: the same lines in events.jsonl, a resolved config, both checkpoints.
    QCOMPARE(readFile(dir("run3") + "/events.jsonl"), protocol);
    const TrainConfig resolved = loadTrainConfig(dir("run3") + "/config.yaml");
    QVERIFY(resolved.warnings.empty());
    QCOMPARE(resolved.model.params.at("hidden_size").get<int>(), 16);
    QCOMPARE(resolved.model.params.at("rnn_type").get<std::string>(), std::string("LSTM"));
    QCOMPARE(resolved.data.dataRoot, std::string());
    const CheckpointMeta lastMeta = readCheckpointMeta(dir("run3") + "/checkpoints/last.pt");
    QCOMPARE(lastMeta.trainerState.at("epochs_completed").get<int>(), 3);
    const CheckpointMeta bestMeta = readCheckpointMeta(dir("run3") + "/checkpoints/best.pt");
    QCOMPARE(bestMeta.trainerState.at("best_epoch").get<int>(),
             events.back().at("best_epoch").get<int>());
    QVERIFY(QFile::exists(QString::fromStdString(dir("run3") + "/log.txt")));
}

void tst_Trainer::resumeAfterAnEpochIsBitExact()
{
    const TrainConfig two = tinyConfig({"num_epochs=2"});
    std::string straight;
    runTrainer(two, corpusData(two), dir("straight"), &straight);

    const TrainConfig one = tinyConfig({"num_epochs=1"});
    QCOMPARE(runTrainer(one, corpusData(one), dir("resumed")).epochsCompleted, 1);
    std::string resumed;
    const TrainResult result = runTrainer(two, corpusData(two), dir("resumed"), &resumed, true);
    QCOMPARE(result.status, TrainStatus::Finished);
    QCOMPARE(result.epochsCompleted, 2);
    compareWeights(dir("straight") + "/checkpoints/last.pt",
                   dir("resumed") + "/checkpoints/last.pt");
    const auto a = ofKind(parseLines(straight), "epoch").back();
    const auto b = ofKind(parseLines(resumed), "epoch").back();
    QCOMPARE(b.at("epoch").get<int>(), 2);
    QCOMPARE(b.at("val_sisdr").get<double>(), a.at("val_sisdr").get<double>());
    QCOMPARE(b.at("train_loss").get<double>(), a.at("train_loss").get<double>());
    QCOMPARE(parseLines(resumed).front().at("resumed_from_epoch").get<int>(), 1);
}

void tst_Trainer::resumeAfterAStopInsideAnEpochIsBitExact()
{
    const TrainConfig two = tinyConfig({"num_epochs=2"});
    std::atomic<bool> stop{false};
    TrainingData data = corpusData(two);
    data.train = std::make_shared<StopInEpoch>(data.train, 2, stop);
    std::string protocol;
    const TrainResult stopped = runTrainer(two, data, dir("stopped"), &protocol, false, &stop);
    QCOMPARE(stopped.status, TrainStatus::Stopped);
    QCOMPARE(parseLines(protocol).back().at("status").get<std::string>(), std::string("stopped"));
    const CheckpointMeta meta = readCheckpointMeta(dir("stopped") + "/checkpoints/last.pt");
    QCOMPARE(meta.trainerState.at("epochs_completed").get<int>(), 1);
    QVERIFY(!meta.trainerState.at("in_progress").is_null());
    QCOMPARE(meta.trainerState.at("in_progress").at("epoch").get<int>(), 2);
    const int done = meta.trainerState.at("in_progress").at("batches_done").get<int>();
    QVERIFY(done >= 1 && done < 8);

    const TrainResult resumed = runTrainer(two, corpusData(two), dir("stopped"), nullptr, true);
    QCOMPARE(resumed.status, TrainStatus::Finished);
    compareWeights(dir("straight") + "/checkpoints/last.pt",
                   dir("stopped") + "/checkpoints/last.pt");
}

void tst_Trainer::nanLossesAreSkipped()
{
    TrainConfig config = tinyConfig({"num_epochs=1", "batch_size=1", "chunk_size=10"});
    TrainingData data;
    data.train = std::make_shared<ToneDataset>(6, std::set<std::size_t>{2, 4});
    data.validation = {{"", std::make_shared<ToneDataset>(2)}};
    std::string protocol;
    const TrainResult result = runTrainer(config, data, dir("nan"), &protocol);
    QCOMPARE(result.status, TrainStatus::Finished);
    const nlohmann::json epoch = ofKind(parseLines(protocol), "epoch").front();
    QCOMPARE(epoch.at("nan_batches").get<int>(), 2);
    QCOMPARE(epoch.at("train_samples").get<int>(), 4);
    QVERIFY(std::isfinite(epoch.at("val_sisdr").get<double>()));
    const ModelCheckpoint checkpoint = loadModelCheckpoint(dir("nan") + "/checkpoints/last.pt");
    for (const torch::Tensor &p : checkpoint.model->parameters())
        QVERIFY(torch::isfinite(p).all().item<bool>());
    QCOMPARE(checkpoint.meta.trainerState.at("optimizer_steps").get<int>(), 4);
}

void tst_Trainer::consecutiveNanLossesDiverge()
{
    TrainConfig config = tinyConfig({"num_epochs=2", "batch_size=1", "chunk_size=10"});
    TrainingData data;
    data.train = std::make_shared<ToneDataset>(5, std::set<std::size_t>{0, 1, 2, 3, 4});
    data.validation = {{"", std::make_shared<ToneDataset>(2)}};
    std::string protocol;
    const TrainResult result
        = runTrainer(config, data, dir("diverged"), &protocol, false, nullptr, 3);
    QCOMPARE(result.status, TrainStatus::Diverged);
    const nlohmann::json end = parseLines(protocol).back();
    QCOMPARE(end.at("status").get<std::string>(), std::string("diverged"));
    QCOMPARE(end.at("error").get<std::string>(),
             std::string("3 consecutive batches had a NaN or Inf loss"));
    QCOMPARE(end.at("epochs").get<int>(), 0);
}

void tst_Trainer::curriculumReassignsVariants()
{
    const TrainConfig config
        = parseTrainConfig(std::string(test::tinyTrainingConfig())
                               + "  curriculum_learning:\n"
                                 "    - {epoch: 1, variants: [C]}\n"
                                 "    - {epoch: 2, variants: [SER], lr_scheduler: start}\n",
                           "tiny.yaml",
                           {"num_epochs=2"});
    std::string protocol;
    QCOMPARE(runTrainer(config, corpusData(config), dir("curriculum"), &protocol).status,
             TrainStatus::Finished);
    const auto epochs = ofKind(parseLines(protocol), "epoch");
    QCOMPARE(epochs[0].at("variants").get<std::string>(), std::string("C"));
    QCOMPARE(epochs[0].at("scheduler_active").get<bool>(), false);
    QCOMPARE(epochs[0].at("train_samples").get<int>(), 32); // C keeps every row
    QCOMPARE(epochs[1].at("variants").get<std::string>(), std::string("SER"));
    QCOMPARE(epochs[1].at("scheduler_active").get<bool>(), true);
    // SER applies to indoor rows only: the training pool shrinks to them.
    const auto rows = data::readPolsessManifest(m_corpus, "train");
    const int indoor = int(std::count_if(rows.begin(), rows.end(), [](const data::PolsessRow &row) {
        return row.indoor();
    }));
    QCOMPARE(epochs[1].at("train_samples").get<int>(), indoor);
}

QTEST_GUILESS_MAIN(tst_Trainer)
#include "tst_trainer.moc"
