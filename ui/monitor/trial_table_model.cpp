#include "trial_table_model.h"

#include "store_follower.h"

#include <QColor>
#include <QPalette>

#include <algorithm>
#include <cmath>

namespace seplab::ui {

namespace {

QString numberText(double value)
{
    return QString::number(value, 'g', 4);
}

QString paramsText(const nlohmann::json &params)
{
    QStringList parts;
    for (auto it = params.begin(); it != params.end(); ++it) {
        const nlohmann::json &value = it.value();
        QString text;
        if (value.is_number_float())
            text = numberText(value.get<double>());
        else if (value.is_string())
            text = QString::fromStdString(value.get<std::string>());
        else
            text = QString::fromStdString(value.dump());
        parts << QString::fromStdString(it.key()) + "=" + text;
    }
    return parts.join(QStringLiteral("  "));
}

double runtimeSeconds(const store::TrialRecord &trial, double now)
{
    if (trial.startedAt <= 0.0)
        return 0.0;
    const double end = trial.finishedAt > 0.0 ? trial.finishedAt : now;
    return std::max(0.0, end - trial.startedAt);
}

QColor stateColour(store::TrialState state)
{
    switch (state) {
    case store::TrialState::Running:
        return QColor(0x1f, 0x77, 0xb4);
    case store::TrialState::Finished:
        return QColor(0x2c, 0x8a, 0x2c);
    case store::TrialState::Stopped:
        return QColor(0x80, 0x80, 0x80);
    case store::TrialState::Failed:
    case store::TrialState::Diverged:
        return QColor(0xc0, 0x30, 0x30);
    case store::TrialState::Pending:
        break;
    }
    return {};
}

} // namespace

QString durationText(double seconds)
{
    const auto total = static_cast<long long>(std::llround(std::max(0.0, seconds)));
    if (total < 60)
        return QString("%1 s").arg(total);
    if (total < 3600)
        return QString("%1 min %2 s").arg(total / 60).arg(total % 60, 2, 10, QChar('0'));
    return QString("%1 h %2 min").arg(total / 3600).arg((total % 3600) / 60, 2, 10, QChar('0'));
}

TrialTableModel::TrialTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void TrialTableModel::update(const StoreFollower &follower,
                             const std::set<std::int64_t> &changed,
                             double nowSeconds)
{
    m_follower = &follower;
    m_now = nowSeconds;
    std::vector<std::int64_t> added;
    for (const store::TrialRecord &trial : follower.trials())
        if (std::find(m_ids.begin(), m_ids.end(), trial.id) == m_ids.end())
            added.push_back(trial.id);
    if (!added.empty()) {
        beginInsertRows({}, int(m_ids.size()), int(m_ids.size() + added.size()) - 1);
        m_ids.insert(m_ids.end(), added.begin(), added.end());
        endInsertRows();
    }
    for (int row = 0; row < int(m_ids.size()); ++row) {
        const store::TrialRecord *trial = follower.trial(m_ids[std::size_t(row)]);
        if (changed.count(m_ids[std::size_t(row)]))
            Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
        else if (trial && trial->state == store::TrialState::Running)
            Q_EMIT dataChanged(index(row, Runtime), index(row, Runtime));
    }
}

void TrialTableModel::clear()
{
    beginResetModel();
    m_ids.clear();
    m_follower = nullptr;
    endResetModel();
}

std::int64_t TrialTableModel::trialId(int row) const
{
    return row >= 0 && row < int(m_ids.size()) ? m_ids[std::size_t(row)] : 0;
}

int TrialTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_ids.size());
}

int TrialTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TrialTableModel::data(const QModelIndex &index, int role) const
{
    if (!m_follower || !index.isValid())
        return {};
    const store::TrialRecord *trial = m_follower->trial(trialId(index.row()));
    if (!trial)
        return {};
    if (role == TrialIdRole)
        return QVariant::fromValue<qlonglong>(trial->id);
    if (role == StageIdRole)
        return QVariant::fromValue<qlonglong>(trial->stageId);
    if (role == StateRole)
        return QString::fromStdString(store::trialStateName(trial->state));
    if (role == Qt::ForegroundRole && index.column() == State)
        return stateColour(trial->state);
    if (role == Qt::TextAlignmentRole
        && (index.column() == Best || index.column() == Epoch || index.column() == Runtime))
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole && index.column() == State && !trial->error.empty())
        return QString::fromStdString(trial->error);
    if (role != Qt::DisplayRole && role != SortRole)
        return {};

    const bool sort = role == SortRole;
    switch (Column(index.column())) {
    case Name:
        // Creation order, not text order ("t10" after "t9").
        return sort ? QVariant(qlonglong(trial->id))
                    : QVariant(QString::fromStdString(trial->name));
    case Stage: {
        const store::StageRecord *stage = m_follower->stage(trial->stageId);
        if (sort)
            return stage ? stage->index : -1;
        return stage ? QString::fromStdString(stage->name) : QString();
    }
    case State:
        return QString::fromStdString(store::trialStateName(trial->state));
    case Params:
        return paramsText(trial->params);
    case Best:
        if (!trial->bestValue)
            return sort ? QVariant(-HUGE_VAL) : QVariant(QString());
        return sort ? QVariant(*trial->bestValue)
                    : QVariant(QString::number(*trial->bestValue, 'f', 3));
    case Epoch:
        return trial->epochs;
    case Device:
        return QString::fromStdString(trial->device);
    case Runtime: {
        const double seconds = runtimeSeconds(*trial, m_now);
        if (sort)
            return seconds;
        return trial->startedAt > 0.0 ? durationText(seconds) : QString();
    }
    case ColumnCount:
        break;
    }
    return {};
}

QVariant TrialTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    static const char *const names[]
        = {"Trial", "Stage", "State", "Parameters", "Best", "Epoch", "Device", "Runtime"};
    return section >= 0 && section < ColumnCount ? tr(names[section]) : QVariant();
}

} // namespace seplab::ui
