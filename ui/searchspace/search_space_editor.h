#pragma once

// Search-space editor: the parameters of a W&B sweep as an editable table, checked as you type,
// with a live preview of 200 draws of the selected parameter. W&B sweep YAML imports and exports
// (the sweep's other settings, method, metric, early termination, program, are kept as they
// were imported).

#include "core/sweep/search_space.h"

#include <QWidget>

class QBarSeries;
class QChartView;
class QLabel;
class QTableView;

namespace seplab::ui {

class SearchSpaceModel;

class SearchSpaceEditor : public QWidget
{
    Q_OBJECT

public:
    explicit SearchSpaceEditor(QWidget *parent = nullptr);

    // A W&B sweep file's text; false and `error` (one sentence naming the source and line) when
    // it is not one. A SepLab plan (it has `stages:`) is refused with a hint.
    bool loadSweepText(const std::string &text, const std::string &source, QString *error);
    bool importFile(const QString &path, QString *error);
    // The edited sweep as W&B YAML; empty and `error` when a row has a problem.
    std::string sweepYaml(QString *error) const;
    bool exportFile(const QString &path, QString *error) const;

    SearchSpaceModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    // The preview's bars (for tests): one count per bar, and the bars' labels.
    std::vector<int> previewCounts() const;
    QStringList previewLabels() const;
    QString summary() const;

Q_SIGNALS:
    void statusMessage(const QString &message);

private:
    void updatePreview();
    void updateSummary();
    void chooseImport();
    void chooseExport();

    SearchSpaceModel *m_model = nullptr;
    QTableView *m_view = nullptr;
    QChartView *m_preview = nullptr;
    QBarSeries *m_bars = nullptr;
    QLabel *m_summary = nullptr;
    sweep::SweepConfig m_sweep;
};

} // namespace seplab::ui
