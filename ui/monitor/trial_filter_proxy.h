#pragma once

// Sorting and filtering of the trial table: by stage (the monitor shows one stage at a time, or
// all), by state ("running" alone while a sweep streams, "failed" when something went wrong) and
// by free text over the name and the parameters. Sorts by TrialTableModel::SortRole.

#include <QSortFilterProxyModel>

#include <cstdint>

namespace seplab::ui {

class TrialFilterProxy : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit TrialFilterProxy(QObject *parent = nullptr);

    // 0 shows every stage.
    void setStageId(std::int64_t stageId);
    // An empty name shows every state.
    void setStateName(const QString &state);
    void setText(const QString &text);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    std::int64_t m_stageId = 0;
    QString m_state;
    QString m_text;
};

} // namespace seplab::ui
