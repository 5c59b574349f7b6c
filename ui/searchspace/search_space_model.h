#pragma once

// The search-space editor's table: one row per hyperparameter (name, distribution, bounds, q,
// values, weights, log scale) that is checked by core's parser on every edit. A row's problem
// is shown inline: in its own column, as the tooltip of the row, and as a red background on the
// cell it is about.

#include "space_row.h"

#include <QAbstractTableModel>

#include <vector>

namespace seplab::ui {

class SearchSpaceModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Name, Distribution, Low, High, Q, Values, Weights, Log, Problem, ColumnCount };

    explicit SearchSpaceModel(QObject *parent = nullptr);

    void setRows(const std::vector<SpaceRow> &rows);
    const std::vector<SpaceRow> &rows() const { return m_rows; }
    // The check of one row, with duplicate names flagged.
    const RowCheck &check(int row) const { return m_checks[std::size_t(row)]; }
    int problemCount() const;

    void appendRow(const SpaceRow &row);
    void removeRowAt(int row);

    // The space the rows describe, in their order; nullopt and `error` (the first problem,
    // "row N: ...") when a row is invalid or there are none.
    std::optional<sweep::SearchSpace> space(std::string *error = nullptr) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    void recheck();
    std::string *cellText(SpaceRow &row, int column) const;
    static const char *cellName(int column);

    std::vector<SpaceRow> m_rows;
    std::vector<RowCheck> m_checks;
};

} // namespace seplab::ui
