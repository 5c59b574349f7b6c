#pragma once

// Parallel coordinates: one vertical axis per hyperparameter plus the metric, one polyline per
// trial. Dragging along an axis brushes a range on it; the trials inside every brush stay in
// colour (by metric, blue to red) and the rest turn grey, so "which lr and dropout gave the
// top runs" is one drag. A click without a drag clears that axis's brush. Log parameters are
// spaced in log10, as the sampler drew them.

#include <QWidget>

#include <optional>
#include <utility>
#include <vector>

namespace seplab::ui {

struct ParallelAxis
{
    QString name;
    bool log = false;
    double min = 0.0, max = 1.0; // the data's range (set by setData)
};

class ParallelCoordinates : public QWidget
{
    Q_OBJECT

public:
    explicit ParallelCoordinates(QWidget *parent = nullptr);

    // `rows[i][a]` is trial i's value on axis a (NaN when it has none). The last axis is the
    // metric; lines are coloured by it, `maximize` saying which end is good.
    void setData(const QStringList &axisNames,
                 const std::vector<bool> &logAxes,
                 const std::vector<std::vector<double>> &rows,
                 bool maximize);

    // A brush in data units on one axis; nullopt clears it.
    void setBrush(int axis, std::optional<std::pair<double, double>> range);
    void clearBrushes();
    std::optional<std::pair<double, double>> brush(int axis) const;

    // Rows inside every brush (all rows when there is none), in row order.
    std::vector<int> selectedRows() const;
    const std::vector<ParallelAxis> &axes() const { return m_axes; }

    // Where a value sits on an axis, 0 (bottom) to 1 (top); log axes in log10.
    double position(int axis, double value) const;
    // The widget x of an axis and the y of a position, for painting and for tests that drag.
    int axisX(int axis) const;
    int positionY(double position) const;

    QSize sizeHint() const override;

Q_SIGNALS:
    void selectionChanged(int selected, int total);

protected:
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;

private:
    double valueAt(int axis, double position) const;
    double positionAtY(int y) const;
    int axisNear(int x) const;
    void announce();

    std::vector<ParallelAxis> m_axes;
    std::vector<std::vector<double>> m_rows;
    std::vector<std::optional<std::pair<double, double>>> m_brushes;
    bool m_maximize = true;
    int m_dragAxis = -1;
    int m_dragStartY = 0, m_dragNowY = 0;
};

} // namespace seplab::ui
