#include "search_space_editor.h"

#include "core/sweep/sweep_writer.h"
#include "core/train/yaml_json.h"
#include "distribution_delegate.h"
#include "sample_preview.h"
#include "search_space_model.h"
#include "ui/common/atomic_write.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QFile>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>
#include <QValueAxis>

#include <yaml-cpp/yaml.h>

namespace seplab::ui {

SearchSpaceEditor::SearchSpaceEditor(QWidget *parent)
    : QWidget(parent)
{
    setObjectName("SearchSpaceEditor");
    m_sweep.method = "random";
    m_model = new SearchSpaceModel(this);
    m_view = new QTableView;
    m_view->setObjectName("spaceTable");
    m_view->setModel(m_model);
    m_view->setItemDelegateForColumn(SearchSpaceModel::Distribution,
                                     new DistributionDelegate(m_view));
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setSectionResizeMode(SearchSpaceModel::Problem,
                                                     QHeaderView::Stretch);
    m_view->setEditTriggers(QAbstractItemView::AllEditTriggers);

    auto *chart = new QChart;
    chart->legend()->hide();
    chart->setMargins(QMargins(2, 2, 2, 2));
    m_bars = new QBarSeries;
    chart->addSeries(m_bars);
    m_preview = new QChartView(chart);
    m_preview->setObjectName("samplePreview");
    m_preview->setMinimumHeight(160);

    auto *importButton = new QPushButton(tr("Import W&&B YAML…"));
    importButton->setObjectName("importYaml");
    connect(importButton, &QPushButton::clicked, this, &SearchSpaceEditor::chooseImport);
    auto *exportButton = new QPushButton(tr("Export W&&B YAML…"));
    exportButton->setObjectName("exportYaml");
    connect(exportButton, &QPushButton::clicked, this, &SearchSpaceEditor::chooseExport);
    auto *addButton = new QPushButton(tr("Add parameter"));
    addButton->setObjectName("addParameter");
    connect(addButton, &QPushButton::clicked, this, [this] {
        SpaceRow row;
        row.name = "param" + std::to_string(m_model->rowCount() + 1);
        row.low = "0";
        row.high = "1";
        m_model->appendRow(row);
        m_view->setCurrentIndex(m_model->index(m_model->rowCount() - 1, SearchSpaceModel::Name));
    });
    auto *removeButton = new QPushButton(tr("Remove"));
    removeButton->setObjectName("removeParameter");
    connect(removeButton, &QPushButton::clicked, this, [this] {
        m_model->removeRowAt(m_view->currentIndex().row());
    });
    m_summary = new QLabel;
    m_summary->setObjectName("spaceSummary");

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(importButton);
    buttons->addWidget(exportButton);
    buttons->addStretch();
    buttons->addWidget(addButton);
    buttons->addWidget(removeButton);
    auto *split = new QSplitter(Qt::Vertical);
    split->addWidget(m_view);
    split->addWidget(m_preview);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(buttons);
    layout->addWidget(m_summary);
    layout->addWidget(split, 1);

    connect(m_model, &QAbstractItemModel::dataChanged, this, [this] {
        updatePreview();
        updateSummary();
    });
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
        updatePreview();
        updateSummary();
    });
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &SearchSpaceEditor::updateSummary);
    connect(m_view->selectionModel(),
            &QItemSelectionModel::currentRowChanged,
            this,
            &SearchSpaceEditor::updatePreview);
    updateSummary();
}

bool SearchSpaceEditor::loadSweepText(const std::string &text,
                                      const std::string &source,
                                      QString *error)
{
    try {
        const YAML::Node root = train::loadYamlText(text, source);
        if (root.IsMap() && root["stages"]) {
            *error = tr("%1 is a SepLab plan, not a W&B sweep; run it with `seplab-cli sweep "
                        "run`.")
                         .arg(QString::fromStdString(source));
            return false;
        }
        m_sweep = sweep::parseSweepConfig(text, source);
    } catch (const std::exception &problem) {
        *error = QString::fromStdString(problem.what());
        return false;
    }
    std::vector<SpaceRow> rows;
    for (const sweep::NamedParameter &parameter : m_sweep.parameters.parameters())
        rows.push_back(rowFromParameter(parameter));
    m_model->setRows(rows);
    if (!rows.empty())
        m_view->setCurrentIndex(m_model->index(0, SearchSpaceModel::Name));
    return true;
}

bool SearchSpaceEditor::importFile(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = tr("%1: cannot be read (%2).").arg(path, file.errorString());
        return false;
    }
    return loadSweepText(file.readAll().toStdString(), path.toStdString(), error);
}

std::string SearchSpaceEditor::sweepYaml(QString *error) const
{
    std::string problem;
    const std::optional<sweep::SearchSpace> space = m_model->space(&problem);
    if (!space) {
        *error = QString::fromStdString(problem);
        return {};
    }
    sweep::SweepConfig edited = m_sweep;
    edited.parameters = *space;
    return sweep::wandbYamlFromSweep(edited, "W&B sweep written by SepLab's search-space editor");
}

bool SearchSpaceEditor::exportFile(const QString &path, QString *error) const
{
    const std::string text = sweepYaml(error);
    if (text.empty())
        return false;
    return writeFileAtomically(path, QByteArray::fromStdString(text), error);
}

void SearchSpaceEditor::chooseImport()
{
    const QString path = QFileDialog::getOpenFileName(this,
                                                      tr("Import W&B sweep"),
                                                      QString(),
                                                      tr("YAML (*.yaml *.yml);;All files (*)"));
    QString error;
    if (!path.isEmpty())
        Q_EMIT statusMessage(importFile(path, &error) ? tr("Imported %1").arg(path) : error);
}

void SearchSpaceEditor::chooseExport()
{
    QString error;
    if (sweepYaml(&error).empty()) {
        Q_EMIT statusMessage(tr("Nothing exported: %1").arg(error));
        return;
    }
    const QString path = QFileDialog::getSaveFileName(this,
                                                      tr("Export W&B sweep"),
                                                      QString(),
                                                      tr("YAML (*.yaml *.yml)"));
    if (!path.isEmpty())
        Q_EMIT statusMessage(exportFile(path, &error) ? tr("Exported %1").arg(path) : error);
}

void SearchSpaceEditor::updatePreview()
{
    m_bars->clear();
    QChart *chart = m_preview->chart();
    for (QAbstractAxis *axis : chart->axes())
        chart->removeAxis(axis);
    const int row = m_view->currentIndex().row();
    if (row < 0 || row >= m_model->rowCount() || !m_model->check(row).parameter) {
        chart->setTitle(row >= 0 && row < m_model->rowCount() ? tr("(fix the row to preview it)")
                                                              : QString());
        return;
    }
    const Histogram histogram = previewHistogram(*m_model->check(row).parameter);
    auto *set = new QBarSet(tr("draws"));
    QStringList labels;
    int highest = 1;
    for (std::size_t i = 0; i < histogram.counts.size(); ++i) {
        *set << histogram.counts[i];
        labels << QString::fromStdString(histogram.labels[i]);
        highest = std::max(highest, histogram.counts[i]);
    }
    m_bars->append(set);
    auto *x = new QBarCategoryAxis;
    x->append(labels);
    auto *y = new QValueAxis;
    y->setRange(0, highest);
    y->setLabelFormat("%d");
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    m_bars->attachAxis(x);
    m_bars->attachAxis(y);
    const SpaceRow &spaceRow = m_model->rows()[std::size_t(row)];
    chart->setTitle(tr("%1: 200 draws of %2%3")
                        .arg(QString::fromStdString(spaceRow.name),
                             QString::fromStdString(spaceRow.distribution),
                             histogram.logBins ? tr(" (log-spaced bins)") : QString()));
}

void SearchSpaceEditor::updateSummary()
{
    const int problems = m_model->problemCount();
    QString text = tr("%n parameter(s), method %1", nullptr, m_model->rowCount())
                       .arg(QString::fromStdString(m_sweep.method));
    if (problems > 0)
        text += tr(" · %n problem(s)", nullptr, problems);
    m_summary->setText(text);
}

std::vector<int> SearchSpaceEditor::previewCounts() const
{
    std::vector<int> counts;
    if (m_bars->count() == 0)
        return counts;
    const QBarSet *set = m_bars->barSets().first();
    for (int i = 0; i < set->count(); ++i)
        counts.push_back(int(set->at(i)));
    return counts;
}

QStringList SearchSpaceEditor::previewLabels() const
{
    const QList<QAbstractAxis *> axes = m_preview->chart()->axes(Qt::Horizontal);
    if (axes.isEmpty())
        return {};
    return static_cast<QBarCategoryAxis *>(axes.first())->categories();
}

QString SearchSpaceEditor::summary() const
{
    return m_summary->text();
}

} // namespace seplab::ui
