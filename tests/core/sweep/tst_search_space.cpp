// The search space and the W&B sweep file: every users' sweep file parses, with exact values;
// nested parameters; deprecated forms warn; W&B's other keys are kept; and every mistake is one
// sentence naming file, line and parameter or key (YAML syntax errors with the column too).

#include "core/sweep/search_space.h"

#include <QtTest>

#include <filesystem>

using namespace seplab::sweep;
using nlohmann::json;

namespace {

const std::string kSweeps = std::string(SEPLAB_EXAMPLES_DIR) + "/wandb-sweeps";

std::string errorOf(const std::string &yaml)
{
    try {
        parseSweepConfig(yaml, "s.yaml");
    } catch (const std::invalid_argument &error) {
        return error.what();
    }
    return {};
}

std::vector<std::string> namesOf(const SearchSpace &space)
{
    std::vector<std::string> names;
    for (const auto &p : space.parameters())
        names.push_back(p.name);
    return names;
}

} // namespace

class tst_SearchSpace : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyUsersSweepFileParses();
    void stage1ReadsExactly();
    void conservativeStageReadsMedianStopping();
    void ashaReadsItsKeys();
    void gridStageReadsExactly();
    void nestedParametersFlattenAndWriteBack();
    void deprecatedLogFormsWarn();
    void otherWandbKeysAreKept();
    void searchSpaceFromJson();
    void errorsNameFileLineAndKey_data();
    void errorsNameFileLineAndKey();
    void yamlSyntaxErrorHasLineAndColumn();
};

void tst_SearchSpace::everyUsersSweepFileParses()
{
    int files = 0;
    for (const auto &entry : std::filesystem::directory_iterator(kSweeps)) {
        if (entry.path().extension() != ".yaml")
            continue;
        ++files;
        const SweepConfig config = loadSweepConfig(entry.path().string());
        QVERIFY2(config.warnings.empty(), entry.path().c_str());
        QVERIFY(config.method == "bayes" || config.method == "grid");
        QVERIFY(config.metric.has_value());
        QCOMPARE(config.metric->name, std::string("best_val_sisdr"));
        QVERIFY(config.metric->maximize());
        QVERIFY(config.earlyTerminate.has_value());
        QCOMPARE(config.program, std::string("train_sweep.py"));
        QCOMPARE(config.project, std::string("polsess-thesis-experiments"));
        QVERIFY(config.trainingConfig().rfind("experiments/dprnn/dprnn_", 0) == 0);
        QVERIFY(!config.parameters.empty());
    }
    QCOMPARE(files, 7);
}

void tst_SearchSpace::stage1ReadsExactly()
{
    const SweepConfig c = loadSweepConfig(kSweeps + "/dprnn-stage1-2k.yaml");
    QCOMPARE(c.method, std::string("bayes"));
    QCOMPARE(c.name, std::string("3-dprnn-subset-proxy-sweep"));
    QVERIFY(c.count.has_value());
    QCOMPARE(*c.count, std::int64_t(40));
    QVERIFY(!c.runCap.has_value());
    QVERIFY(!c.metric->target.has_value());
    QCOMPARE(c.metric->impute, std::string("worst"));
    QCOMPARE(c.trainingConfig(), std::string("experiments/dprnn/dprnn_subset.yaml"));

    const EarlyTerminate &et = *c.earlyTerminate;
    QVERIFY(et.type == EarlyTerminate::Type::Hyperband);
    QCOMPARE(et.minIter.value_or(-1), 10);
    QCOMPARE(et.s.value_or(-1), 2);
    QVERIFY(!et.maxIter.has_value());
    QCOMPARE(et.eta, 3.0);     // the default
    QCOMPARE(et.strict, true); // the current schema's default

    QCOMPARE(namesOf(c.parameters),
             (std::vector<std::string>{"config",
                                       "num_epochs",
                                       "seed",
                                       "early_stopping_patience",
                                       "lr",
                                       "weight_decay",
                                       "grad_clip_norm",
                                       "lr_factor",
                                       "lr_patience"}));
    const auto &ps = c.parameters;
    QVERIFY(ps.find("num_epochs")->parameter.isConstant());
    QCOMPARE(ps.find("num_epochs")->parameter.value(), json(50));
    QCOMPARE(ps.find("early_stopping_patience")->parameter.value(), json(12));
    QVERIFY(ps.find("seed")->parameter.distribution() == Distribution::Categorical);
    QCOMPARE(ps.find("seed")->parameter.values(), std::vector<json>{json(42)});
    const Parameter &lr = ps.find("lr")->parameter;
    QVERIFY(lr.distribution() == Distribution::LogUniformValues);
    QCOMPARE(lr.min(), 1e-5);
    QCOMPARE(lr.max(), 1e-2);
    QVERIFY(lr.isLog());
    const Parameter &wd = ps.find("weight_decay")->parameter;
    QVERIFY(wd.distribution() == Distribution::LogUniformValues);
    QCOMPARE(wd.min(), 1e-7);
    QCOMPARE(wd.max(), 1e-3);
    const Parameter &clip = ps.find("grad_clip_norm")->parameter;
    QVERIFY(clip.distribution() == Distribution::Uniform);
    QCOMPARE(clip.min(), 0.1);
    QCOMPARE(clip.max(), 15.0);
    const Parameter &factor = ps.find("lr_factor")->parameter;
    QVERIFY(factor.distribution() == Distribution::Uniform);
    QCOMPARE(factor.min(), 0.3);
    QCOMPARE(factor.max(), 0.95);
    QCOMPARE(ps.find("lr_patience")->parameter.values(),
             (std::vector<json>{json(2), json(3), json(4), json(5), json(6)}));
    // Lines point into the file.
    QCOMPARE(ps.find("config")->line, 11);
    QCOMPARE(ps.find("lr")->line, 19);
}

void tst_SearchSpace::conservativeStageReadsMedianStopping()
{
    const SweepConfig c = loadSweepConfig(kSweeps + "/dprnn-stage3-8k-conservative.yaml");
    QCOMPARE(c.name, std::string("3-dprnn-stage3-8k-conservative"));
    QVERIFY(!c.count.has_value());
    const EarlyTerminate &et = *c.earlyTerminate;
    QVERIFY(et.type == EarlyTerminate::Type::MedianStopping);
    QCOMPARE(et.minRunTime, 1200.0);
    QCOMPARE(et.minStep, 20);
    QCOMPARE(et.patience, 5);
    QCOMPARE(c.trainingConfig(), std::string("experiments/dprnn/dprnn_8000.yaml"));
    QCOMPARE(c.parameters.find("num_epochs")->parameter.value(), json(80));
    const Parameter &lr = c.parameters.find("lr")->parameter;
    QCOMPARE(lr.min(), 0.0006);
    QCOMPARE(lr.max(), 0.0025);
    const Parameter &wd = c.parameters.find("weight_decay")->parameter;
    QCOMPARE(wd.min(), 1.53e-7);
    QCOMPARE(wd.max(), 2e-4);
    QCOMPARE(c.parameters.find("grad_clip_norm")->parameter.max(), 14.0);
    QCOMPARE(c.parameters.find("lr_factor")->parameter.min(), 0.30);
    QCOMPARE(c.parameters.find("lr_factor")->parameter.max(), 0.90);
    QCOMPARE(c.parameters.find("lr_patience")->parameter.values(),
             (std::vector<json>{json(2), json(3), json(4), json(5)}));
}

void tst_SearchSpace::ashaReadsItsKeys()
{
    const SweepConfig c = parseSweepConfig("method: random\n"
                                           "early_terminate:\n"
                                           "  type: asha\n"
                                           "  min_iter: 2\n"
                                           "  eta: 4\n"
                                           "  max_iter: 40\n"
                                           "parameters:\n"
                                           "  a: {value: 1}\n",
                                           "s.yaml");
    const EarlyTerminate &et = *c.earlyTerminate;
    QVERIFY(et.type == EarlyTerminate::Type::Asha);
    QCOMPARE(et.minIter.value_or(-1), 2);
    QCOMPARE(et.maxIter.value_or(-1), 40);
    QCOMPARE(et.eta, 4.0);
    // eta defaults to 3 and max_iter stays unset.
    const SweepConfig d = parseSweepConfig(
        "method: random\nearly_terminate:\n  type: asha\n  min_iter: 1\nparameters:\n"
        "  a: {value: 1}\n",
        "s.yaml");
    QCOMPARE(d.earlyTerminate->eta, 3.0);
    QVERIFY(!d.earlyTerminate->maxIter.has_value());
}

void tst_SearchSpace::gridStageReadsExactly()
{
    const SweepConfig c = loadSweepConfig(kSweeps + "/dprnn-expB-lr-grid-config1.yaml");
    QCOMPARE(c.method, std::string("grid"));
    const EarlyTerminate &et = *c.earlyTerminate;
    QVERIFY(et.type == EarlyTerminate::Type::Hyperband);
    QCOMPARE(et.minIter.value_or(-1), 35);
    QCOMPARE(et.s.value_or(-1), 2);
    QCOMPARE(et.eta, 3.0);
    QCOMPARE(namesOf(c.parameters),
             (std::vector<std::string>{
                 "config", "lr_factor", "lr_patience", "lr", "weight_decay", "grad_clip_norm"}));
    QCOMPARE(c.parameters.find("lr_factor")->parameter.values(),
             (std::vector<json>{json(0.40), json(0.55), json(0.70), json(0.85)}));
    QCOMPARE(c.parameters.find("lr")->parameter.value(), json(0.0013022829463705673));
    QCOMPARE(c.parameters.find("weight_decay")->parameter.value(), json(0.00003500049789365491));
    QCOMPARE(c.parameters.find("grad_clip_norm")->parameter.value(), json(6.6255212143559845));

    const SweepConfig proxy = loadSweepConfig(kSweeps + "/dprnn-expB-proxy-16k.yaml");
    QCOMPARE(proxy.earlyTerminate->minIter.value_or(-1), 6);
    QCOMPARE(proxy.parameters.find("num_epochs")->parameter.value(), json(20));
}

void tst_SearchSpace::nestedParametersFlattenAndWriteBack()
{
    const std::string yaml = "optimizer:\n"
                             "  parameters:\n"
                             "    lr:\n"
                             "      distribution: log_uniform_values\n"
                             "      min: 1.0e-5\n"
                             "      max: 1.0e-2\n"
                             "    kind:\n"
                             "      values: [adam, sgd]\n"
                             "batch_size:\n"
                             "  values: [8, 16]\n";
    const SearchSpace space = SearchSpace::parse(yaml, "p.yaml");
    QCOMPARE(namesOf(space),
             (std::vector<std::string>{"optimizer.lr", "optimizer.kind", "batch_size"}));
    QCOMPARE(space.find("optimizer.kind")->path, (std::vector<std::string>{"optimizer", "kind"}));
    QCOMPARE(space.find("optimizer.kind")->line, 7);
    // W&B's order: sorted by path.
    const auto order = space.sortedOrder();
    QCOMPARE(order, (std::vector<std::size_t>{2, 1, 0}));

    const json written = space.toJson();
    QCOMPARE(written.at("optimizer").at("parameters").at("kind").at("values"),
             json::parse(R"(["adam", "sgd"])"));
    const SearchSpace back = SearchSpace::fromJson(written);
    QCOMPARE(back.toJson(), written);
    QCOMPARE(back.size(), std::size_t(3));

    json config = json::object();
    SearchSpace::assign(config, *space.find("optimizer.lr"), 0.5);
    SearchSpace::assign(config, *space.find("batch_size"), 8);
    QCOMPARE(config, json::parse(R"({"optimizer": {"lr": 0.5}, "batch_size": 8})"));
}

void tst_SearchSpace::deprecatedLogFormsWarn()
{
    const SearchSpace space = SearchSpace::parse("lr:\n"
                                                 "  distribution: log_uniform\n"
                                                 "  min: -9.2\n"
                                                 "  max: -4.6\n",
                                                 "p.yaml");
    QCOMPARE(space.warnings.size(), std::size_t(1));
    QCOMPARE(space.warnings[0],
             std::string("p.yaml line 1: parameter 'lr': log_uniform takes natural-log exponents "
                         "as min and max and W&B's current validator rejects it; prefer "
                         "log_uniform_values."));
}

void tst_SearchSpace::otherWandbKeysAreKept()
{
    const SweepConfig c
        = parseSweepConfig("method: random\n"
                           "description: a test\n"
                           "entity: lab\n"
                           "run_cap: 12\n"
                           "controller:\n"
                           "  type: local\n"
                           "command: [\"${env}\", python, \"${program}\", \"${args}\"]\n"
                           "metric: {name: loss, target: 0.1}\n"
                           "early_terminate:\n"
                           "  type: hyperband\n"
                           "  max_iter: 27\n"
                           "  s: 2\n"
                           "  strict: false\n"
                           "parameters:\n"
                           "  x: {min: 0.0, max: 1.0}\n",
                           "s.yaml");
    QCOMPARE(c.description, std::string("a test"));
    QCOMPARE(c.entity, std::string("lab"));
    QCOMPARE(c.runCap.value_or(0), std::int64_t(12));
    QCOMPARE(c.other.at("controller"), json::parse(R"({"type": "local"})"));
    QCOMPARE(c.command, (std::vector<std::string>{"${env}", "python", "${program}", "${args}"}));
    QCOMPARE(c.metric->goal, std::string("minimize"));
    QCOMPARE(c.metric->target.value_or(0), 0.1);
    QCOMPARE(c.earlyTerminate->maxIter.value_or(0), 27);
    QCOMPARE(c.earlyTerminate->strict, false);
    QVERIFY(c.trainingConfig().empty());
}

void tst_SearchSpace::searchSpaceFromJson()
{
    const SearchSpace space = SearchSpace::fromJson(
        json::parse(R"({"b": {"values": [1, 2]}, "a": {"min": 0, "max": 3}})"));
    QCOMPARE(space.size(), std::size_t(2));
    QVERIFY(space.find("a")->parameter.distribution() == Distribution::IntUniform);
    try {
        SearchSpace::fromJson(json::parse(R"({"a": {"min": 3, "max": 0}})"), "plan.yaml");
        QFAIL("no error");
    } catch (const std::invalid_argument &error) {
        QCOMPARE(std::string(error.what()),
                 std::string("plan.yaml: parameter 'a': min (3) must be less than max (0)."));
    }
}

void tst_SearchSpace::errorsNameFileLineAndKey_data()
{
    QTest::addColumn<QString>("yaml");
    QTest::addColumn<QString>("message");
    auto row = [](const char *name, const char *yaml, const char *message) {
        QTest::newRow(name) << yaml << message;
    };
    row("min >= max",
        "method: bayes\nparameters:\n  lr:\n    min: 0.01\n    max: 0.001\n",
        "s.yaml line 4: parameter 'lr': min (0.01) must be less than max (0.001).");
    row("empty values",
        "method: grid\nparameters:\n  a:\n    values: []\n",
        "s.yaml line 4: parameter 'a': 'values' must not be empty.");
    row("non-positive log bound",
        "method: random\nparameters:\n  lr:\n    distribution: log_uniform_values\n    min: 0\n"
        "    max: 1\n",
        "s.yaml line 5: parameter 'lr': log_uniform_values needs a positive min, not 0.");
    row("unknown key in a parameter",
        "method: random\nparameters:\n  lr:\n    min: 1\n    max: 2\n    step: 1\n",
        "s.yaml line 6: parameter 'lr': unknown key 'step'.");
    row("missing key",
        "method: random\nparameters:\n  lr:\n    distribution: uniform\n    min: 1\n",
        "s.yaml line 3: parameter 'lr': uniform needs 'max'.");
    row("extra key",
        "method: random\nparameters:\n  lr:\n    distribution: uniform\n    min: 1\n    max: 2\n"
        "    q: 1\n",
        "s.yaml line 7: parameter 'lr': uniform takes no 'q'.");
    row("probabilities not summing to 1",
        "method: random\nparameters:\n  a:\n    values: [1, 2]\n    probabilities: [0.5, 0.6]\n",
        "s.yaml line 5: parameter 'a': 'probabilities' must sum to 1, not 1.1.");
    row("nested parameter",
        "method: random\nparameters:\n  opt:\n    parameters:\n      lr:\n        min: 2\n"
        "        max: 1\n",
        "s.yaml line 6: parameter 'opt.lr': min (2) must be less than max (1).");
    row("nested with other keys",
        "method: random\nparameters:\n  opt:\n    parameters:\n      lr: {value: 1}\n    value: "
        "3\n",
        "s.yaml line 6: parameter 'opt': a nested parameter takes only 'parameters', not 'value'.");
    row("parameter not a mapping",
        "method: random\nparameters:\n  lr: 0.1\n",
        "s.yaml line 3: parameter 'lr' must be a mapping such as {values: [...]} or {min: ..., "
        "max: "
        "...}.");
    row("bad parameter name",
        "method: random\nparameters:\n  1lr: {value: 1}\n",
        "s.yaml line 3: parameter name '1lr' must match [A-Za-z_][A-Za-z0-9_.-]*.");
    row("no parameters",
        "method: random\nparameters: {}\n",
        "s.yaml line 2: 'parameters' must be a mapping of at least one parameter name to its "
        "spec.");
    row("parameters missing", "method: random\nname: x\n", "s.yaml: 'parameters' is required.");
    row("unknown top-level key",
        "method: bayes\nparameters:\n  a: {value: 1}\nmetrc:\n  name: x\n",
        "s.yaml line 4: unknown top-level key 'metrc' (W&B's sweep schema allows no other keys).");
    row("top-level config",
        "method: bayes\nconfig: x.yaml\nparameters:\n  a: {value: 1}\n",
        "s.yaml line 2: unknown top-level key 'config' (W&B's sweep schema allows no other keys).");
    row("missing method",
        "parameters:\n  a: {value: 1}\n",
        "s.yaml: 'method' is required (grid, random or bayes).");
    row("unknown method",
        "method: tpe\nparameters:\n  a: {value: 1}\n",
        "s.yaml line 1: 'method' must be grid, random, bayes or custom, not 'tpe'.");
    row("custom without scheduler",
        "method: custom\nparameters:\n  a: {value: 1}\n",
        "s.yaml line 1: 'method' may be custom only together with 'scheduler'.");
    row("metric goal",
        "method: bayes\nmetric:\n  name: loss\n  goal: max\nparameters:\n  a: {value: 1}\n",
        "s.yaml line 4: 'metric.goal' must be minimize or maximize, not 'max'.");
    row("metric without name",
        "method: bayes\nmetric:\n  goal: maximize\nparameters:\n  a: {value: 1}\n",
        "s.yaml line 3: 'metric.name' is required.");
    row("metric unknown key",
        "method: bayes\nmetric:\n  name: loss\n  mode: max\nparameters:\n  a: {value: 1}\n",
        "s.yaml line 4: unknown key 'metric.mode' in 'metric'.");
    row("hyperband eta",
        "method: bayes\nearly_terminate:\n  type: hyperband\n  min_iter: 3\n  eta: 1\n"
        "parameters:\n  a: {value: 1}\n",
        "s.yaml line 5: 'early_terminate.eta' must be greater than 1, not 1.");
    row("hyperband without bands",
        "method: bayes\nearly_terminate:\n  type: hyperband\n  max_iter: 27\nparameters:\n"
        "  a: {value: 1}\n",
        "s.yaml line 3: hyperband needs 'min_iter', or 'max_iter' and 's'.");
    row("hyperband min_iter 0",
        "method: bayes\nearly_terminate:\n  type: hyperband\n  min_iter: 0\nparameters:\n"
        "  a: {value: 1}\n",
        "s.yaml line 4: 'early_terminate.min_iter' must be at least 1, not 0.");
    row("hyperband unknown key",
        "method: bayes\nearly_terminate:\n  type: hyperband\n  minimum_iter: 3\nparameters:\n"
        "  a: {value: 1}\n",
        "s.yaml line 4: unknown key 'early_terminate.minimum_iter' in hyperband's "
        "'early_terminate'.");
    row("unknown early_terminate type",
        "method: bayes\nearly_terminate:\n  type: pbt\nparameters:\n  a: {value: 1}\n",
        "s.yaml line 3: 'early_terminate.type' must be hyperband, median_stopping or asha, not "
        "'pbt'.");
    row("asha without min_iter",
        "method: bayes\nearly_terminate:\n  type: asha\n  eta: 2\nparameters:\n  a: {value: 1}\n",
        "s.yaml line 3: asha needs 'min_iter'.");
    row("asha max_iter not above min_iter",
        "method: bayes\nearly_terminate:\n  type: asha\n  min_iter: 4\n  max_iter: 4\n"
        "parameters:\n  a: {value: 1}\n",
        "s.yaml line 5: 'early_terminate.max_iter' must be greater than min_iter (4), not 4.");
    row("asha takes no strict",
        "method: bayes\nearly_terminate:\n  type: asha\n  min_iter: 1\n  strict: true\n"
        "parameters:\n  a: {value: 1}\n",
        "s.yaml line 5: unknown key 'early_terminate.strict' in asha's 'early_terminate'.");
    row("median_stopping patience",
        "method: bayes\nearly_terminate:\n  type: median_stopping\n  patience: -1\nparameters:\n"
        "  a: {value: 1}\n",
        "s.yaml line 4: 'early_terminate.patience' must be at least 0, not -1.");
    row("run_cap",
        "method: random\nrun_cap: 0\nparameters:\n  a: {value: 1}\n",
        "s.yaml line 2: 'run_cap' must be at least 1, not 0.");
    row("count",
        "method: random\ncount: 2.5\nparameters:\n  a: {value: 1}\n",
        "s.yaml line 2: 'count' must be a whole number, not 2.5.");
    row("command",
        "method: random\ncommand: python train.py\nparameters:\n  a: {value: 1}\n",
        "s.yaml line 2: 'command' must be a list of words such as ${env}, ${program}, ${args}.");
    row("not a mapping",
        "- method\n",
        "s.yaml: a W&B sweep file must be a mapping with 'method' and 'parameters'.");
}

void tst_SearchSpace::errorsNameFileLineAndKey()
{
    QFETCH(QString, yaml);
    QFETCH(QString, message);
    QCOMPARE(QString::fromStdString(errorOf(yaml.toStdString())), message);
}

void tst_SearchSpace::yamlSyntaxErrorHasLineAndColumn()
{
    QCOMPARE(errorOf("method: bayes\nparameters:\n  lr: {min: 1, max: 2\n"),
             std::string("s.yaml line 4, column 1: YAML syntax error: end of map flow not found."));
    QCOMPARE(QString::fromStdString(errorOf("method: bayes\n  bad: [\n")).left(26),
             QString("s.yaml line 2, column 6: Y"));
}

QTEST_GUILESS_MAIN(tst_SearchSpace)
#include "tst_search_space.moc"
