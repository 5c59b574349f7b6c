// `seplab-cli evaluate` on a tiny make-corpus corpus with a 1-epoch checkpoint: one row per
// MM-IPC variant whose clip counts follow the CSV's indoor/outdoor rows, the unweighted mean,
// the CSV file, scores that match an independent straight-loop PIT SI-SDR and validate(), and
// one-sentence errors.

#include "cli/command.h"
#include "core/data/polsess_dataset.h"
#include "core/metrics/separation_scores.h"
#include "core/models/separator.h"
#include "core/train/checkpoint.h"
#include "core/train/torch_threads.h"
#include "core/train/train_config.h"
#include "core/train/trainer.h"
#include "core/train/training_data.h"
#include "core/train/validation.h"
#include "support/cli_runner.h"
#include "support/reference_si_sdr.h"
#include "support/tiny_corpus.h"

#include <QTemporaryDir>
#include <QtTest>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <torch/torch.h>

using namespace seplab;
using test::CliResult;
using test::runInProcess;

namespace {

std::string readFile(const std::string &path)
{
    std::ifstream file(path, std::ios::binary);
    std::stringstream text;
    text << file.rdbuf();
    return text.str();
}

std::vector<std::string> splitLines(const std::string &text)
{
    std::vector<std::string> lines;
    std::istringstream stream(text);
    std::string line;
    while (std::getline(stream, line))
        lines.push_back(line);
    return lines;
}

std::vector<std::string> splitFields(const std::string &line)
{
    std::vector<std::string> fields;
    std::istringstream stream(line);
    std::string field;
    while (std::getline(stream, field, ','))
        fields.push_back(field);
    if (!line.empty() && line.back() == ',')
        fields.emplace_back();
    return fields;
}

// Indoor and outdoor rows of a split, read straight from the corpus CSV: an empty
// reverbForSpeaker1 marks an outdoor row (spec models.md §3.1).
std::pair<int, int> countRows(const std::string &csvPath)
{
    const std::vector<std::string> lines = splitLines(readFile(csvPath));
    const std::vector<std::string> header = splitFields(lines.front());
    const auto column = std::find(header.begin(), header.end(), "reverbForSpeaker1")
                        - header.begin();
    int indoor = 0, outdoor = 0;
    for (std::size_t i = 1; i < lines.size(); ++i) {
        if (lines[i].empty())
            continue;
        const std::vector<std::string> fields = splitFields(lines[i]);
        (fields.at(std::size_t(column)).empty() ? outdoor : indoor) += 1;
    }
    return {indoor, outdoor};
}

std::vector<double> toDoubles(const torch::Tensor &t)
{
    const torch::Tensor flat = t.to(torch::kDouble).contiguous().view({-1});
    return std::vector<double>(flat.data_ptr<double>(), flat.data_ptr<double>() + flat.numel());
}

} // namespace

class tst_EvaluateCommand : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void scoresEveryVariant();
    void scoresMatchAnIndependentComputation();
    void subsetsAndBatches();
    void missingCheckpoint();
    void badVariantName();
    void rateMismatch();
    void missingSplit();

private:
    std::string path(const char *name) const { return m_dir.filePath(name).toStdString(); }
    CliResult evaluate(std::vector<std::string> extra) const
    {
        std::vector<std::string> args
            = {"evaluate", "--checkpoint", m_checkpoint, "--data", m_corpus, "--threads", "1"};
        args.insert(args.end(), extra.begin(), extra.end());
        return runInProcess(args);
    }

    QTemporaryDir m_dir;
    std::string m_corpus;
    std::string m_checkpoint;
    nlohmann::json m_all; // the default run, shared by the first tests
};

void tst_EvaluateCommand::initTestCase()
{
    QVERIFY(m_dir.isValid());
    train::configureTorchThreads(1);
    m_corpus = path("corpus");
    test::makeTinyCorpus(m_corpus, 8, 4);

    // A real checkpoint: one epoch of the tiny DPRNN.
    const train::TrainConfig config = train::parseTrainConfig(test::tinyTrainingConfig(),
                                                              "tiny.yaml",
                                                              {"num_epochs=1"});
    train::TrainerOptions options;
    options.runDir = path("run");
    std::ostringstream protocol;
    options.protocol = &protocol;
    train::Trainer trainer(config, train::openTrainingData(config, m_corpus), options);
    QCOMPARE(trainer.run().status, train::TrainStatus::Finished);
    m_checkpoint = path("run") + "/checkpoints/last.pt";

    const CliResult result = evaluate({"--csv", path("scores.csv")});
    QVERIFY2(result.status == 0, result.err.c_str());
    m_all = nlohmann::json::parse(result.out);
}

void tst_EvaluateCommand::scoresEveryVariant()
{
    const auto [indoor, outdoor] = countRows(data::polsessCsvPath(m_corpus, "test"));
    QCOMPARE(indoor + outdoor, 8);
    QVERIFY(indoor > 0 && outdoor > 0);
    const std::map<std::string, int> expected = {{"SER", indoor},
                                                 {"SR", indoor},
                                                 {"ER", indoor},
                                                 {"R", indoor},
                                                 {"SE", outdoor},
                                                 {"S", outdoor},
                                                 {"E", outdoor},
                                                 {"C", indoor + outdoor}};

    QCOMPARE(m_all.at("checkpoint").get<std::string>(), m_checkpoint);
    QCOMPARE(m_all.at("model_type").get<std::string>(), std::string("dprnn"));
    QCOMPARE(m_all.at("split").get<std::string>(), std::string("test"));
    QCOMPARE(m_all.at("task").get<std::string>(), std::string("SB"));
    const nlohmann::json &variants = m_all.at("variants");
    QCOMPARE(variants.size(), std::size_t(8));
    const std::vector<std::string> order = {"SER", "SR", "ER", "R", "SE", "S", "E", "C"};
    double siSdr = 0.0, siSdri = 0.0;
    int total = 0;
    for (std::size_t i = 0; i < order.size(); ++i) {
        const nlohmann::json &row = variants[i];
        QCOMPARE(row.at("variant").get<std::string>(), order[i]);
        QCOMPARE(row.at("num_samples").get<int>(), expected.at(order[i]));
        QVERIFY(std::isfinite(row.at("si_sdr").get<double>()));
        siSdr += row.at("si_sdr").get<double>();
        siSdri += row.at("si_sdri").get<double>();
        total += row.at("num_samples").get<int>();
    }
    QCOMPARE(total, 5 * indoor + 4 * outdoor);
    const nlohmann::json &mean = m_all.at("mean");
    QCOMPARE(mean.at("num_samples").get<int>(), total);
    QVERIFY(std::abs(mean.at("si_sdr").get<double>() - siSdr / 8.0) < 1e-12);
    QVERIFY(std::abs(mean.at("si_sdri").get<double>() - siSdri / 8.0) < 1e-12);

    // The CSV: the original's header, one line per variant and AVERAGE, the same numbers.
    const std::vector<std::string> lines = splitLines(readFile(path("scores.csv")));
    QCOMPARE(lines.size(), std::size_t(10));
    QCOMPARE(lines.front(), std::string("variant,si_sdr_db,si_sdri_db,num_samples"));
    for (std::size_t i = 1; i < lines.size(); ++i) {
        const std::vector<std::string> fields = splitFields(lines[i]);
        QCOMPARE(fields.size(), std::size_t(4));
        const nlohmann::json &row = i <= 8 ? variants[i - 1] : mean;
        QCOMPARE(fields[0], i <= 8 ? order[i - 1] : std::string("AVERAGE"));
        QCOMPARE(std::stod(fields[1]), row.at("si_sdr").get<double>());
        QCOMPARE(std::stod(fields[2]), row.at("si_sdri").get<double>());
        QCOMPARE(std::stoi(fields[3]), row.at("num_samples").get<int>());
    }
    QVERIFY(!QFile::exists(QString::fromStdString(path("scores.csv.tmp"))));
}

void tst_EvaluateCommand::scoresMatchAnIndependentComputation()
{
    // SE on its own: the outdoor rows of test, the stored mixture (nothing removed), targets the
    // dry speakers. Separated here clip by clip and scored by the straight-loop reference.
    const train::ModelCheckpoint loaded = train::loadModelCheckpoint(m_checkpoint);
    data::PolsessOptions options;
    options.task = data::Task::SB;
    options.allowedVariants = {data::Variant::SE};
    options.variantChoice = data::VariantChoice::PerIndex;
    options.subset = data::SubsetRule::Head;
    auto dataset = std::make_shared<data::PolsessDataset>(m_corpus, "test", options);

    torch::NoGradGuard noGrad;
    double siSdr = 0.0, siSdri = 0.0;
    std::vector<torch::Tensor> mixes, targets, estimates;
    for (std::size_t i = 0; i < dataset->size(); ++i) {
        const data::Example example = dataset->get(i, 1);
        QCOMPARE(example.variant, std::string("SE"));
        const std::vector<double> mix(example.mix.begin(), example.mix.end());
        const torch::Tensor mixTensor = torch::tensor(example.mix).unsqueeze(0);
        const torch::Tensor est = loaded.model->separate(mixTensor); // [1, 2, T]
        const std::vector<double> e0 = toDoubles(est[0][0]), e1 = toDoubles(est[0][1]);
        const std::vector<double> s0(example.targets[0].begin(), example.targets[0].end());
        const std::vector<double> s1(example.targets[1].begin(), example.targets[1].end());
        const double straight = (test::referenceSiSdrZeroMean(e0, s0)
                                 + test::referenceSiSdrZeroMean(e1, s1))
                                / 2;
        const double swapped = (test::referenceSiSdrZeroMean(e1, s0)
                                + test::referenceSiSdrZeroMean(e0, s1))
                               / 2;
        const double pit = std::max(straight, swapped);
        const double mixture = (test::referenceSiSdrPlain(mix, s0)
                                + test::referenceSiSdrPlain(mix, s1))
                               / 2;
        siSdr += pit;
        siSdri += pit - mixture;
        mixes.push_back(mixTensor);
        estimates.push_back(est);
        targets.push_back(
            torch::stack({torch::tensor(example.targets[0]), torch::tensor(example.targets[1])})
                .unsqueeze(0));
    }
    const double count = double(dataset->size());
    const nlohmann::json &se = m_all.at("variants").at(4);
    QCOMPARE(se.at("variant").get<std::string>(), std::string("SE"));
    QCOMPARE(se.at("num_samples").get<std::size_t>(), dataset->size());
    const double reported = se.at("si_sdr").get<double>();
    QVERIFY2(std::abs(reported - siSdr / count) < 1e-3,
             (std::to_string(reported) + " vs " + std::to_string(siSdr / count)).c_str());
    QVERIFY(std::abs(se.at("si_sdri").get<double>() - siSdri / count) < 1e-3);

    // The same clips as one batch through core/metrics.
    const metrics::SeparationScores batch = metrics::scoreSeparation(torch::cat(estimates),
                                                                     torch::cat(targets),
                                                                     torch::cat(mixes));
    QVERIFY(std::abs(batch.siSdr.mean().item<double>() - reported) < 1e-4);

    // And validate() on the same set is the very same number.
    train::ValidationOptions validation;
    const train::ValidationResult direct = train::validate(*loaded.model,
                                                           {{"SE", dataset}},
                                                           validation);
    QCOMPARE(direct.sets.front().siSdr, reported);
    QCOMPARE(direct.sets.front().siSdri, se.at("si_sdri").get<double>());
}

void tst_EvaluateCommand::subsetsAndBatches()
{
    // Chosen variants in the given order, the first 3 rows of each, batches of 2 (3 = 2 + 1).
    const CliResult result = evaluate({"--variants", "C,SER", "--max-samples", "3", "--batch", "2"});
    QVERIFY2(result.status == 0, result.err.c_str());
    const nlohmann::json json = nlohmann::json::parse(result.out);
    const nlohmann::json &variants = json.at("variants");
    QCOMPARE(variants.size(), std::size_t(2));
    QCOMPARE(variants[0].at("variant").get<std::string>(), std::string("C"));
    QCOMPARE(variants[1].at("variant").get<std::string>(), std::string("SER"));
    QCOMPARE(variants[0].at("num_samples").get<int>(), 3);
    QCOMPARE(variants[1].at("num_samples").get<int>(), 3);
    QCOMPARE(json.at("mean").at("num_samples").get<int>(), 6);
    QVERIFY(
        std::abs(json.at("mean").at("si_sdr").get<double>()
                 - (variants[0].at("si_sdr").get<double>() + variants[1].at("si_sdr").get<double>())
                       / 2)
        < 1e-12);
}

void tst_EvaluateCommand::missingCheckpoint()
{
    const std::string missing = path("nothing.pt");
    const CliResult result = runInProcess({"evaluate", "--checkpoint", missing, "--data", m_corpus});
    QCOMPARE(result.status, 1);
    QVERIFY(result.out.empty());
    QCOMPARE(result.err, "seplab-cli evaluate: " + missing + ": no such checkpoint file.\n");
}

void tst_EvaluateCommand::badVariantName()
{
    const CliResult result = evaluate({"--variants", "SER,XX"});
    QCOMPARE(result.status, 2);
    QVERIFY(result.out.empty());
    QVERIFY2(result.err.find("'XX'") != std::string::npos, result.err.c_str());
    QCOMPARE(std::count(result.err.begin(), result.err.end(), '\n'), 1L);
    QCOMPARE(evaluate({"--variants", "SER,SER"}).status, 2);
    QCOMPARE(evaluate({"--batch", "0"}).status, 2);
}

void tst_EvaluateCommand::rateMismatch()
{
    // The same weights, recorded as a 16 kHz model.
    const train::ModelCheckpoint loaded = train::loadModelCheckpoint(m_checkpoint);
    train::CheckpointMeta meta = loaded.meta;
    meta.sampleRate = 16000;
    const std::string wide = path("wide.pt");
    train::saveCheckpoint(wide, *loaded.model, meta);

    const CliResult result = runInProcess(
        {"evaluate", "--checkpoint", wide, "--data", m_corpus, "--csv", path("wide.csv")});
    QCOMPARE(result.status, 1);
    QVERIFY(result.out.empty());
    QCOMPARE(std::count(result.err.begin(), result.err.end(), '\n'), 1L);
    QVERIFY2(result.err.find(wide + ": ") != std::string::npos, result.err.c_str());
    QVERIFY2(result.err.find("16000 Hz") != std::string::npos, result.err.c_str());
    QVERIFY2(result.err.find("8000 Hz") != std::string::npos, result.err.c_str());
    QVERIFY(!QFile::exists(QString::fromStdString(path("wide.csv"))));
}

void tst_EvaluateCommand::missingSplit()
{
    const CliResult result = evaluate({"--split", "dev"});
    QCOMPARE(result.status, 1);
    QCOMPARE(std::count(result.err.begin(), result.err.end(), '\n'), 1L);
    QVERIFY2(result.err.find("dev") != std::string::npos, result.err.c_str());
}

QTEST_GUILESS_MAIN(tst_EvaluateCommand)
#include "tst_evaluate_command.moc"
