#include "analysis_panel.h"

#include "core/report/experiment_log.h"
#include "core/report/report_csv.h"
#include "core/store/experiment_store.h"
#include "core/sweep/report_input.h"
#include "parallel_coordinates.h"
#include "ui/common/atomic_write.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QHorizontalBarSeries>
#include <QLabel>
#include <QLogValueAxis>
#include <QPushButton>
#include <QScatterSeries>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QValueAxis>

#include <cmath>

namespace seplab::ui {

namespace {

QString number(const std::optional<double> &value, int decimals = 3)
{
    return value ? QString::number(*value, 'f', decimals) : QStringLiteral("n/a");
}

void setRow(QTableWidget *table, int row, const QStringList &cells)
{
    for (int column = 0; column < cells.size(); ++column)
        table->setItem(row, column, new QTableWidgetItem(cells[column]));
}

QTableWidget *makeTable(const QStringList &header, const char *name)
{
    auto *table = new QTableWidget(0, int(header.size()));
    table->setObjectName(name);
    table->setHorizontalHeaderLabels(header);
    table->verticalHeader()->hide();
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->horizontalHeader()->setStretchLastSection(true);
    return table;
}

} // namespace

AnalysisPanel::AnalysisPanel(QWidget *parent)
    : QWidget(parent)
{
    setObjectName("AnalysisPanel");
    buildLayout();
}

void AnalysisPanel::buildLayout()
{
    m_planChoice = new QComboBox;
    m_planChoice->setObjectName("analysisPlan");
    connect(m_planChoice, &QComboBox::activated, this, [this] {
        QString error;
        if (!analyse(m_planChoice->currentText(), &error))
            Q_EMIT statusMessage(error);
    });
    auto *refreshButton = new QPushButton(tr("Refresh"));
    connect(refreshButton, &QPushButton::clicked, this, &AnalysisPanel::refresh);
    auto *reportButton = new QPushButton(tr("Report…"));
    reportButton->setObjectName("writeReport");
    reportButton->setToolTip(tr("The experiment log: markdown, CSV and plots, in one folder."));
    connect(reportButton, &QPushButton::clicked, this, &AnalysisPanel::chooseReportFolder);
    auto *csvButton = new QPushButton(tr("CSV…"));
    connect(csvButton, &QPushButton::clicked, this, &AnalysisPanel::chooseCsv);
    auto *pngButton = new QPushButton(tr("PNG…"));
    connect(pngButton, &QPushButton::clicked, this, &AnalysisPanel::choosePng);
    m_summary = new QLabel;
    m_summary->setWordWrap(true);

    auto *top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Plan")));
    top->addWidget(m_planChoice, 1);
    top->addWidget(refreshButton);
    top->addWidget(reportButton);
    top->addWidget(csvButton);
    top->addWidget(pngButton);

    m_importanceChart = new QChartView(new QChart);
    m_importanceChart->chart()->legend()->hide();
    m_importanceChart->setMinimumHeight(180);
    m_importanceTable = makeTable({tr("Parameter"),
                                   tr("Importance"),
                                   tr("Correlation"),
                                   tr("Top 10 % range"),
                                   tr("Runs")},
                                  "importanceTable");
    auto *importance = new QWidget;
    auto *importanceLayout = new QVBoxLayout(importance);
    importanceLayout->addWidget(m_importanceChart, 2);
    importanceLayout->addWidget(m_importanceTable, 1);

    m_parameterChoice = new QComboBox;
    m_parameterChoice->setObjectName("scatterParameter");
    connect(m_parameterChoice, &QComboBox::activated, this, [this] {
        showScatterOf(m_parameterChoice->currentText());
    });
    m_scatterChart = new QChartView(new QChart);
    m_scatterChart->setRenderHint(QPainter::Antialiasing);
    auto *scatter = new QWidget;
    auto *scatterLayout = new QVBoxLayout(scatter);
    scatterLayout->addWidget(m_parameterChoice);
    scatterLayout->addWidget(m_scatterChart, 1);

    m_validationTable = makeTable({tr("Stage"),
                                   tr("Rank"),
                                   tr("Config"),
                                   tr("Mean ± std"),
                                   tr("Gain"),
                                   tr("Seeds")},
                                  "validationTable");

    m_parallel = new ParallelCoordinates;
    m_parallelSummary = new QLabel;
    m_parallelSummary->setObjectName("parallelSummary");
    connect(m_parallel, &ParallelCoordinates::selectionChanged, this, [this](int selected, int total) {
        m_parallelSummary->setText(
            tr("%1 of %2 trials inside the brushes (drag along an axis to brush it, click it to "
               "clear)")
                .arg(selected)
                .arg(total));
    });
    auto *parallel = new QWidget;
    auto *parallelLayout = new QVBoxLayout(parallel);
    parallelLayout->addWidget(m_parallel, 1);
    parallelLayout->addWidget(m_parallelSummary);

    m_tabs = new QTabWidget;
    m_tabs->addTab(importance, tr("Importance"));
    m_tabs->addTab(scatter, tr("Scatter"));
    m_tabs->addTab(m_validationTable, tr("Validation"));
    m_tabs->addTab(parallel, tr("Parallel"));

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_summary);
    layout->addWidget(m_tabs, 1);
}

bool AnalysisPanel::reloadPlans(QString *error)
{
    const QString shown = m_planChoice->currentText();
    try {
        const auto store = store::ExperimentStore::open(m_storePath.toStdString(),
                                                        store::ExperimentStore::Mode::ReadOnly);
        m_planChoice->clear();
        for (const store::PlanRecord &plan : store.plans())
            m_planChoice->addItem(QString::fromStdString(plan.name));
    } catch (const std::exception &problem) {
        if (error)
            *error = QString::fromStdString(problem.what());
        return false;
    }
    // The plan shown stays shown; otherwise the latest.
    const int index = m_planChoice->findText(shown);
    m_planChoice->setCurrentIndex(index >= 0 ? index : m_planChoice->count() - 1);
    return true;
}

bool AnalysisPanel::openStore(const QString &path, QString *error)
{
    const QString previous = m_storePath;
    m_storePath = path;
    m_planChoice->clear();
    if (!reloadPlans(error)) {
        m_storePath = previous;
        return false;
    }
    if (m_planChoice->count() == 0) {
        m_summary->setText(tr("The store has no plan yet."));
        return true;
    }
    return analyse(m_planChoice->currentText(), error);
}

void AnalysisPanel::closeStore()
{
    m_storePath.clear();
    m_input = {};
    m_insights = {};
    m_planChoice->clear();
    m_parameterChoice->clear();
    m_summary->clear();
    m_importanceTable->setRowCount(0);
    m_validationTable->setRowCount(0);
    m_importanceChart->chart()->removeAllSeries();
    m_scatterChart->chart()->removeAllSeries();
    m_parallel->setData({}, {}, {}, true);
}

void AnalysisPanel::refresh()
{
    QString error;
    if (!reloadPlans(&error)
        || (m_planChoice->count() > 0 && !analyse(m_planChoice->currentText(), &error)))
        Q_EMIT statusMessage(error);
}

bool AnalysisPanel::analyse(const QString &planName, QString *error)
{
    std::vector<std::string> warnings;
    try {
        const auto store = store::ExperimentStore::open(m_storePath.toStdString(),
                                                        store::ExperimentStore::Mode::ReadOnly);
        m_input = sweep::reportInputFromStore(store, planName.toStdString());
        report::validateReportInput(m_input);
        m_insights = report::computeInsights(m_input, warnings);
    } catch (const std::exception &problem) {
        if (error)
            *error = QString::fromStdString(problem.what());
        return false;
    }
    QString text = tr("%1: %2 runs of %3 stage(s) analysed; metric %4 (%5).")
                       .arg(QString::fromStdString(m_input.planName))
                       .arg(m_insights.runs)
                       .arg(m_insights.stages.size())
                       .arg(QString::fromStdString(m_input.metricName),
                            m_input.maximize ? tr("higher is better") : tr("lower is better"));
    for (const std::string &warning : warnings)
        text += " " + QString::fromStdString(warning);
    m_summary->setText(text);

    const QString shown = m_parameterChoice->currentText();
    m_parameterChoice->clear();
    for (const report::ParameterInsight &parameter : m_insights.parameters)
        m_parameterChoice->addItem(QString::fromStdString(parameter.name));
    m_parameterChoice->setCurrentIndex(std::max(0, m_parameterChoice->findText(shown)));
    showImportance();
    showScatterOf(m_parameterChoice->currentText());
    showValidation();
    showParallel();
    return true;
}

void AnalysisPanel::showImportance()
{
    QChart *chart = m_importanceChart->chart();
    chart->removeAllSeries();
    for (QAbstractAxis *axis : chart->axes())
        chart->removeAxis(axis);
    auto *importance = new QBarSet(tr("importance"));
    auto *correlation = new QBarSet(tr("|correlation|"));
    QStringList names;
    // Bars from the bottom up: the most important parameter ends on top.
    for (auto it = m_insights.parameters.rbegin(); it != m_insights.parameters.rend(); ++it) {
        names << QString::fromStdString(it->name);
        *importance << it->importance.value_or(0.0);
        *correlation << std::abs(it->correlation.value_or(0.0));
    }
    auto *series = new QHorizontalBarSeries;
    series->append(importance);
    series->append(correlation);
    chart->addSeries(series);
    auto *y = new QBarCategoryAxis;
    y->append(names);
    auto *x = new QValueAxis;
    x->setRange(0.0, 1.0);
    chart->addAxis(y, Qt::AlignLeft);
    chart->addAxis(x, Qt::AlignBottom);
    series->attachAxis(x);
    series->attachAxis(y);
    chart->legend()->show();
    chart->setTitle(tr("What matters for %1").arg(QString::fromStdString(m_input.metricName)));

    m_importanceTable->setRowCount(int(m_insights.parameters.size()));
    for (std::size_t i = 0; i < m_insights.parameters.size(); ++i) {
        const report::ParameterInsight &p = m_insights.parameters[i];
        setRow(m_importanceTable,
               int(i),
               {QString::fromStdString(p.name) + (p.log ? tr(" (log)") : QString()),
                number(p.importance),
                number(p.correlation),
                QString("%1 … %2").arg(p.topMin, 0, 'g', 4).arg(p.topMax, 0, 'g', 4),
                QString::number(p.samples)});
    }
}

void AnalysisPanel::showScatterOf(const QString &parameter)
{
    QChart *chart = m_scatterChart->chart();
    chart->removeAllSeries();
    for (QAbstractAxis *axis : chart->axes())
        chart->removeAxis(axis);
    if (parameter.isEmpty())
        return;
    const std::string name = parameter.toStdString();
    bool log = report::isLogParameter(m_input, name);
    std::map<std::string, QScatterSeries *> byStage;
    double low = HUGE_VAL, high = -HUGE_VAL, yLow = HUGE_VAL, yHigh = -HUGE_VAL;
    for (const report::InsightSample &sample : report::insightSamples(m_input)) {
        const auto found = sample.trial->params.find(name);
        if (found == sample.trial->params.end() || !found->is_number() || !sample.trial->best)
            continue;
        const double x = found->get<double>(), y = *sample.trial->best;
        QScatterSeries *&series = byStage[sample.stage->name];
        if (!series) {
            series = new QScatterSeries;
            series->setName(QString::fromStdString(sample.stage->name));
            series->setMarkerSize(9);
        }
        series->append(x, y);
        low = std::min(low, x);
        high = std::max(high, x);
        yLow = std::min(yLow, y);
        yHigh = std::max(yHigh, y);
    }
    if (byStage.empty())
        return;
    log = log && low > 0.0;
    QAbstractAxis *xAxis = nullptr;
    if (log) {
        auto *axis = new QLogValueAxis;
        axis->setBase(10);
        axis->setLabelFormat("%.0e");
        axis->setRange(low / 1.5, high * 1.5);
        xAxis = axis;
    } else {
        auto *axis = new QValueAxis;
        const double pad = high > low ? 0.05 * (high - low) : 0.5;
        axis->setRange(low - pad, high + pad);
        xAxis = axis;
    }
    xAxis->setObjectName(log ? "logAxis" : "linearAxis");
    xAxis->setTitleText(parameter + (log ? tr(" (log)") : QString()));
    auto *yAxis = new QValueAxis;
    const double yPad = yHigh > yLow ? 0.05 * (yHigh - yLow) : 0.5;
    yAxis->setRange(yLow - yPad, yHigh + yPad);
    yAxis->setTitleText(QString::fromStdString(m_input.metricName));
    chart->addAxis(xAxis, Qt::AlignBottom);
    chart->addAxis(yAxis, Qt::AlignLeft);
    for (const auto &[stage, series] : byStage) {
        chart->addSeries(series);
        series->attachAxis(xAxis);
        series->attachAxis(yAxis);
    }
    const int index = m_parameterChoice->findText(parameter);
    if (index >= 0)
        m_parameterChoice->setCurrentIndex(index);
}

void AnalysisPanel::showValidation()
{
    m_validationTable->setRowCount(0);
    for (const report::ReportStage &stage : m_input.stages) {
        if (stage.kind != "validate")
            continue;
        for (const report::ValidationRow &row : report::validationRows(m_input, stage)) {
            QStringList seeds;
            for (const report::SeedResult &result : row.results)
                seeds << QString("%1: %2")
                             .arg(result.seed)
                             .arg(result.best ? QString::number(*result.best, 'f', 3)
                                              : QString::fromStdString(result.state));
            const QString meanStd = row.mean ? QString("%1 ± %2")
                                                   .arg(*row.mean, 0, 'f', 3)
                                                   .arg(row.std.value_or(0.0), 0, 'f', 3)
                                             : QStringLiteral("n/a");
            const int at = m_validationTable->rowCount();
            m_validationTable->insertRow(at);
            setRow(m_validationTable,
                   at,
                   {QString::fromStdString(stage.name),
                    QString::number(row.rank),
                    QString::fromStdString(row.config),
                    meanStd,
                    row.gain
                        ? QString("%1%2").arg(*row.gain >= 0 ? "+" : "").arg(*row.gain, 0, 'f', 3)
                        : QStringLiteral("n/a"),
                    seeds.join(QStringLiteral(", "))});
        }
    }
}

void AnalysisPanel::showParallel()
{
    QStringList names;
    std::vector<bool> logs;
    for (const report::ParameterInsight &parameter : m_insights.parameters) {
        names << QString::fromStdString(parameter.name);
        logs.push_back(parameter.log);
    }
    names << QString::fromStdString(m_input.metricName);
    logs.push_back(false);
    std::vector<std::vector<double>> rows;
    for (const report::InsightSample &sample : report::insightSamples(m_input)) {
        std::vector<double> row;
        for (const report::ParameterInsight &parameter : m_insights.parameters) {
            const auto found = sample.trial->params.find(parameter.name);
            row.push_back(found != sample.trial->params.end() && found->is_number()
                              ? found->get<double>()
                              : NAN);
        }
        row.push_back(sample.trial->best.value_or(NAN));
        rows.push_back(std::move(row));
    }
    m_parallel->setData(names, logs, rows, m_input.maximize);
}

QStringList AnalysisPanel::writeReport(const QString &folder, QString *error) const
{
    QStringList files;
    try {
        for (const std::string &file :
             report::writeExperimentLog(m_input, folder.toStdString()).files)
            files << QString::fromStdString(file);
    } catch (const std::exception &problem) {
        *error = QString::fromStdString(problem.what());
    }
    return files;
}

QString AnalysisPanel::currentCsv() const
{
    switch (m_tabs->currentIndex()) {
    case 0:
        return QString::fromStdString(report::insightsCsv(m_insights).text());
    case 2:
        return QString::fromStdString(report::validationCsv(m_input).text());
    default: // the scatter and the parallel coordinates show trials
        return QString::fromStdString(report::trialsCsv(m_input).text());
    }
}

bool AnalysisPanel::exportCsv(const QString &path, QString *error) const
{
    return writeFileAtomically(path, currentCsv().toUtf8(), error);
}

bool AnalysisPanel::exportPng(const QString &path, QString *error) const
{
    const QList<QWidget *> byTab = {m_importanceChart,
                                    m_scatterChart,
                                    m_validationTable,
                                    m_parallel};
    QWidget *shown = byTab.value(m_tabs->currentIndex(), m_importanceChart);
    if (!shown->grab().save(path, "PNG")) {
        *error = tr("%1: cannot be written as PNG.").arg(path);
        return false;
    }
    return true;
}

void AnalysisPanel::chooseReportFolder()
{
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Write the report into"));
    if (folder.isEmpty())
        return;
    QString error;
    const QStringList files = writeReport(folder, &error);
    Q_EMIT statusMessage(
        files.isEmpty() ? error : tr("Report: %1 files in %2").arg(files.size()).arg(folder));
}

void AnalysisPanel::chooseCsv()
{
    const QString path = QFileDialog::getSaveFileName(this,
                                                      tr("Export CSV"),
                                                      QString(),
                                                      tr("CSV (*.csv)"));
    QString error;
    if (!path.isEmpty())
        Q_EMIT statusMessage(exportCsv(path, &error) ? tr("Wrote %1").arg(path) : error);
}

void AnalysisPanel::choosePng()
{
    const QString path = QFileDialog::getSaveFileName(this,
                                                      tr("Export PNG"),
                                                      QString(),
                                                      tr("PNG (*.png)"));
    QString error;
    if (!path.isEmpty())
        Q_EMIT statusMessage(exportPng(path, &error) ? tr("Wrote %1").arg(path) : error);
}

} // namespace seplab::ui
