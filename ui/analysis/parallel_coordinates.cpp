#include "parallel_coordinates.h"

#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace seplab::ui {

namespace {

constexpr int kMarginX = 60;
constexpr int kMarginTop = 34;
constexpr int kMarginBottom = 26;
constexpr int kAxisGrabPixels = 12; // how near an axis a press must be to brush it
constexpr int kClickPixels = 3;     // a press and release closer than this is a click

double axisValue(const ParallelAxis &axis, double value)
{
    return axis.log ? std::log10(value) : value;
}

QColor metricColour(double goodness)
{
    // Blue (worst) to red (best) through purple: readable on white, distinct from the grey of
    // unselected lines.
    const double t = std::clamp(goodness, 0.0, 1.0);
    return QColor::fromRgbF(float(0.15 + 0.75 * t), float(0.25 - 0.1 * t), float(0.85 - 0.7 * t));
}

QString tickText(double value)
{
    return QString::number(value, 'g', 3);
}

} // namespace

ParallelCoordinates::ParallelCoordinates(QWidget *parent)
    : QWidget(parent)
{
    setObjectName("ParallelCoordinates");
    setMouseTracking(false);
    setMinimumHeight(200);
    setBackgroundRole(QPalette::Base);
    setAutoFillBackground(true);
}

QSize ParallelCoordinates::sizeHint() const
{
    return {640, 320};
}

void ParallelCoordinates::setData(const QStringList &axisNames,
                                  const std::vector<bool> &logAxes,
                                  const std::vector<std::vector<double>> &rows,
                                  bool maximize)
{
    m_axes.clear();
    m_rows = rows;
    m_maximize = maximize;
    for (int a = 0; a < axisNames.size(); ++a) {
        ParallelAxis axis;
        axis.name = axisNames[a];
        axis.log = a < int(logAxes.size()) && logAxes[std::size_t(a)];
        double low = HUGE_VAL, high = -HUGE_VAL;
        for (const auto &row : rows) {
            const double v = row[std::size_t(a)];
            if (!std::isfinite(v) || (axis.log && v <= 0.0))
                continue;
            low = std::min(low, v);
            high = std::max(high, v);
        }
        if (low > high)
            low = high = 0.0;
        axis.min = low;
        axis.max = high;
        m_axes.push_back(axis);
    }
    m_brushes.assign(m_axes.size(), std::nullopt);
    update();
    announce();
}

void ParallelCoordinates::setBrush(int axis, std::optional<std::pair<double, double>> range)
{
    if (axis < 0 || axis >= int(m_brushes.size()))
        return;
    if (range && range->first > range->second)
        std::swap(range->first, range->second);
    m_brushes[std::size_t(axis)] = range;
    update();
    announce();
}

void ParallelCoordinates::clearBrushes()
{
    std::fill(m_brushes.begin(), m_brushes.end(), std::nullopt);
    update();
    announce();
}

std::optional<std::pair<double, double>> ParallelCoordinates::brush(int axis) const
{
    return axis >= 0 && axis < int(m_brushes.size()) ? m_brushes[std::size_t(axis)] : std::nullopt;
}

std::vector<int> ParallelCoordinates::selectedRows() const
{
    std::vector<int> out;
    for (int r = 0; r < int(m_rows.size()); ++r) {
        bool inside = true;
        for (std::size_t a = 0; a < m_brushes.size() && inside; ++a) {
            if (!m_brushes[a])
                continue;
            const double v = m_rows[std::size_t(r)][a];
            inside = std::isfinite(v) && v >= m_brushes[a]->first && v <= m_brushes[a]->second;
        }
        if (inside)
            out.push_back(r);
    }
    return out;
}

double ParallelCoordinates::position(int axis, double value) const
{
    const ParallelAxis &a = m_axes[std::size_t(axis)];
    const double low = axisValue(a, a.min), high = axisValue(a, a.max);
    if (!(high > low))
        return 0.5;
    return (axisValue(a, value) - low) / (high - low);
}

double ParallelCoordinates::valueAt(int axis, double position) const
{
    const ParallelAxis &a = m_axes[std::size_t(axis)];
    const double low = axisValue(a, a.min), high = axisValue(a, a.max);
    const double v = low + std::clamp(position, 0.0, 1.0) * (high - low);
    return a.log ? std::pow(10.0, v) : v;
}

int ParallelCoordinates::axisX(int axis) const
{
    const int count = int(m_axes.size());
    if (count <= 1)
        return width() / 2;
    return kMarginX + int(std::lround(double(axis) * (width() - 2 * kMarginX) / (count - 1)));
}

int ParallelCoordinates::positionY(double position) const
{
    const int span = height() - kMarginTop - kMarginBottom;
    return kMarginTop + int(std::lround((1.0 - position) * span));
}

double ParallelCoordinates::positionAtY(int y) const
{
    const int span = std::max(1, height() - kMarginTop - kMarginBottom);
    return 1.0 - double(y - kMarginTop) / span;
}

int ParallelCoordinates::axisNear(int x) const
{
    for (int a = 0; a < int(m_axes.size()); ++a)
        if (std::abs(axisX(a) - x) <= kAxisGrabPixels)
            return a;
    return -1;
}

void ParallelCoordinates::announce()
{
    Q_EMIT selectionChanged(int(selectedRows().size()), int(m_rows.size()));
}

void ParallelCoordinates::mousePressEvent(QMouseEvent *event)
{
    m_dragAxis = axisNear(int(event->position().x()));
    m_dragStartY = m_dragNowY = int(event->position().y());
}

void ParallelCoordinates::mouseMoveEvent(QMouseEvent *event)
{
    if (m_dragAxis < 0)
        return;
    m_dragNowY = int(event->position().y());
    update();
}

void ParallelCoordinates::mouseReleaseEvent(QMouseEvent *event)
{
    if (m_dragAxis < 0)
        return;
    const int axis = m_dragAxis;
    m_dragAxis = -1;
    m_dragNowY = int(event->position().y());
    if (std::abs(m_dragNowY - m_dragStartY) < kClickPixels) {
        setBrush(axis, std::nullopt);
        return;
    }
    setBrush(axis,
             std::make_pair(valueAt(axis, positionAtY(std::max(m_dragStartY, m_dragNowY))),
                            valueAt(axis, positionAtY(std::min(m_dragStartY, m_dragNowY)))));
}

void ParallelCoordinates::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    if (m_axes.empty()) {
        painter.drawText(rect(), Qt::AlignCenter, tr("No finished trials to compare yet."));
        return;
    }
    const int metric = int(m_axes.size()) - 1;
    std::vector<bool> selected(m_rows.size(), false);
    for (int r : selectedRows())
        selected[std::size_t(r)] = true;

    auto polyline = [&](const std::vector<double> &row) {
        QPainterPath path;
        bool started = false;
        for (int a = 0; a < int(m_axes.size()); ++a) {
            const double v = row[std::size_t(a)];
            if (!std::isfinite(v) || (m_axes[std::size_t(a)].log && v <= 0.0)) {
                started = false;
                continue;
            }
            const QPointF point(axisX(a), positionY(position(a, v)));
            if (started)
                path.lineTo(point);
            else
                path.moveTo(point);
            started = true;
        }
        return path;
    };
    // Unselected first, then the selected ones on top.
    for (int pass = 0; pass < 2; ++pass)
        for (std::size_t r = 0; r < m_rows.size(); ++r) {
            if (selected[r] != (pass == 1))
                continue;
            const double goodness = position(metric, m_rows[r][std::size_t(metric)]);
            const QColor colour = selected[r] ? metricColour(m_maximize ? goodness : 1.0 - goodness)
                                              : QColor(0xcc, 0xcc, 0xcc);
            painter.setPen(QPen(colour, selected[r] ? 1.6 : 1.0));
            painter.drawPath(polyline(m_rows[r]));
        }

    const QPen axisPen(palette().color(QPalette::Text), 1.2);
    for (int a = 0; a < int(m_axes.size()); ++a) {
        const ParallelAxis &axis = m_axes[std::size_t(a)];
        const int x = axisX(a);
        if (const auto range = m_brushes[std::size_t(a)]) {
            const int top = positionY(position(a, range->second));
            const int bottom = positionY(position(a, range->first));
            painter.fillRect(QRect(x - 7, top, 14, std::max(2, bottom - top)),
                             QColor(255, 200, 0, 110));
        }
        painter.setPen(axisPen);
        painter.drawLine(x, positionY(0.0), x, positionY(1.0));
        const QString title = axis.name + (axis.log ? tr(" (log)") : QString());
        painter.drawText(QRect(x - 70, 2, 140, kMarginTop - 14), Qt::AlignCenter, title);
        painter.drawText(QRect(x - 60, positionY(1.0) - 14, 120, 12),
                         Qt::AlignCenter,
                         tickText(axis.max));
        painter.drawText(QRect(x - 60, positionY(0.0) + 3, 120, 14),
                         Qt::AlignCenter,
                         tickText(axis.min));
    }
    if (m_dragAxis >= 0) {
        const int x = axisX(m_dragAxis);
        painter.fillRect(QRect(x - 7,
                               std::min(m_dragStartY, m_dragNowY),
                               14,
                               std::abs(m_dragNowY - m_dragStartY)),
                         QColor(255, 160, 0, 90));
    }
}

} // namespace seplab::ui
