#pragma once

// The trial table: one row per trial of the followed store, in the order trials appeared, with
// display text for the eye and, under SortRole, raw numbers so that the proxy sorts 10 after 9
// and runtimes by seconds. Rows are only ever appended or updated in place, so a selection
// survives every refresh while a sweep streams.

#include <QAbstractTableModel>

#include <cstdint>
#include <set>
#include <vector>

namespace seplab::ui {

class StoreFollower;

class TrialTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Name, Stage, State, Params, Best, Epoch, Device, Runtime, ColumnCount };
    static constexpr int SortRole = Qt::UserRole;
    static constexpr int TrialIdRole = Qt::UserRole + 1;
    static constexpr int StageIdRole = Qt::UserRole + 2;
    static constexpr int StateRole = Qt::UserRole + 3; // the stored state name

    explicit TrialTableModel(QObject *parent = nullptr);

    // Shows `follower`'s trials; `changed` are the ids whose rows differ since the last call
    // (StoreFollower::Changes::trials). Running trials' runtimes refresh on every call.
    // `nowSeconds` is the clock the runtimes are measured against (unix seconds).
    void update(const StoreFollower &follower,
                const std::set<std::int64_t> &changed,
                double nowSeconds);
    // Forgets every row (another store was opened).
    void clear();

    std::int64_t trialId(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    const StoreFollower *m_follower = nullptr;
    std::vector<std::int64_t> m_ids;
    double m_now = 0.0;
};

// "12 s", "4 min 05 s", "2 h 07 min".
QString durationText(double seconds);

} // namespace seplab::ui
