// writeExperimentLog on a small hand-made plan: a 7-trial random search at 2K samples and a
// validation of its top 2 over 3 seeds at 4K. Every expected line below is computed by hand
// in the comments (means, sample stds, gains, Pearson, hours).

#include "core/report/experiment_log.h"
#include "core/report/plots.h"

#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

using namespace seplab::report;
using nlohmann::json;

namespace {

namespace fs = std::filesystem;

ReportTrial trial(const std::string &name,
                  const std::string &state,
                  double lr,
                  double clip,
                  std::optional<double> best,
                  double runtime,
                  int epochs)
{
    ReportTrial t;
    t.name = name;
    t.state = state;
    t.params = json{{"lr", lr}, {"grad_clip", clip}};
    t.best = best;
    t.runtimeSeconds = runtime;
    t.epochs = epochs;
    t.seed = 7;
    t.device = "cuda:0";
    // A rising curve that ends at the best value, one point per epoch.
    for (int epoch = 1; best && epoch <= epochs; ++epoch)
        t.curve.emplace_back(epoch, *best - 0.5 * (epochs - epoch));
    return t;
}

ReportTrial seedRun(const std::string &name,
                    const std::string &group,
                    std::int64_t seed,
                    const std::string &state,
                    std::optional<double> best,
                    double runtime)
{
    const double lr = group == "stage1-003" ? 1e-3 : 1e-4;
    const double clip = group == "stage1-003" ? 2.0 : 5.0;
    ReportTrial t = trial(name, state, lr, clip, best, runtime, 4);
    t.curve.clear(); // validation without curves: no stage2-curves.png
    t.group = group;
    t.seed = seed;
    return t;
}

ReportInput twoStagePlan()
{
    ReportInput input;
    input.planName = "tiny-2stage";
    input.metricName = "si_sdr";
    input.maximize = true;
    input.model = "DPRNN";
    input.task = "SB";
    input.generatedAt = "2026-11-26 18:00";

    ReportStage search;
    search.name = "stage1";
    search.kind = "search";
    search.method = "random";
    search.earlyTerminate = "hyperband min_iter 2, eta 3, strict";
    search.trainSamples = 2000;
    search.epochs = 4;
    search.wallSeconds = 7200;
    search.space = {{"lr", true, "[1e-05, 0.01] log_uniform_values"},
                    {"grad_clip", false, "[0.5, 20] uniform"}};
    search.trials = {trial("stage1-001", "finished", 1e-4, 5, 3.5, 1800, 4),
                     trial("stage1-002", "stopped", 1e-5, 10, 1.0, 900, 2),
                     trial("stage1-003", "finished", 1e-3, 2, 4.2, 1800, 4),
                     trial("stage1-004", "failed", 1e-2, 15, std::nullopt, 360, 1),
                     trial("stage1-005", "finished", 1e-2, 8, 2.3, 1500, 4),
                     trial("stage1-006", "finished", 1e-3, 4, 3.9, 1800, 4),
                     trial("stage1-007", "finished", 1e-4, 12, 2.9, 1800, 4)};

    ReportStage validate;
    validate.name = "stage2";
    validate.kind = "validate";
    validate.trainSamples = 4000;
    validate.epochs = 4;
    validate.wallSeconds = 10800;
    validate.previousStage = "stage1";
    validate.provenance = {"stage1-003, stage1-001: top 2 of stage1 by si_sdr, 3 seeds each"};
    validate.trials = {seedRun("stage2-001", "stage1-003", 42, "finished", 4.65, 3600),
                       seedRun("stage2-002", "stage1-003", 123, "finished", 4.62, 3600),
                       seedRun("stage2-003", "stage1-003", 456, "finished", 4.75, 3600),
                       seedRun("stage2-004", "stage1-001", 42, "finished", 4.10, 3600),
                       seedRun("stage2-005", "stage1-001", 123, "finished", 4.30, 3600),
                       seedRun("stage2-006", "stage1-001", 456, "failed", std::nullopt, 600)};
    input.stages = {search, validate};
    return input;
}

std::string readFile(const fs::path &path)
{
    std::ifstream file(path, std::ios::binary);
    std::stringstream text;
    text << file.rdbuf();
    return text.str();
}

std::vector<std::string> lines(const std::string &text)
{
    std::vector<std::string> out;
    std::istringstream stream(text);
    for (std::string line; std::getline(stream, line);)
        out.push_back(line);
    return out;
}

bool hasLine(const std::vector<std::string> &all, const std::string &line)
{
    return std::find(all.begin(), all.end(), line) != all.end();
}

const std::string *lineStartingWith(const std::vector<std::string> &all, const std::string &start)
{
    for (const std::string &line : all)
        if (line.rfind(start, 0) == 0)
            return &line;
    return nullptr;
}

} // namespace

class tst_ExperimentLog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void writesTheListedFiles();
    void overviewAndStrategy();
    void searchStageSection();
    void validationTableIsComputedFromTheSeeds();
    void insightsAndComputeHours();
    void csvFilesHoldEveryTrial();
    void plotsArePngsOrSaidToBeSkipped();
    void unwritableFolderNamesThePath();
    void forEachStageShowsTheBestPerConfig();
    void divergedNaNRanksNowhere();
    void externalProgramStagesShowWhatTheirTrialsRan();
    void badInputIsRefused();

private:
    std::string write(const ReportInput &input, ReportOutput *output = nullptr);
    QTemporaryDir m_dir;
};

std::string tst_ExperimentLog::write(const ReportInput &input, ReportOutput *output)
{
    const std::string out = (fs::path(m_dir.path().toStdString()) / "report").string();
    const ReportOutput written = writeExperimentLog(input, out);
    if (output)
        *output = written;
    return out;
}

void tst_ExperimentLog::writesTheListedFiles()
{
    ReportOutput output;
    const fs::path out = write(twoStagePlan(), &output);
    std::vector<std::string> expected = {(out / "experiment-log.md").string(),
                                         (out / "trials.csv").string(),
                                         (out / "validation.csv").string(),
                                         (out / "insights.csv").string()};
    if (plotsSupported()) {
        // stage2 has no curves, so it gets no curves plot; both parameters vary.
        for (const char *plot :
             {"stage1-curves.png", "lr-scatter.png", "grad_clip-scatter.png", "importance.png"})
            expected.push_back((out / "plots" / plot).string());
        QVERIFY(output.warnings.empty());
    } else {
        QCOMPARE(output.warnings.size(), std::size_t(1));
    }
    std::vector<std::string> files = output.files;
    std::sort(files.begin(), files.end());
    std::sort(expected.begin(), expected.end());
    QCOMPARE(files, expected);
    for (const std::string &file : files)
        QVERIFY2(fs::file_size(file) > 0, file.c_str());
}

void tst_ExperimentLog::overviewAndStrategy()
{
    const auto md = lines(readFile(fs::path(write(twoStagePlan())) / "experiment-log.md"));
    QCOMPARE(md.front(), std::string("# tiny-2stage - Experiment Log"));
    QVERIFY(hasLine(md, "**Model**: DPRNN  "));
    QVERIFY(hasLine(md, "**Task**: SB  "));
    QVERIFY(hasLine(md, "**Metric**: si_sdr (maximize)  "));
    QVERIFY(
        hasLine(md, "| Stage | Kind | Method | Data → Epochs | Trials | Best si_sdr | Compute |"));
    // Compute: 1800+900+1800+360+1500+1800+1800 = 9960 s = 2.77 h; 5 * 3600 + 600 = 5.17 h.
    QVERIFY(hasLine(md, "| stage1 | search | random | 2K → 4 epochs | 7 | 4.20 dB | 2.8h |"));
    QVERIFY(hasLine(md, "| stage2 | validate | - | 4K → 4 epochs | 6 | 4.67 dB (mean) | 5.2h |"));
}

void tst_ExperimentLog::searchStageSection()
{
    const auto md = lines(readFile(fs::path(write(twoStagePlan())) / "experiment-log.md"));
    QVERIFY(hasLine(md, "## Stage stage1: search (random), 2K samples, 4 epochs"));
    QVERIFY(hasLine(md, "| Runs | 7 (5 finished) |"));
    QVERIFY(hasLine(md, "| Stopped | 1 |"));
    QVERIFY(hasLine(md, "| Failed | 1 |"));
    QVERIFY(hasLine(md, "| Best si_sdr | **4.20 dB** (stage1-003) |"));
    QVERIFY(hasLine(md, "| Runtime | 2.0h wall |"));
    QVERIFY(hasLine(md, "| Compute | 2.8h (sum of trial runtimes) |"));
    QVERIFY(hasLine(md, "| Early Termination | hyperband min_iter 2, eta 3, strict |"));
    QVERIFY(hasLine(md, "**Search Space** (given):"));
    QVERIFY(hasLine(md, "- lr: [1e-05, 0.01] log_uniform_values"));
    QVERIFY(hasLine(md, "- grad_clip: [0.5, 20] uniform"));
    // Top 5 of the six trials with a value: 4.2, 3.9, 3.5, 2.9, 2.3 (1.0 is sixth).
    QVERIFY(hasLine(md, "**Top 5 trials**:"));
    QVERIFY(
        hasLine(md,
                "| Rank | Trial | State | si_sdr | Epochs | Device | s/epoch | grad_clip | lr |"));
    QVERIFY(hasLine(md, "| 1 | stage1-003 | finished | 4.20 dB | 4 | cuda:0 | 450 | 2 | 0.001 |"));
    QVERIFY(hasLine(md, "| 2 | stage1-006 | finished | 3.90 dB | 4 | cuda:0 | 450 | 4 | 0.001 |"));
    QVERIFY(hasLine(md, "| 5 | stage1-005 | finished | 2.30 dB | 4 | cuda:0 | 375 | 8 | 0.01 |"));
    QVERIFY(!lineStartingWith(md, "| 6 |"));
    QVERIFY(!lineStartingWith(md, "| 1 | stage1-002"));
}

void tst_ExperimentLog::validationTableIsComputedFromTheSeeds()
{
    const auto md = lines(readFile(fs::path(write(twoStagePlan())) / "experiment-log.md"));
    QVERIFY(hasLine(md, "## Stage stage2: validate, 4K samples, 4 epochs"));
    QVERIFY(hasLine(md, "| Runs | 6 (5 finished) |"));
    QVERIFY(hasLine(md, "| Best si_sdr | **4.75 dB** (stage2-003) |"));
    QVERIFY(hasLine(md, "**How the configs were chosen**:"));
    QVERIFY(hasLine(md, "- stage1-003, stage1-001: top 2 of stage1 by si_sdr, 3 seeds each"));
    QVERIFY(hasLine(md, "| Rank | Config | Mean si_sdr | Std | 2K→4K Gain | Individual Results |"));
    // stage1-003: mean (4.65 + 4.62 + 4.75) / 3 = 4.6733; deviations -0.0233, -0.0533,
    // +0.0767 -> squares sum 0.009267, / 2 = 0.004633, sqrt = 0.068; gain 4.6733 - 4.20 = 0.47.
    QVERIFY(hasLine(md, "| 1 | stage1-003 | 4.67 dB | 0.07 | +0.47 dB | 4.65, 4.62, 4.75 dB |"));
    // stage1-001: seed 456 failed, so mean (4.10 + 4.30) / 2 = 4.20, std sqrt(0.02) = 0.141,
    // gain 4.20 - 3.50 = 0.70.
    QVERIFY(hasLine(md,
                    "| 2 | stage1-001 | 4.20 dB | 0.14 | +0.70 dB | 4.10, 4.30 dB (seed 456: "
                    "failed) |"));
    QVERIFY(hasLine(md, "**Winner**: stage1-003 (4.67 dB mean over 3 seeds)"));
    QVERIFY(hasLine(md, "- grad_clip: 2 | lr: 0.001"));
}

void tst_ExperimentLog::insightsAndComputeHours()
{
    const fs::path out = write(twoStagePlan());
    const auto md = lines(readFile(out / "experiment-log.md"));
    QVERIFY(hasLine(md, "## Key Hyperparameter Insights"));
    QVERIFY(lineStartingWith(md, "From 6 finished or stopped runs across stage1."));
    // Over the 6 finished/stopped search runs (001, 002, 003, 005, 006, 007), metric y =
    // 3.5, 1.0, 4.2, 2.3, 3.9, 2.9 (mean 2.9667, Syy = 6.9933):
    // log10 lr = -4, -5, -3, -2, -3, -4 (mean -3.5, Sxx = 5.5, Sxy = 2.8)
    //   -> r = 2.8 / sqrt(5.5 * 6.9933) = +0.451;
    // grad_clip = 5, 10, 2, 8, 4, 12 (Sxx = 72.833, Sxy = -16.933) -> r = -0.750.
    // Top 10% of 6 runs, at least 2: stage1-003 (lr 1e-3, clip 2), stage1-006 (1e-3, 4).
    const std::string *lr = lineStartingWith(md, "| lr (log) | +0.45 | ");
    const std::string *clip = lineStartingWith(md, "| grad_clip | -0.75 | ");
    QVERIFY(lr && clip);
    QVERIFY2(QString::fromStdString(*lr).endsWith(" | [0.001, 0.001] (2 runs) |"), lr->c_str());
    QVERIFY2(QString::fromStdString(*clip).endsWith(" | [2, 4] (2 runs) |"), clip->c_str());

    // insights.csv: the two importances sum to 1.
    const auto csv = lines(readFile(out / "insights.csv"));
    QCOMPARE(csv.size(), std::size_t(3));
    QCOMPARE(csv[0],
             std::string("parameter,log,samples,pearson,importance,top_count,top_min,"
                         "top_max\r"));
    double importanceSum = 0;
    for (std::size_t i = 1; i < csv.size(); ++i) {
        const QStringList fields = QString::fromStdString(csv[i]).trimmed().split(',');
        QCOMPARE(fields.size(), 8);
        importanceSum += fields[4].toDouble();
        if (fields[0] == "lr") {
            QCOMPARE(fields[1], QString("true"));
            QVERIFY(std::fabs(fields[3].toDouble() - 0.451476) < 1e-6);
        } else {
            QCOMPARE(fields[0], QString("grad_clip"));
            QVERIFY(std::fabs(fields[3].toDouble() + 0.750301) < 1e-6);
        }
    }
    QVERIFY(std::fabs(importanceSum - 1.0) < 1e-9);

    // Compute hours: 9960 s + 18600 s = 28560 s = 7.93 h; wall 2.0 h + 3.0 h.
    QVERIFY(hasLine(md, "## Compute Hours"));
    QVERIFY(hasLine(md, "| stage1 | 7 | 2.0h | 2.8h |"));
    QVERIFY(hasLine(md, "| stage2 | 6 | 3.0h | 5.2h |"));
    QVERIFY(hasLine(md, "| **Total** | 13 | 5.0h | **7.9h** |"));
}

void tst_ExperimentLog::csvFilesHoldEveryTrial()
{
    const fs::path out = write(twoStagePlan());
    const std::string trials = readFile(out / "trials.csv");
    const auto rows = lines(trials);
    QCOMPARE(rows.size(), std::size_t(1 + 7 + 6));
    QCOMPARE(rows[0],
             std::string("stage,trial,state,group,best,epochs,runtime_s,seed,device,"
                         "train_samples_note,grad_clip,lr\r"));
    QVERIFY(trials.find("stage1,stage1-003,finished,,4.2,4,1800.0,7,cuda:0,,2.0,0.001\r\n")
            != std::string::npos);
    QVERIFY(trials.find("stage1,stage1-004,failed,,,1,360.0,7,cuda:0,,15.0,0.01\r\n")
            != std::string::npos);
    QVERIFY(trials.find("stage2,stage2-006,failed,stage1-001,,4,600.0,456,cuda:0,,5.0,0.0001\r\n")
            != std::string::npos);

    const auto validation = lines(readFile(out / "validation.csv"));
    QCOMPARE(validation.size(), std::size_t(3));
    QCOMPARE(validation[0],
             std::string("stage,rank,config,mean,std,previous_stage,"
                         "previous_best,gain,finished,seeds,results\r"));
    QVERIFY(validation[1].rfind("stage2,1,stage1-003,4.6733", 0) == 0);
    QVERIFY(validation[1].find(",stage1,4.2,0.47333") != std::string::npos);
    QVERIFY(QString::fromStdString(validation[1]).endsWith(",3,42;123;456,4.65;4.62;4.75\r"));
    // (4.1 + 4.3) / 2 is 4.199999999999999 in binary; the CSV keeps what was computed.
    const QStringList second = QString::fromStdString(validation[2]).trimmed().split(',');
    QCOMPARE(second.mid(0, 3), QStringList({"stage2", "2", "stage1-001"}));
    QVERIFY(std::fabs(second[3].toDouble() - 4.2) < 1e-12);
    QVERIFY(std::fabs(second[4].toDouble() - std::sqrt(0.02)) < 1e-12);
    QVERIFY(QString::fromStdString(validation[2]).endsWith(",2,42;123;456,4.1;4.3;failed\r"));
}

void tst_ExperimentLog::plotsArePngsOrSaidToBeSkipped()
{
    const fs::path out = write(twoStagePlan());
    const auto md = lines(readFile(out / "experiment-log.md"));
    const std::string skipped = "_Plots skipped: this SepLab was built without cairo, so no PNG "
                                "plots were written._";
    if (!plotsSupported()) {
        QVERIFY(hasLine(md, skipped));
        QVERIFY(!fs::exists(out / "plots"));
        return;
    }
    QVERIFY(!hasLine(md, skipped));
    QVERIFY(hasLine(md, "![stage1: si_sdr per epoch](plots/stage1-curves.png)"));
    QVERIFY(hasLine(md, "![importance](plots/importance.png)"));
    QVERIFY(hasLine(md, "![lr vs si_sdr](plots/lr-scatter.png)"));
    QVERIFY(!fs::exists(out / "plots" / "stage2-curves.png"));
    const std::string signature = "\x89PNG\r\n\x1a\n";
    for (const char *plot :
         {"stage1-curves.png", "lr-scatter.png", "grad_clip-scatter.png", "importance.png"}) {
        const std::string bytes = readFile(out / "plots" / plot);
        QVERIFY2(bytes.size() > 1000, plot);
        QCOMPARE(bytes.substr(0, 8), signature);
    }
}

void tst_ExperimentLog::unwritableFolderNamesThePath()
{
    // A regular file where the folder should be: create_directories fails even for root.
    const fs::path blocker = fs::path(m_dir.path().toStdString()) / "blocker";
    std::ofstream(blocker) << "not a folder";
    const std::string out = (blocker / "report").string();
    try {
        writeExperimentLog(twoStagePlan(), out);
        QFAIL("writeExperimentLog wrote under a regular file");
    } catch (const std::runtime_error &error) {
        QVERIFY2(std::string(error.what()).find(out) != std::string::npos, error.what());
    }
}

void tst_ExperimentLog::forEachStageShowsTheBestPerConfig()
{
    // Exp B's pattern: a grid over lr_factor around each promoted config of stage1.
    ReportInput input = twoStagePlan();
    ReportStage grid;
    grid.name = "stage3";
    grid.kind = "for_each";
    grid.method = "grid";
    grid.trainSamples = 4000;
    grid.epochs = 4;
    grid.space = {{"lr_factor", false, "[0.4, 0.7]"}};
    grid.provenance = {"around stage1-003 and stage1-001 (promote top 2 of stage1)"};
    const auto point = [](const std::string &name,
                          const std::string &group,
                          double factor,
                          const std::string &state,
                          std::optional<double> best) {
        ReportTrial t = seedRun(name, group, 42, state, best, 600);
        t.params["lr_factor"] = factor;
        return t;
    };
    grid.trials = {point("stage3-001", "stage1-003", 0.4, "finished", 4.4),
                   point("stage3-002", "stage1-003", 0.7, "finished", 4.5),
                   point("stage3-003", "stage1-001", 0.4, "finished", 3.8),
                   point("stage3-004", "stage1-001", 0.7, "failed", std::nullopt)};
    input.stages.push_back(grid);
    const auto md = lines(readFile(fs::path(write(input)) / "experiment-log.md"));
    QVERIFY(hasLine(md, "## Stage stage3: for_each (grid), 4K samples, 4 epochs"));
    QVERIFY(hasLine(md, "**Search Space** (derived):"));
    QVERIFY(hasLine(md, "**How it was derived**:"));
    QVERIFY(hasLine(md, "- around stage1-003 and stage1-001 (promote top 2 of stage1)"));
    QVERIFY(hasLine(md,
                    "| Rank | Trial | State | Config | si_sdr | Epochs | Device | s/epoch | "
                    "grad_clip | lr | lr_factor |"));
    QVERIFY(hasLine(md,
                    "| 1 | stage3-002 | finished | stage1-003 | 4.50 dB | 4 | cuda:0 | 150 | 2 | "
                    "0.001 | 0.7 |"));
    QVERIFY(hasLine(md, "| Config | Trials | Best Trial | si_sdr | lr_factor |"));
    QVERIFY(hasLine(md, "| stage1-003 | 2 | stage3-002 | 4.50 dB | 0.7 |"));
    QVERIFY(hasLine(md, "| stage1-001 | 2 | stage3-003 | 3.80 dB | 0.4 |"));
    // The insights take the for_each runs too: 6 + 3 finished ones. lr_factor is set in 3 of
    // them only, so the forest leaves it out (n/a); its Pearson over x = 0.4, 0.7, 0.4 and
    // y = 4.4, 4.5, 3.8 is Sxy 0.08 / sqrt(Sxx 0.06 * Syy 0.28667) = +0.61; the best 2 of 3
    // have 0.7 and 0.4.
    QVERIFY(lineStartingWith(md, "From 9 finished or stopped runs across stage1, stage3."));
    QVERIFY(hasLine(md, "| lr_factor | +0.61 | n/a | [0.4, 0.7] (2 runs) |"));
}

void tst_ExperimentLog::divergedNaNRanksNowhere()
{
    ReportInput input = twoStagePlan();
    input.stages[0].trials[3].state = "diverged";
    input.stages[0].trials[3].best = std::nan("");
    const auto md = lines(readFile(fs::path(write(input)) / "experiment-log.md"));
    QVERIFY(hasLine(md, "| Failed | 0 (+1 diverged) |"));
    QVERIFY(hasLine(md, "| Best si_sdr | **4.20 dB** (stage1-003) |"));
    QVERIFY(!lineStartingWith(md, "| 6 |"));
    QVERIFY(lineStartingWith(md, "From 6 finished or stopped runs across stage1."));
}

void tst_ExperimentLog::externalProgramStagesShowWhatTheirTrialsRan()
{
    // An external program's plan sets neither train_samples nor epochs: the program decides.
    ReportInput input = twoStagePlan();
    for (ReportStage &stage : input.stages) {
        stage.trainSamples = 0;
        stage.epochs = 0;
    }
    for (ReportTrial &run : input.stages[1].trials)
        run.epochs = 0; // validation seeds that never reported an epoch
    const auto md = lines(readFile(fs::path(write(input)) / "experiment-log.md"));
    // stage1's trials ran 4, 2, 4, 1, 4, 4, 4 epochs.
    QVERIFY(hasLine(md, "| stage1 | search | random | up to 4 epochs | 7 | 4.20 dB | 2.8h |"));
    QVERIFY(hasLine(md, "| stage2 | validate | - | - | 6 | 4.67 dB (mean) | 5.2h |"));
    QVERIFY(hasLine(md, "## Stage stage1: search (random), up to 4 epochs"));
    QVERIFY(hasLine(md, "## Stage stage2: validate"));
    QVERIFY(hasLine(md, "| Rank | Config | Mean si_sdr | Std | Gain | Individual Results |"));
    for (const std::string &line : md)
        QVERIFY2(line.find("0 → 0") == std::string::npos
                     && line.find(" 0 samples") == std::string::npos,
                 line.c_str());
}

void tst_ExperimentLog::badInputIsRefused()
{
    ReportInput input = twoStagePlan();
    input.stages[1].kind = "sweep";
    try {
        writeExperimentLog(input, m_dir.path().toStdString() + "/bad");
        QFAIL("an unknown stage kind was accepted");
    } catch (const std::invalid_argument &error) {
        QCOMPARE(std::string(error.what()),
                 std::string("Stage 'stage2' has kind 'sweep'; expected search, for_each or "
                             "validate."));
    }
    input = twoStagePlan();
    input.stages[0].trials[0].state = "done";
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             writeExperimentLog(input, m_dir.path().toStdString() + "/bad"));
    input = twoStagePlan();
    input.stages.push_back(input.stages[0]);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             writeExperimentLog(input, m_dir.path().toStdString() + "/bad"));
    QVERIFY(!fs::exists(m_dir.path().toStdString() + "/bad"));
}

QTEST_APPLESS_MAIN(tst_ExperimentLog)
#include "tst_experiment_log.moc"
