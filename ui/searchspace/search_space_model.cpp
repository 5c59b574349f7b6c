#include "search_space_model.h"

#include <QBrush>
#include <QColor>

#include <map>

namespace seplab::ui {

namespace {

const QColor kProblemCell(0xff, 0xd6, 0xd6);
const QColor kUnusedCell(0xf0, 0xf0, 0xf0);
const QColor kProblemText(0xb0, 0x20, 0x20);

} // namespace

SearchSpaceModel::SearchSpaceModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

const char *SearchSpaceModel::cellName(int column)
{
    switch (Column(column)) {
    case Name:
        return "name";
    case Distribution:
        return "distribution";
    case Low:
        return "low";
    case High:
        return "high";
    case Q:
        return "q";
    case Values:
        return "values";
    case Weights:
        return "weights";
    default:
        return "";
    }
}

std::string *SearchSpaceModel::cellText(SpaceRow &row, int column) const
{
    switch (Column(column)) {
    case Name:
        return &row.name;
    case Distribution:
        return &row.distribution;
    case Low:
        return &row.low;
    case High:
        return &row.high;
    case Q:
        return &row.q;
    case Values:
        return &row.values;
    case Weights:
        return &row.weights;
    default:
        return nullptr;
    }
}

void SearchSpaceModel::recheck()
{
    m_checks.clear();
    std::map<std::string, int> seen;
    for (const SpaceRow &row : m_rows) {
        RowCheck check = checkRow(row);
        if (check.error.empty() && seen.count(row.name)) {
            check.error = "parameter '" + row.name + "' appears twice.";
            check.cell = "name";
            check.parameter.reset();
        }
        ++seen[row.name];
        m_checks.push_back(std::move(check));
    }
}

void SearchSpaceModel::setRows(const std::vector<SpaceRow> &rows)
{
    beginResetModel();
    m_rows = rows;
    recheck();
    endResetModel();
}

int SearchSpaceModel::problemCount() const
{
    int count = 0;
    for (const RowCheck &check : m_checks)
        count += check.error.empty() ? 0 : 1;
    return count;
}

void SearchSpaceModel::appendRow(const SpaceRow &row)
{
    beginInsertRows({}, int(m_rows.size()), int(m_rows.size()));
    m_rows.push_back(row);
    recheck();
    endInsertRows();
    Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

void SearchSpaceModel::removeRowAt(int row)
{
    if (row < 0 || row >= rowCount())
        return;
    beginRemoveRows({}, row, row);
    m_rows.erase(m_rows.begin() + row);
    recheck();
    endRemoveRows();
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

std::optional<sweep::SearchSpace> SearchSpaceModel::space(std::string *error) const
{
    auto fail = [&](const std::string &message) -> std::optional<sweep::SearchSpace> {
        if (error)
            *error = message;
        return std::nullopt;
    };
    if (m_rows.empty())
        return fail("the search space has no parameter.");
    sweep::SearchSpace space;
    for (std::size_t i = 0; i < m_rows.size(); ++i) {
        if (!m_checks[i].error.empty())
            return fail("row " + std::to_string(i + 1) + ": " + m_checks[i].error);
        try {
            space.add(m_rows[i].name, *m_checks[i].parameter);
        } catch (const std::invalid_argument &problem) {
            return fail("row " + std::to_string(i + 1) + ": " + problem.what());
        }
    }
    return space;
}

int SearchSpaceModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int SearchSpaceModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SearchSpaceModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    const SpaceRow &row = m_rows[std::size_t(index.row())];
    const RowCheck &check = m_checks[std::size_t(index.row())];
    const int column = index.column();
    const bool used = column < Low || column > Weights
                      || rowUses(row.distribution, cellName(column));

    if (column == Log) {
        // Every log form has "log" in its W&B name (log_uniform_values, q_log_normal, ...).
        if (role == Qt::CheckStateRole)
            return row.distribution.find("log") != std::string::npos ? Qt::Checked : Qt::Unchecked;
        return {};
    }
    if (role == Qt::ToolTipRole && !check.error.empty())
        return QString::fromStdString(check.error);
    if (role == Qt::BackgroundRole) {
        if (!check.error.empty() && check.cell == cellName(column))
            return QBrush(kProblemCell);
        if (!used)
            return QBrush(kUnusedCell);
        return {};
    }
    if (role == Qt::ForegroundRole && column == Problem)
        return QBrush(kProblemText);
    if (role != Qt::DisplayRole && role != Qt::EditRole)
        return {};
    if (column == Problem)
        return QString::fromStdString(check.error);
    if (!used)
        return QString();
    std::string *text = cellText(const_cast<SpaceRow &>(row), column);
    return text ? QString::fromStdString(*text) : QVariant();
}

bool SearchSpaceModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!index.isValid())
        return false;
    SpaceRow &row = m_rows[std::size_t(index.row())];
    if (index.column() == Log && role == Qt::CheckStateRole) {
        const std::string twin = logTwin(row.distribution);
        if (twin.empty())
            return false;
        row.distribution = twin;
    } else if (role == Qt::EditRole) {
        std::string *text = cellText(row, index.column());
        if (!text)
            return false;
        *text = value.toString().toStdString();
    } else {
        return false;
    }
    recheck();
    // A name edit can make or clear a duplicate elsewhere: every row may change.
    Q_EMIT dataChanged(this->index(0, 0), this->index(rowCount() - 1, ColumnCount - 1));
    return true;
}

Qt::ItemFlags SearchSpaceModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    const SpaceRow &row = m_rows[std::size_t(index.row())];
    Qt::ItemFlags flags = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    const int column = index.column();
    if (column == Log)
        return logTwin(row.distribution).empty() ? flags : flags | Qt::ItemIsUserCheckable;
    if (column == Name || column == Distribution
        || (column >= Low && column <= Weights && rowUses(row.distribution, cellName(column))))
        flags |= Qt::ItemIsEditable;
    return flags;
}

QVariant SearchSpaceModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    static const char *const names[] = {"Name",
                                        "Distribution",
                                        "Min / μ / a",
                                        "Max / σ / b",
                                        "q",
                                        "Values",
                                        "Weights",
                                        "Log",
                                        "Problem"};
    return section >= 0 && section < ColumnCount ? tr(names[section]) : QVariant();
}

} // namespace seplab::ui
