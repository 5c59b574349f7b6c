// The training config: the users' own files load unchanged with exact values and no warnings,
// unknown keys warn by name and line, --set reaches every key by dotted path or sweep name,
// bad values fail with one sentence naming file, line and key, and the resolved config reads
// back to the same settings.

#include "core/data/deterministic_random.h"
#include "core/models/separator.h"
#include "core/sweep/plan.h"
#include "core/sweep/trial_launch.h"
#include "core/train/train_config.h"

#include <QtTest>

#include <filesystem>

using namespace seplab;
using namespace seplab::train;

namespace {

const std::string kExamples = SEPLAB_EXAMPLES_DIR;

const char *kMinimal = "data:\n"
                       "  batch_size: 4\n"
                       "model:\n"
                       "  model_type: dprnn\n"
                       "  dprnn:\n"
                       "    N: 16\n"
                       "training:\n"
                       "  lr: 0.001\n";

std::string errorOf(const std::string &yaml, const std::vector<std::string> &overrides = {})
{
    try {
        parseTrainConfig(yaml, "cfg.yaml", overrides);
    } catch (const std::invalid_argument &error) {
        return error.what();
    }
    return {};
}

} // namespace

class tst_TrainConfig : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void loadsTheBaselineUnchanged();
    void loadsTheSweepWinnerUnchanged();
    void unknownKeysWarnWithTheirLine();
    void setReachesDottedAndShortKeys();
    void setRejectsUnknownKeysAndBadForms();
    void badValuesNameFileLineAndKey_data();
    void badValuesNameFileLineAndKey();
    void yamlSyntaxErrorHasLineAndColumn();
    void resolvedConfigReadsBackTheSame();
    void shippedBaselinesBuildExactModels();
    void shippedSepformerAndSpmambaConfigs();
    void spmambaTakesItsSourceCountFromTheTask();
    void everyPlanTemplateAppliesToEveryModel();
};

void tst_TrainConfig::loadsTheBaselineUnchanged()
{
    const TrainConfig config = loadTrainConfig(kExamples + "/dprnn_baseline.yaml");
    QVERIFY2(config.warnings.empty(),
             config.warnings.empty() ? "" : config.warnings.front().c_str());
    QCOMPARE(config.data.batchSize, 16);
    QCOMPARE(config.data.task, data::Task::SB);
    QCOMPARE(config.data.trainMaxSamples, std::int64_t(-1));
    QCOMPARE(config.data.numWorkers, 1);
    QCOMPARE(config.model.modelType, std::string("dprnn"));
    QCOMPARE(config.model.params.at("hidden_size").get<int>(), 128);
    QCOMPARE(config.model.params.at("chunk_size").get<int>(), 100);
    QCOMPARE(config.model.params.at("rnn_type").get<std::string>(), std::string("LSTM"));
    QCOMPARE(config.model.params.at("dropout").get<double>(), 0.0);
    QCOMPARE(config.model.params.at("bidirectional").get<bool>(), true);
    QCOMPARE(config.training.lr, 0.00015);
    QCOMPARE(config.training.weightDecay, 0.0);
    QCOMPARE(config.training.gradClipNorm, 5.0);
    QCOMPARE(config.training.lrFactor, 0.98);
    QCOMPARE(config.training.lrPatience, 2);
    QCOMPARE(config.training.numEpochs, 100);
    QCOMPARE(config.training.useAmp, true);
    QCOMPARE(config.training.ampEps, 1e-4);
    QVERIFY(config.training.earlyStoppingPatience.has_value());
    QCOMPARE(*config.training.earlyStoppingPatience, 10);
    QCOMPARE(config.training.validationVariants,
             (std::vector<data::Variant>{data::Variant::SER, data::Variant::SE}));
    const auto &entries = config.training.curriculum.entries();
    QCOMPARE(entries.size(), std::size_t(3));
    QCOMPARE(entries[0].epoch, 1);
    QCOMPARE(entries[1].epoch, 4);
    QCOMPARE(entries[2].epoch, 8);
    QCOMPARE(entries[2].variants.size(), std::size_t(7));
    QVERIFY(!entries[1].startsScheduler);
    QVERIFY(entries[2].startsScheduler);
}

void tst_TrainConfig::loadsTheSweepWinnerUnchanged()
{
    for (const char *name : {"dprnn_8000.yaml", "dprnn_validation_fancy-sweep-62.yaml"}) {
        const TrainConfig config = loadTrainConfig(kExamples + "/" + name);
        QVERIFY2(config.warnings.empty(), name);
    }
    const TrainConfig winner = loadTrainConfig(kExamples + "/dprnn_validation_fancy-sweep-62.yaml");
    QCOMPARE(winner.training.lr, 0.00125331);
    QCOMPARE(winner.training.weightDecay, 2.11e-05);
    QCOMPARE(winner.training.gradClipNorm, 2.76);
    QCOMPARE(winner.training.lrFactor, 0.8633);
    QCOMPARE(winner.training.lrPatience, 3);
    QCOMPARE(winner.training.seed, std::uint64_t(42));
    QCOMPARE(winner.data.trainMaxSamples, std::int64_t(16000));
    QCOMPARE(winner.training.curriculum.entries()[2].epoch, 10);
}

void tst_TrainConfig::unknownKeysWarnWithTheirLine()
{
    const TrainConfig config = parseTrainConfig(std::string(kMinimal)
                                                    + "  lr_sheduler: 3\n"
                                                      "extra:\n"
                                                      "  a: 1\n",
                                                "cfg.yaml");
    QCOMPARE(config.warnings.size(), std::size_t(2));
    QCOMPARE(config.warnings[0],
             std::string("cfg.yaml line 9: unknown key 'training.lr_sheduler' is ignored."));
    QCOMPARE(config.warnings[1],
             std::string("cfg.yaml line 10: unknown section 'extra' is ignored."));
}

void tst_TrainConfig::setReachesDottedAndShortKeys()
{
    const TrainConfig config = parseTrainConfig(kMinimal,
                                                "cfg.yaml",
                                                {"lr=2.5e-4",
                                                 "epochs=7",
                                                 "batch_size=2",
                                                 "dropout=0.1",
                                                 "training.weight_decay=1e-5",
                                                 "model.dprnn.hidden_size=32",
                                                 "validation_variants=[C]",
                                                 "early_stopping_patience=4",
                                                 "train_max_samples=100"});
    QCOMPARE(config.training.lr, 2.5e-4);
    QCOMPARE(config.training.numEpochs, 7);
    QCOMPARE(config.data.batchSize, 2);
    QCOMPARE(config.model.params.at("dropout").get<double>(), 0.1);
    QCOMPARE(config.model.params.at("hidden_size").get<int>(), 32);
    QCOMPARE(config.model.params.at("N").get<int>(), 16); // untouched keys stay
    QCOMPARE(config.training.weightDecay, 1e-5);
    QCOMPARE(config.training.validationVariants, std::vector<data::Variant>{data::Variant::C});
    QCOMPARE(*config.training.earlyStoppingPatience, 4);
    QCOMPARE(config.data.trainMaxSamples, std::int64_t(100));

    // ConvTasNet's sweep names model_B / model_H land in its own section.
    const TrainConfig tasnet = parseTrainConfig(kMinimal,
                                                "cfg.yaml",
                                                {"model_type=convtasnet",
                                                 "model_B=128",
                                                 "model_H=256"});
    QCOMPARE(tasnet.model.modelType, std::string("convtasnet"));
    QCOMPARE(tasnet.model.params.at("B").get<int>(), 128);
    QCOMPARE(tasnet.model.params.at("H").get<int>(), 256);
    // The task decides the source count where the model section leaves it out.
    QCOMPARE(parseTrainConfig(kMinimal, "cfg.yaml", {"task=EB"}).model.params.at("C").get<int>(), 1);
    QVERIFY(!parseTrainConfig(kMinimal, "cfg.yaml").model.params.contains("C"));
    QCOMPARE(resolveOverrideKey("num_epochs", "dprnn"), std::string("training.num_epochs"));
    QCOMPARE(resolveOverrideKey("chunk_size", "sepformer"),
             std::string("model.sepformer.chunk_size"));
    QCOMPARE(resolveOverrideKey("no_such_key", "dprnn"), std::string());
}

void tst_TrainConfig::setRejectsUnknownKeysAndBadForms()
{
    QCOMPARE(errorOf(kMinimal, {"lrr=1"}),
             std::string("--set 'lrr=1': unknown key 'lrr' (use a dotted path such as training.lr "
                         "or a sweep name such as lr, batch_size, dropout)."));
    QCOMPARE(errorOf(kMinimal, {"training.lrr=1"}).rfind("--set 'training.lrr=1': unknown key", 0),
             std::size_t(0));
    QCOMPARE(errorOf(kMinimal, {"lr"}), std::string("--set 'lr' must have the form key=value."));
    QCOMPARE(errorOf(kMinimal, {"lr=abc"}),
             std::string("cfg.yaml: 'training.lr' must be a number, not 'abc'."));
}

void tst_TrainConfig::badValuesNameFileLineAndKey_data()
{
    QTest::addColumn<QString>("yaml");
    QTest::addColumn<QString>("error");
    QTest::newRow("factor") << "training:\n  lr_factor: 1.5\n"
                            << "cfg.yaml line 2: 'training.lr_factor' must lie strictly between 0 "
                               "and 1.";
    QTest::newRow("batch") << "data:\n  batch_size: 0\n"
                           << "cfg.yaml line 2: 'data.batch_size' must be at least 1.";
    QTest::newRow("type") << "data:\n  batch_size: many\n"
                          << "cfg.yaml line 2: 'data.batch_size' must be an integer, not 'many'.";
    QTest::newRow("task") << "data:\n  task: XX\n"
                          << "cfg.yaml line 2: 'data.task' must be ES, EB or SB, not 'XX'.";
    QTest::newRow("variant") << "training:\n  validation_variants: [SER, XY]\n"
                             << "cfg.yaml line 2: 'training.validation_variants' holds 'XY', which "
                                "is not a variant (SER, SR, ER, R, SE, S, E, C).";
    QTest::newRow("section") << "training: 3\n"
                             << "cfg.yaml line 1: 'training' must be a mapping of keys to values.";
    QTest::newRow("sources") << "data:\n  task: ES\nmodel:\n  dprnn:\n    C: 2\n"
                             << "cfg.yaml line 5: 'model.dprnn.C' is 2 but data.task ES has 1 "
                                "source(s).";
    QTest::newRow("spmamba sources")
        << "data:\n  task: EB\nmodel:\n  model_type: spmamba\n  spmamba:\n    n_srcs: 2\n"
        << "cfg.yaml line 6: 'model.spmamba.n_srcs' is 2 but data.task EB has 1 source(s).";
    QTest::newRow("amp dtype") << "training:\n  amp_dtype: fp8\n"
                               << "cfg.yaml line 2: 'training.amp_dtype' must be auto, fp16 or "
                                  "bf16, not 'fp8'.";
}

void tst_TrainConfig::badValuesNameFileLineAndKey()
{
    QFETCH(QString, yaml);
    QFETCH(QString, error);
    QCOMPARE(QString::fromStdString(errorOf(yaml.toStdString())), error);
}

void tst_TrainConfig::yamlSyntaxErrorHasLineAndColumn()
{
    const std::string error = errorOf("data:\n  batch_size: [1, 2\n");
    QVERIFY2(error.rfind("cfg.yaml line 3, column 1: YAML syntax error:", 0) == 0, error.c_str());
    try {
        loadTrainConfig("/nonexistent/cfg.yaml");
        QFAIL("no error");
    } catch (const std::invalid_argument &e) {
        QCOMPARE(std::string(e.what()),
                 std::string("/nonexistent/cfg.yaml: cannot open the training config."));
    }
}

void tst_TrainConfig::resolvedConfigReadsBackTheSame()
{
    const TrainConfig original = loadTrainConfig(kExamples + "/dprnn_baseline.yaml",
                                                 {"train_max_samples=2000",
                                                  "weight_decay=2.11e-05"});
    const std::string text = resolvedConfigYaml(original);
    const TrainConfig again = parseTrainConfig(text, "resolved.yaml");
    QVERIFY(again.warnings.empty());
    QCOMPARE(resolvedConfigYaml(again), text);
    QCOMPARE(again.training.weightDecay, 2.11e-05);
    QCOMPARE(again.data.trainMaxSamples, std::int64_t(2000));
    QCOMPARE(again.training.curriculum.entries().size(), std::size_t(3));
    QCOMPARE(again.model.params, original.model.params);
    // Floats are written in their shortest exact form and so that PyYAML (the original's
    // reader) also sees floats: it wants a '.', so 1e-05 becomes 1.0e-05.
    QVERIFY2(text.find("weight_decay: 2.11e-05\n") != std::string::npos, text.c_str());
    const TrainConfig small = parseTrainConfig(kMinimal, "cfg.yaml", {"weight_decay=1e-5"});
    QVERIFY(resolvedConfigYaml(small).find("weight_decay: 1.0e-05\n") != std::string::npos);
    QVERIFY(resolvedConfigYaml(small).find("lr: 0.001\n") != std::string::npos);
}

void tst_TrainConfig::shippedBaselinesBuildExactModels()
{
    // The spec §2 table, and the exact SpeechBrain parameter counts.
    const TrainConfig dprnn = loadTrainConfig(std::string(SEPLAB_CONFIGS_DIR)
                                              + "/dprnn_baseline.yaml");
    QVERIFY(dprnn.warnings.empty());
    QCOMPARE(dprnn.data.batchSize, 16);
    QCOMPARE(dprnn.training.lr, 1.5e-4);
    QCOMPARE(dprnn.training.lrFactor, 0.98);
    QCOMPARE(dprnn.training.numEpochs, 100);
    QCOMPARE(*dprnn.training.earlyStoppingPatience, 10);
    QCOMPARE(models::parameterCount(*models::createModel("dprnn", dprnn.model.params)),
             std::int64_t(2609793));

    const TrainConfig tasnet = loadTrainConfig(std::string(SEPLAB_CONFIGS_DIR)
                                               + "/convtasnet_baseline.yaml");
    QVERIFY(tasnet.warnings.empty());
    QCOMPARE(tasnet.data.batchSize, 8);
    QCOMPARE(tasnet.training.lr, 1e-3);
    QCOMPARE(tasnet.training.lrFactor, 0.5);
    QCOMPARE(tasnet.training.lrPatience, 2);
    QCOMPARE(tasnet.training.numEpochs, 50);
    QVERIFY(!tasnet.training.earlyStoppingPatience);
    QCOMPARE(tasnet.training.curriculum.entries()[2].epoch, 5);
    QCOMPARE(models::parameterCount(*models::createModel("convtasnet", tasnet.model.params)),
             std::int64_t(8708672));
}

void tst_TrainConfig::shippedSepformerAndSpmambaConfigs()
{
    // The spec §2 table for SepFormer and reduced SPMamba; spec §1.3/§1.4 parameter counts.
    const std::string dir = SEPLAB_CONFIGS_DIR;
    const TrainConfig sepformer = loadTrainConfig(dir + "/sepformer_baseline.yaml");
    QVERIFY(sepformer.warnings.empty());
    QCOMPARE(sepformer.model.modelType, std::string("sepformer"));
    QCOMPARE(sepformer.data.batchSize, 2);
    QCOMPARE(sepformer.training.lr, 1.5e-4);
    QCOMPARE(sepformer.training.weightDecay, 0.0);
    QCOMPARE(sepformer.training.gradClipNorm, 5.0);
    QCOMPARE(sepformer.training.lrFactor, 0.5);
    QCOMPARE(sepformer.training.lrPatience, 2);
    QCOMPARE(sepformer.training.numEpochs, 50);
    QVERIFY(!sepformer.training.earlyStoppingPatience);
    QCOMPARE(sepformer.model.params.at("use_positional_encoding").get<bool>(), false);
    QCOMPARE(models::parameterCount(*models::createModel("sepformer", sepformer.model.params)),
             std::int64_t(25679361));

    const TrainConfig reduced = loadTrainConfig(dir + "/spmamba_sb_reduced.yaml");
    QVERIFY(reduced.warnings.empty());
    QCOMPARE(reduced.data.batchSize, 1);
    QCOMPARE(reduced.training.lr, 1e-3);
    QCOMPARE(reduced.training.weightDecay, 0.0);
    QCOMPARE(reduced.training.gradClipNorm, 2.0);
    QCOMPARE(reduced.training.lrFactor, 0.5);
    QCOMPARE(reduced.training.lrPatience, 2);
    QCOMPARE(reduced.training.numEpochs, 30);
    QVERIFY(!reduced.training.earlyStoppingPatience);
    QCOMPARE(reduced.training.curriculum.entries()[2].epoch, 5);
    QCOMPARE(models::parameterCount(*models::createModel("spmamba", reduced.model.params)),
             std::int64_t(1156368));

    const TrainConfig full = loadTrainConfig(dir + "/spmamba_sb.yaml");
    QVERIFY(full.warnings.empty());
    QCOMPARE(full.model.params.at("emb_ks").get<int>(), 8);
    QCOMPARE(*full.training.earlyStoppingPatience, 6);
    QCOMPARE(models::parameterCount(*models::createModel("spmamba", full.model.params)),
             std::int64_t(6094498));
}

void tst_TrainConfig::spmambaTakesItsSourceCountFromTheTask()
{
    const TrainConfig es = parseTrainConfig("data:\n  task: ES\nmodel:\n  model_type: spmamba\n",
                                            "cfg.yaml");
    QCOMPARE(es.model.params.at("n_srcs").get<int>(), 1);
    QVERIFY(!es.model.params.contains("C"));
    QCOMPARE(models::createModel("spmamba", es.model.params)->sources(), 1);
    // Sweep names reach the new models' hyperparameters.
    const TrainConfig set = parseTrainConfig("model:\n  model_type: sepformer\n",
                                             "cfg.yaml",
                                             {"use_positional_encoding=true", "nhead=4"});
    QCOMPARE(set.model.params.at("use_positional_encoding").get<bool>(), true);
    QCOMPARE(set.model.params.at("nhead").get<int>(), 4);
}

// The shipped plan templates were written for DPRNN; their stages must drive the other three
// models as they are (issue 7): every stage's overrides (the plan's and stage's `set`, a drawn
// value of every parameter, the data size and epochs), exactly as a trial's command line
// carries them, load against each model's baseline without an error or a warning.
void tst_TrainConfig::everyPlanTemplateAppliesToEveryModel()
{
    const std::string configs = SEPLAB_CONFIGS_DIR;
    const std::vector<std::string> models = {"dprnn_baseline.yaml",
                                             "convtasnet_baseline.yaml",
                                             "sepformer_baseline.yaml",
                                             "spmamba_sb_reduced.yaml",
                                             "spmamba_sb.yaml"};
    int checked = 0;
    for (const auto &entry : std::filesystem::directory_iterator(SEPLAB_PLANS_DIR)) {
        const std::string path = entry.path().string();
        std::vector<std::string> scales = {""};
        const std::vector<std::string> named = sweep::loadPlan(path).scales;
        scales.insert(scales.end(), named.begin(), named.end());
        for (const std::string &scale : scales) {
            const sweep::Plan plan = sweep::loadPlan(path, scale);
            // A stage derived from another (narrowed, validated) runs that stage's parameters.
            sweep::SearchSpace lastSpace;
            for (const sweep::StagePlan &stage : plan.stages) {
                if (stage.parametersGiven)
                    lastSpace = stage.sweep.parameters;
                data::SplitMix64 rng(std::uint64_t(checked) + 1);
                nlohmann::json params = nlohmann::json::object();
                for (const sweep::NamedParameter &parameter : lastSpace.parameters())
                    sweep::SearchSpace::assign(params, parameter, parameter.parameter.sample(rng));
                for (const std::string &model : models) {
                    sweep::TrialLaunch launch;
                    launch.seplabCli = "seplab-cli";
                    launch.baseConfig = configs + "/" + model;
                    launch.runDir = "/tmp/run";
                    for (const auto &[key, value] : plan.set.items())
                        launch.overrides.push_back(key + "=" + sweep::overrideText(value));
                    for (const auto &[key, value] : stage.set.items())
                        launch.overrides.push_back(key + "=" + sweep::overrideText(value));
                    launch.trainSamples = stage.trainSamples;
                    launch.epochs = stage.epochs;
                    const std::vector<std::string> argv = sweep::trialLaunchSpec(launch, params).argv;
                    std::vector<std::string> overrides;
                    for (std::size_t i = 0; i + 1 < argv.size(); ++i)
                        if (argv[i] == "--set")
                            overrides.push_back(argv[i + 1]);
                    const std::string where = entry.path().filename().string() + " scale '" + scale
                                              + "' stage " + stage.name + " on " + model;
                    try {
                        const TrainConfig config = loadTrainConfig(launch.baseConfig, overrides);
                        const std::string warning = config.warnings.empty()
                                                        ? std::string()
                                                        : config.warnings.front();
                        QVERIFY2(config.warnings.empty(), (where + ": " + warning).c_str());
                        if (stage.epochs)
                            QCOMPARE(config.training.numEpochs, *stage.epochs);
                    } catch (const std::invalid_argument &error) {
                        QFAIL((where + ": " + error.what()).c_str());
                    }
                    ++checked;
                }
            }
        }
    }
    // Templates of 4, 3 and 2 stages, each at full size and at its tiny scale, on 5 models.
    QCOMPARE(checked, (4 + 3 + 2) * 2 * 5);
}

QTEST_GUILESS_MAIN(tst_TrainConfig)
#include "tst_train_config.moc"
