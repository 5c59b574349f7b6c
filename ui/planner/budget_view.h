#pragma once

// The planner's compute-budget tab: where the rate came from (one line), the Benchmark button,
// and a row per stage (trials, epochs, expected epochs, GPU time for all and for the expected
// epochs, expected wall time) under which the plan's total stands in bold.

#include "core/sweep/compute_budget.h"

#include <QWidget>

class QLabel;
class QPushButton;
class QTableWidget;

namespace seplab::ui {

class BudgetView : public QWidget
{
    Q_OBJECT

public:
    explicit BudgetView(QWidget *parent = nullptr);

    // Shows `budget` with the line `source` ("No plan." when it is empty).
    void showBudget(const sweep::ComputeBudget &budget, const QString &source);
    QTableWidget *table() const { return m_table; }

Q_SIGNALS:
    void benchmarkRequested();

private:
    QLabel *m_source = nullptr;
    QPushButton *m_benchButton = nullptr;
    QTableWidget *m_table = nullptr;
};

} // namespace seplab::ui
