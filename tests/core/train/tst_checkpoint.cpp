// SepLab checkpoints: model, optimiser and record round trip exactly, writes leave no temporary
// file, and foreign or mismatched files fail with one sentence naming the file.

#include "core/models/separator.h"
#include "core/train/checkpoint.h"

#include <QTemporaryDir>
#include <QtTest>

#include <fstream>
#include <torch/torch.h>

using namespace seplab;
using namespace seplab::train;

namespace {

const nlohmann::json kTinyDprnn = {{"N", 8},
                                   {"hidden_size", 8},
                                   {"num_layers", 1},
                                   {"chunk_size", 10}};

std::string errorOf(const std::function<void()> &call)
{
    try {
        call();
    } catch (const std::exception &error) {
        return error.what();
    }
    return {};
}

} // namespace

class tst_Checkpoint : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }
    void modelAndRecordRoundTrip();
    void optimizerStateContinuesIdentically();
    void badFilesNameThePath();

private:
    std::string path(const char *name) const { return m_dir.filePath(name).toStdString(); }
    QTemporaryDir m_dir;
};

void tst_Checkpoint::modelAndRecordRoundTrip()
{
    torch::manual_seed(1);
    models::SeparatorPtr model = models::createModel("dprnn", kTinyDprnn);
    CheckpointMeta meta;
    meta.modelType = "dprnn";
    meta.modelParams = model->params();
    meta.configYaml = "training:\n  lr: 0.001\n";
    meta.trainerState = {{"epochs_completed", 3}};
    const std::string file = path("model.pt");
    saveCheckpoint(file, *model, meta);
    QVERIFY(!QFile::exists(QString::fromStdString(file + ".tmp")));

    const ModelCheckpoint loaded = loadModelCheckpoint(file);
    QCOMPARE(loaded.meta.modelType, std::string("dprnn"));
    QCOMPARE(loaded.meta.modelParams, model->params());
    QCOMPARE(loaded.meta.configYaml, meta.configYaml);
    QCOMPARE(loaded.meta.trainerState.at("epochs_completed").get<int>(), 3);
    QCOMPARE(loaded.meta.sampleRate, 8000);
    QVERIFY(!loaded.model->is_training());
    const auto before = model->named_parameters();
    const auto after = loaded.model->named_parameters();
    QCOMPARE(after.size(), before.size());
    for (const auto &item : before)
        QVERIFY2(torch::equal(item.value(), after[item.key()]), item.key().c_str());

    torch::NoGradGuard noGrad;
    model->eval();
    const torch::Tensor mix = torch::randn({1, 400});
    QVERIFY(torch::equal(model->separate(mix), loaded.model->separate(mix)));
}

void tst_Checkpoint::optimizerStateContinuesIdentically()
{
    torch::manual_seed(2);
    models::SeparatorPtr a = models::createModel("dprnn", kTinyDprnn);
    torch::optim::Adam adamA(a->parameters(), torch::optim::AdamOptions(1e-2).weight_decay(1e-4));
    const torch::Tensor mix = torch::randn({2, 320});
    const auto stepOnce = [&mix](models::Separator &model, torch::optim::Adam &adam) {
        adam.zero_grad();
        model.separate(mix).pow(2).mean().backward();
        adam.step();
    };
    stepOnce(*a, adamA);
    CheckpointMeta meta;
    meta.modelType = "dprnn";
    meta.modelParams = a->params();
    saveCheckpoint(path("opt.pt"), *a, meta, &adamA);

    models::SeparatorPtr b = models::createModel("dprnn", kTinyDprnn);
    loadModelWeights(path("opt.pt"), *b);
    // LibTorch 1.13's optimiser archive does not carry the learning rate (the Trainer keeps it in
    // its own record), so the optimiser is built with it.
    torch::optim::Adam adamB(b->parameters(), torch::optim::AdamOptions(1e-2).weight_decay(1e-4));
    loadOptimizerState(path("opt.pt"), adamB);
    stepOnce(*a, adamA);
    stepOnce(*b, adamB);
    const auto pa = a->parameters();
    const auto pb = b->parameters();
    for (std::size_t i = 0; i < pa.size(); ++i)
        QVERIFY(torch::equal(pa[i], pb[i]));
}

void tst_Checkpoint::badFilesNameThePath()
{
    QCOMPARE(errorOf([&] { readCheckpointMeta(path("missing.pt")); }),
             path("missing.pt") + ": no such checkpoint file.");
    {
        std::ofstream junk(path("junk.pt"));
        junk << "not a checkpoint";
    }
    QCOMPARE(errorOf([&] { loadModelCheckpoint(path("junk.pt")); }),
             path("junk.pt")
                 + ": not a SepLab checkpoint (not a LibTorch archive; use "
                   "import-weights for PyTorch state_dicts).");
    models::SeparatorPtr tasnet
        = models::createModel("convtasnet", {{"N", 8}, {"B", 8}, {"H", 8}, {"X", 1}, {"R", 1}});
    QCOMPARE(errorOf([&] { loadModelWeights(path("model.pt"), *tasnet); }),
             path("model.pt") + ": holds a dprnn, not a convtasnet.");
    models::SeparatorPtr wider = models::createModel("dprnn",
                                                     {{"N", 16},
                                                      {"hidden_size", 8},
                                                      {"num_layers", 1},
                                                      {"chunk_size", 10}});
    const std::string wrongShape = errorOf([&] { loadModelWeights(path("model.pt"), *wider); });
    QVERIFY2(wrongShape == path("model.pt") + ": the weights do not fit the configured dprnn.",
             wrongShape.c_str());
    QCOMPARE(errorOf([&] {
                 models::SeparatorPtr m = models::createModel("dprnn", kTinyDprnn);
                 torch::optim::Adam adam(m->parameters(), torch::optim::AdamOptions(1.0));
                 loadOptimizerState(path("model.pt"), adam);
             }),
             path("model.pt") + ": the checkpoint holds no optimiser state.");
}

QTEST_GUILESS_MAIN(tst_Checkpoint)
#include "tst_checkpoint.moc"
