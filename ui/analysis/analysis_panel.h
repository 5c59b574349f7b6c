#pragma once

// Analysis of a plan in the workspace: which hyperparameters matter (random-forest importance
// and correlation with the metric, as the report computes them), a scatter of any parameter
// against the metric (log axis for log parameters), the validation table with mean ± std per
// configuration, and parallel coordinates with brushing over every parameter and the metric. Everything exports: the chart as PNG, the tables as CSV, and the whole
// experiment log (markdown, CSV, plots) in one click. The numbers are core/report's; this panel
// only shows them.

#include "core/report/report_analysis.h"

#include <QWidget>

class QChartView;
class QComboBox;
class QLabel;
class QTabWidget;
class QTableWidget;

namespace seplab::ui {

class ParallelCoordinates;

class AnalysisPanel : public QWidget
{
    Q_OBJECT

public:
    explicit AnalysisPanel(QWidget *parent = nullptr);

    // Reads the store's plans; the latest is analysed. False and `error` when the store cannot
    // be read.
    bool openStore(const QString &path, QString *error = nullptr);
    void closeStore();
    // Re-reads the chosen plan from the store and recomputes everything.
    bool analyse(const QString &planName, QString *error = nullptr);
    // Re-reads the store's plans and analyses the one shown (the latest when none was chosen);
    // problems go to statusMessage.
    void refresh();
    QString storePath() const { return m_storePath; }

    void showScatterOf(const QString &parameter);

    // Writes the experiment log into `folder`; returns the files written (empty on failure,
    // with `error` set).
    QStringList writeReport(const QString &folder, QString *error) const;
    // trials.csv-style text of what the current tab shows: insights, trials or validation.
    QString currentCsv() const;
    bool exportCsv(const QString &path, QString *error) const;
    bool exportPng(const QString &path, QString *error) const;

    const report::ReportInput &input() const { return m_input; }
    const report::Insights &insights() const { return m_insights; }
    QTabWidget *tabs() const { return m_tabs; }
    QTableWidget *importanceTable() const { return m_importanceTable; }
    QTableWidget *validationTable() const { return m_validationTable; }
    QChartView *importanceChart() const { return m_importanceChart; }
    QChartView *scatterChart() const { return m_scatterChart; }
    ParallelCoordinates *parallelCoordinates() const { return m_parallel; }

Q_SIGNALS:
    void statusMessage(const QString &message);

private:
    void buildLayout();
    // Re-reads the store's plan names into the list; false and `error` when it cannot.
    bool reloadPlans(QString *error);
    void showImportance();
    void showValidation();
    void showParallel();
    void chooseReportFolder();
    void chooseCsv();
    void choosePng();

    QString m_storePath;
    report::ReportInput m_input;
    report::Insights m_insights;
    QComboBox *m_planChoice = nullptr;
    QComboBox *m_parameterChoice = nullptr;
    QLabel *m_summary = nullptr;
    QTabWidget *m_tabs = nullptr;
    QChartView *m_importanceChart = nullptr;
    QTableWidget *m_importanceTable = nullptr;
    QChartView *m_scatterChart = nullptr;
    QTableWidget *m_validationTable = nullptr;
    ParallelCoordinates *m_parallel = nullptr;
    QLabel *m_parallelSummary = nullptr;
};

} // namespace seplab::ui
