#pragma once

// The stage planner's table: one row per stage of a plan (data size, epochs, trials, method,
// early termination, narrowing, promotion, validation seeds, parallel slots, review). The
// scalar cells are editable; an edit is checked field by field and then by core's plan parser
// on the plan as it would be saved, so the model always holds a plan that saves and parses
// again. A rejected edit leaves the plan as it was and says why in one sentence.

#include "core/sweep/plan.h"

#include <QAbstractTableModel>

namespace seplab::ui {

class PlanTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        Stage,
        Kind,
        Method,
        TrainSamples,
        Epochs,
        Trials,
        Parallel,
        EarlyTermination,
        NarrowFrom,
        TopFraction,
        Margin,
        PromoteFrom,
        TopK,
        Seeds,
        Review,
        ColumnCount
    };

    explicit PlanTableModel(QObject *parent = nullptr);

    void setPlan(const sweep::Plan &plan);
    const sweep::Plan &plan() const { return m_plan; }
    bool hasPlan() const { return !m_plan.stages.empty(); }
    // Whether an edit was accepted since setPlan() or markSaved().
    bool isModified() const { return m_modified; }
    void markSaved();

    // The stage's `parameters`, given explicitly (a reviewed stage's edited ranges replace the
    // narrowed ones); false and `error` when the plan would not parse with them.
    bool setStageParameters(int stage, const sweep::SearchSpace &space, QString *error);

    // The problem with the last rejected edit, one sentence; empty after an accepted one.
    QString lastError() const { return m_lastError; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

Q_SIGNALS:
    // After every accepted change of the plan.
    void planEdited();
    void editRejected(const QString &problem);

private:
    bool editable(const sweep::StagePlan &stage, int column) const;
    QString displayText(const sweep::StagePlan &stage, int column) const;
    // Applies `text` to `stage`'s field; false and `error` when it is not a valid value.
    bool applyText(sweep::StagePlan &stage, int column, const QString &text, QString *error) const;
    // Accepts `candidate` when core's parser reads it back; else `error`.
    bool accept(const sweep::Plan &candidate, const QString &stageName, QString *error);
    bool reject(const QString &problem);

    sweep::Plan m_plan;
    bool m_modified = false;
    QString m_lastError;
};

} // namespace seplab::ui
