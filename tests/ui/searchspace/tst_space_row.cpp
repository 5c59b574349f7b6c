// The search-space editor's rows: the spec each distribution's cells make, the problems core's
// parser finds (with the cell they are about), the users' sweeps surviving rows and back, and
// the preview histogram.

#include "core/sweep/search_space.h"
#include "ui/searchspace/sample_preview.h"
#include "ui/searchspace/space_row.h"

#include <QDir>
#include <QtTest>

#include <fstream>
#include <numeric>
#include <sstream>

using namespace seplab;
using nlohmann::json;
using ui::SpaceRow;

class tst_SpaceRow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void specOfEachForm();
    void problemsNameTheirCell();
    void usersSweepsSurviveRows_data();
    void usersSweepsSurviveRows();
    void logTwins();
    void categoricalPreviewCountsEveryValue();
    void logPreviewHasLogBins();
    void constantPreviewIsOneBar();
};

namespace {

SpaceRow row(const std::string &name,
             const std::string &distribution,
             const std::string &low,
             const std::string &high,
             const std::string &values = {})
{
    SpaceRow out;
    out.name = name;
    out.distribution = distribution;
    out.low = low;
    out.high = high;
    out.values = values;
    return out;
}

} // namespace

void tst_SpaceRow::specOfEachForm()
{
    QCOMPARE(ui::rowSpec(row("lr", "log_uniform_values", "1e-5", "1e-2")),
             json({{"distribution", "log_uniform_values"}, {"min", 1e-5}, {"max", 0.01}}));
    QCOMPARE(ui::rowSpec(row("n", "int_uniform", "2", "6")),
             json({{"distribution", "int_uniform"}, {"min", 2}, {"max", 6}}));
    QCOMPARE(ui::rowSpec(row("p", "categorical", "", "", "2, 3,4")),
             json({{"distribution", "categorical"}, {"values", {2, 3, 4}}}));
    QCOMPARE(ui::rowSpec(row("p", "categorical", "", "", "[ln, gLN]")),
             json({{"distribution", "categorical"}, {"values", {"ln", "gLN"}}}));
    QCOMPARE(ui::rowSpec(row("config", "constant", "9", "9", "experiments/dprnn.yaml")),
             json({{"distribution", "constant"}, {"value", "experiments/dprnn.yaml"}}));
    // Normal forms have defaults for mu and sigma: empty cells are left out.
    QCOMPARE(ui::rowSpec(row("x", "normal", "", "")), json({{"distribution", "normal"}}));
    SpaceRow quantized = row("b", "q_uniform", "0", "10");
    quantized.q = "2";
    QCOMPARE(ui::rowSpec(quantized),
             json({{"distribution", "q_uniform"}, {"min", 0}, {"max", 10}, {"q", 2}}));
    SpaceRow weighted = row("m", "categorical_w_probabilities", "", "", "a, b");
    weighted.weights = "0.25, 0.75";
    QCOMPARE(ui::rowSpec(weighted),
             json({{"distribution", "categorical_w_probabilities"},
                   {"values", {"a", "b"}},
                   {"probabilities", {0.25, 0.75}}}));
}

void tst_SpaceRow::problemsNameTheirCell()
{
    const ui::RowCheck inverted = ui::checkRow(row("lr", "uniform", "0.5", "0.1"));
    QVERIFY(!inverted.parameter);
    QVERIFY2(inverted.error.find("parameter 'lr'") != std::string::npos, inverted.error.c_str());
    QVERIFY2(inverted.error.find("min") != std::string::npos, inverted.error.c_str());
    QVERIFY(inverted.cell == "low" || inverted.cell == "high");

    const ui::RowCheck logZero = ui::checkRow(row("wd", "log_uniform_values", "0", "1e-3"));
    QVERIFY(!logZero.parameter);
    QCOMPARE(logZero.cell, std::string("low"));

    const ui::RowCheck empty = ui::checkRow(row("p", "categorical", "", "", ""));
    QVERIFY(!empty.parameter);
    QCOMPARE(empty.cell, std::string("values"));

    const ui::RowCheck missingMax = ui::checkRow(row("x", "uniform", "1", ""));
    QVERIFY(!missingMax.parameter);
    QCOMPARE(missingMax.cell, std::string("high"));

    const ui::RowCheck badName = ui::checkRow(row("2lr", "uniform", "0", "1"));
    QCOMPARE(badName.cell, std::string("name"));
    QCOMPARE(badName.error,
             std::string("'2lr' is not a valid parameter name (letters, digits, _ . -; not "
                         "starting with a digit)."));
    QCOMPARE(ui::checkRow(row("", "uniform", "0", "1")).error,
             std::string("a parameter needs a name."));

    const ui::RowCheck unknown = ui::checkRow(row("x", "log_uniformm", "0", "1"));
    QCOMPARE(unknown.error, std::string("parameter 'x': unknown distribution 'log_uniformm'."));
    QCOMPARE(unknown.cell, std::string("distribution"));

    const ui::RowCheck fine = ui::checkRow(row("x", "uniform", "0", "1"));
    QVERIFY(fine.parameter && fine.error.empty());
    QCOMPARE(fine.parameter->max(), 1.0);
}

void tst_SpaceRow::usersSweepsSurviveRows_data()
{
    QTest::addColumn<QString>("path");
    const QDir dir(QStringLiteral(SEPLAB_EXAMPLES_DIR "/wandb-sweeps"));
    for (const QString &file : dir.entryList({"*.yaml"}, QDir::Files, QDir::Name))
        QTest::newRow(qPrintable(file)) << dir.filePath(file);
}

void tst_SpaceRow::usersSweepsSurviveRows()
{
    QFETCH(QString, path);
    std::ifstream in(path.toStdString());
    std::stringstream text;
    text << in.rdbuf();
    const sweep::SweepConfig sweep = sweep::parseSweepConfig(text.str(), path.toStdString());
    QVERIFY(!sweep.parameters.empty());
    for (const sweep::NamedParameter &parameter : sweep.parameters.parameters()) {
        const SpaceRow shown = ui::rowFromParameter(parameter);
        const ui::RowCheck check = ui::checkRow(shown);
        QVERIFY2(check.parameter, check.error.c_str());
        QCOMPARE(check.parameter->toJson(), parameter.parameter.toJson());
    }
}

void tst_SpaceRow::logTwins()
{
    QCOMPARE(ui::logTwin("uniform"), std::string("log_uniform_values"));
    QCOMPARE(ui::logTwin("log_uniform_values"), std::string("uniform"));
    QCOMPARE(ui::logTwin("q_normal"), std::string("q_log_normal"));
    QCOMPARE(ui::logTwin("int_uniform"), std::string());
    QCOMPARE(ui::boundNames("log_normal"), (std::pair<std::string, std::string>{"mu", "sigma"}));
    QCOMPARE(ui::boundNames("q_beta"), (std::pair<std::string, std::string>{"a", "b"}));
}

void tst_SpaceRow::categoricalPreviewCountsEveryValue()
{
    const auto parameter = sweep::Parameter::fromJson({{"values", {2, 3, 4, 5, 6}}}, "p");
    const ui::Histogram histogram = ui::previewHistogram(parameter);
    QCOMPARE(histogram.labels, (std::vector<std::string>{"2", "3", "4", "5", "6"}));
    QCOMPARE(std::accumulate(histogram.counts.begin(), histogram.counts.end(), 0), 200);
    for (int count : histogram.counts)
        QVERIFY2(count > 20 && count < 60, std::to_string(count).c_str()); // 40 expected
    // Seeded: the same spec previews the same way every time.
    QCOMPARE(ui::previewHistogram(parameter).counts, histogram.counts);
}

void tst_SpaceRow::logPreviewHasLogBins()
{
    const auto parameter = sweep::Parameter::fromJson({{"distribution", "log_uniform_values"},
                                                       {"min", 1e-5},
                                                       {"max", 1e-2}},
                                                      "lr");
    const ui::Histogram histogram = ui::previewHistogram(parameter, 200, 3);
    QVERIFY(histogram.logBins);
    QCOMPARE(histogram.counts.size(), std::size_t(3));
    QCOMPARE(std::accumulate(histogram.counts.begin(), histogram.counts.end(), 0), 200);
    // Three decades in three log bins: each gets about a third. Linear bins would put ~90 % of
    // the draws into the first one.
    for (int count : histogram.counts)
        QVERIFY2(count > 45 && count < 90, std::to_string(count).c_str());
    const double first = std::stod(histogram.labels[0]), second = std::stod(histogram.labels[1]);
    QVERIFY(first >= 1e-5 && first < 2e-5);
    QVERIFY2(second / first > 5.0 && second / first < 20.0, histogram.labels[1].c_str());
}

void tst_SpaceRow::constantPreviewIsOneBar()
{
    const ui::Histogram histogram = ui::previewHistogram(
        sweep::Parameter::fromJson({{"value", "x.yaml"}}, "config"));
    QCOMPARE(histogram.labels, std::vector<std::string>{"x.yaml"});
    QCOMPARE(histogram.counts, std::vector<int>{200});
}

QTEST_APPLESS_MAIN(tst_SpaceRow)
#include "tst_space_row.moc"
