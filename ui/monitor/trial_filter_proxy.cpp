#include "trial_filter_proxy.h"

#include "trial_table_model.h"

namespace seplab::ui {

TrialFilterProxy::TrialFilterProxy(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(TrialTableModel::SortRole);
    // Rows change in place while a sweep streams; keep the order the user chose.
    setDynamicSortFilter(true);
}

void TrialFilterProxy::setStageId(std::int64_t stageId)
{
    m_stageId = stageId;
    invalidateFilter();
}

void TrialFilterProxy::setStateName(const QString &state)
{
    m_state = state;
    invalidateFilter();
}

void TrialFilterProxy::setText(const QString &text)
{
    m_text = text.trimmed();
    invalidateFilter();
}

bool TrialFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QModelIndex first = sourceModel()->index(sourceRow, 0, sourceParent);
    if (m_stageId != 0
        && first.data(TrialTableModel::StageIdRole).toLongLong() != qlonglong(m_stageId))
        return false;
    if (!m_state.isEmpty() && first.data(TrialTableModel::StateRole).toString() != m_state)
        return false;
    if (m_text.isEmpty())
        return true;
    for (int column :
         {int(TrialTableModel::Name), int(TrialTableModel::Params), int(TrialTableModel::Device)})
        if (sourceModel()
                ->index(sourceRow, column, sourceParent)
                .data()
                .toString()
                .contains(m_text, Qt::CaseInsensitive))
            return true;
    return false;
}

} // namespace seplab::ui
