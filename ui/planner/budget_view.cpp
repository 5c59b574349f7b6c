#include "ui/planner/budget_view.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace seplab::ui {

namespace {

// Short enough to read at a glance: seconds, minutes or hours.
QString duration(double hours)
{
    const double seconds = hours * 3600.0;
    if (seconds < 120.0)
        return QObject::tr("%1 s").arg(seconds, 0, 'f', seconds < 10.0 ? 1 : 0);
    if (hours < 2.0)
        return QObject::tr("%1 min").arg(seconds / 60.0, 0, 'f', 1);
    return QObject::tr("%1 h").arg(hours, 0, 'f', 1);
}

} // namespace

BudgetView::BudgetView(QWidget *parent)
    : QWidget(parent)
{
    m_source = new QLabel;
    m_source->setObjectName("budgetSource");
    m_source->setWordWrap(true);
    m_benchButton = new QPushButton(tr("Benchmark"));
    m_benchButton->setToolTip(tr("Time training steps of the plan's model with `seplab-cli bench "
                                 "train`."));
    connect(m_benchButton, &QPushButton::clicked, this, &BudgetView::benchmarkRequested);
    m_table = new QTableWidget(0, 7);
    m_table->setObjectName("budgetTable");
    m_table->setHorizontalHeaderLabels({tr("Stage"),
                                        tr("Trials"),
                                        tr("Epochs"),
                                        tr("Expected epochs"),
                                        tr("GPU time, all epochs"),
                                        tr("GPU time, expected"),
                                        tr("Wall time, expected")});
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->horizontalHeader()->setStretchLastSection(true);
    auto *top = new QHBoxLayout;
    top->addWidget(m_source, 1);
    top->addWidget(m_benchButton);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_table);
}

void BudgetView::showBudget(const sweep::ComputeBudget &budget, const QString &source)
{
    const std::vector<sweep::StageBudget> &stages = budget.stages;
    m_source->setText(source.isEmpty() ? tr("No plan.") : source);
    m_table->setRowCount(stages.empty() ? 0 : int(stages.size()) + 1);
    auto set = [this](int row, int column, const QString &text) {
        m_table->setItem(row, column, new QTableWidgetItem(text));
    };
    for (int row = 0; row < int(stages.size()); ++row) {
        const sweep::StageBudget &stage = stages[std::size_t(row)];
        set(row, 0, QString::fromStdString(stage.name));
        if (!stage.unknown.empty()) {
            set(row, 1, QString::fromStdString(stage.unknown));
            for (int column = 2; column < 7; ++column)
                set(row, column, QString());
            continue;
        }
        set(row, 1, QString::number(stage.trials));
        set(row, 2, QString::number(stage.epochs));
        set(row, 3, QString::number(stage.expectedEpochs, 'f', 1));
        set(row, 4, duration(stage.upperDeviceHours));
        set(row, 5, duration(stage.expectedDeviceHours));
        set(row, 6, duration(stage.expectedWallHours));
    }
    if (stages.empty())
        return;
    const int total = int(stages.size());
    set(total,
        0,
        budget.unknownStages ? tr("Total (%1 stage(s) unknown)").arg(budget.unknownStages)
                             : tr("Total"));
    for (int column = 1; column < 4; ++column)
        set(total, column, QString());
    set(total, 4, duration(budget.upperDeviceHours));
    set(total, 5, duration(budget.expectedDeviceHours));
    set(total, 6, duration(budget.expectedWallHours));
    QFont bold = m_table->font();
    bold.setBold(true);
    for (int column = 0; column < 7; ++column)
        m_table->item(total, column)->setFont(bold);
    m_table->resizeColumnsToContents();
}

} // namespace seplab::ui
