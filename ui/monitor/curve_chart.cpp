#include "curve_chart.h"

#include <QChart>
#include <QLegendMarker>
#include <QLineSeries>
#include <QPen>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace seplab::ui {

namespace {

// Tableau 10: distinguishable, and none of them grey or the failed red.
const QColor kPalette[] = {QColor(0x1f, 0x77, 0xb4),
                           QColor(0xff, 0x7f, 0x0e),
                           QColor(0x2c, 0xa0, 0x2c),
                           QColor(0x94, 0x67, 0xbd),
                           QColor(0x8c, 0x56, 0x4b),
                           QColor(0xe3, 0x77, 0xc2),
                           QColor(0xbc, 0xbd, 0x22),
                           QColor(0x17, 0xbe, 0xcf)};

QPen penFor(CurveRole role, std::int64_t trialId)
{
    switch (role) {
    case CurveRole::Best:
        return QPen(QColor(0xd6, 0x27, 0x28), 3.0);
    case CurveRole::Stopped:
        return QPen(QColor(0xa0, 0xa0, 0xa0), 1.0);
    case CurveRole::Failed:
        return QPen(QColor(0xe8, 0xa0, 0xa0), 1.0, Qt::DotLine);
    case CurveRole::Normal:
        break;
    }
    return QPen(kPalette[std::size_t(trialId) % std::size(kPalette)], 1.5);
}

QList<QPointF> toQPoints(const std::vector<CurvePoint> &points)
{
    QList<QPointF> out;
    out.reserve(qsizetype(points.size()));
    for (const CurvePoint &point : points)
        if (std::isfinite(point.y))
            out.append(QPointF(point.x, point.y));
    return out;
}

} // namespace

CurveChart::CurveChart(QWidget *parent)
    : QChartView(new QChart, parent)
{
    setObjectName("CurveChart");
    setRenderHint(QPainter::Antialiasing);
    chart()->legend()->hide();
    chart()->setMargins(QMargins(4, 4, 4, 4));
    m_x = new QValueAxis;
    m_x->setTitleText(tr("epoch"));
    m_x->setLabelFormat("%d");
    m_y = new QValueAxis;
    chart()->addAxis(m_x, Qt::AlignBottom);
    chart()->addAxis(m_y, Qt::AlignLeft);
}

void CurveChart::setMetricName(const QString &name)
{
    m_y->setTitleText(name);
}

void CurveChart::setCurves(const std::vector<TrialCurve> &curves)
{
    m_curves = curves;
    redraw();
}

void CurveChart::setBands(const std::vector<int> &bands)
{
    m_bands = bands;
    redrawBands();
}

void CurveChart::setSmoothing(double weight)
{
    m_smoothing = std::clamp(weight, 0.0, 0.999);
    redraw();
}

QLineSeries *CurveChart::seriesFor(std::int64_t trialId) const
{
    const auto found = m_series.find(trialId);
    return found == m_series.end() ? nullptr : found->second;
}

int CurveChart::plotColumns() const
{
    const int width = int(chart()->plotArea().width());
    return width > 0 ? width : 1000;
}

void CurveChart::redraw()
{
    // Drop the series of trials that left the view.
    for (auto it = m_series.begin(); it != m_series.end();) {
        const bool kept = std::any_of(m_curves.begin(), m_curves.end(), [&](const auto &curve) {
            return curve.trialId == it->first;
        });
        if (kept) {
            ++it;
            continue;
        }
        chart()->removeSeries(it->second);
        delete it->second;
        it = m_series.erase(it);
    }

    double xMax = 1.0, yMin = HUGE_VAL, yMax = -HUGE_VAL;
    const int columns = plotColumns();
    bool added = false;
    std::int64_t bestId = 0;
    for (const TrialCurve &curve : m_curves) {
        const std::vector<CurvePoint> shown = decimateToColumns(smoothEma(curve.points, m_smoothing),
                                                                columns);
        for (const CurvePoint &point : shown) {
            if (!std::isfinite(point.y))
                continue;
            xMax = std::max(xMax, point.x);
            yMin = std::min(yMin, point.y);
            yMax = std::max(yMax, point.y);
        }
        QLineSeries *&series = m_series[curve.trialId];
        if (!series) {
            added = true;
            series = new QLineSeries;
            chart()->addSeries(series);
            series->attachAxis(m_x);
            series->attachAxis(m_y);
            const std::int64_t id = curve.trialId;
            connect(series, &QXYSeries::hovered, this, [this, id](const QPointF &point, bool on) {
                if (on)
                    Q_EMIT trialHovered(id, point.x(), point.y());
            });
        }
        // Only what changed is handed to Qt Charts: each setPen() or replace() repaints.
        if (series->name() != curve.label)
            series->setName(curve.label);
        const QPen pen = penFor(curve.role, curve.trialId);
        if (series->pen() != pen)
            series->setPen(pen);
        QList<QPointF> qpoints = toQPoints(shown);
        if (qpoints != series->points())
            series->replace(qpoints);
        if (curve.role == CurveRole::Best)
            bestId = curve.trialId;
    }

    // Qt Charts paints series in the order they were added (QAbstractSeries has no z value in
    // 6.4): the best curve goes back to the end of the list, on top, whenever that changed.
    if (bestId != 0 && (added || bestId != m_bestOnTop)) {
        QLineSeries *best = m_series[bestId];
        chart()->removeSeries(best);
        chart()->addSeries(best);
        best->attachAxis(m_x);
        best->attachAxis(m_y);
    }
    m_bestOnTop = bestId;

    if (yMin > yMax) { // nothing to show yet
        yMin = 0.0;
        yMax = 1.0;
    }
    const double pad = std::max(0.05 * (yMax - yMin), 0.05);
    m_xMax = xMax;
    m_yMin = yMin - pad;
    m_yMax = yMax + pad;
    if (m_x->max() != std::max(2.0, m_xMax) || m_x->min() != 1.0) {
        m_x->setRange(1.0, std::max(2.0, m_xMax));
        // Epochs are integers: ticks on whole steps (1, 2, 3 ... or 1, 6, 11 ...), never the
        // 1.75 that "%d" would print as a second 1.
        const double span = std::max(1.0, m_xMax - 1.0);
        double step = 1.0;
        for (double nice : {1.0, 2.0, 5.0, 10.0, 20.0, 25.0, 50.0, 100.0, 200.0, 250.0, 500.0})
            if (span / nice <= 8.0) {
                step = nice;
                break;
            }
        if (span / step > 8.0)
            step = std::ceil(span / 8.0);
        m_x->setTickType(QValueAxis::TicksDynamic);
        m_x->setTickAnchor(1.0);
        m_x->setTickInterval(step);
    }
    if (m_y->min() != m_yMin || m_y->max() != m_yMax)
        m_y->setRange(m_yMin, m_yMax);
    redrawBands();
}

void CurveChart::redrawBands()
{
    std::vector<int> wanted;
    for (int band : m_bands)
        if (band <= m_xMax)
            wanted.push_back(band);
    // The usual refresh only moves the markers' ends to the new y range.
    if (wanted != m_shownBands) {
        for (QLineSeries *series : m_bandSeries) {
            chart()->removeSeries(series);
            delete series;
        }
        m_bandSeries.clear();
        const QPen pen(QColor(0x60, 0x60, 0x60), 1.0, Qt::DashLine);
        for (int band : wanted) {
            auto *marker = new QLineSeries;
            marker->setName(tr("band %1").arg(band));
            marker->setPen(pen);
            chart()->addSeries(marker);
            marker->attachAxis(m_x);
            marker->attachAxis(m_y);
            m_bandSeries.push_back(marker);
        }
        m_shownBands = wanted;
    }
    for (std::size_t i = 0; i < wanted.size(); ++i)
        m_bandSeries[i]->replace({QPointF(wanted[i], m_yMin), QPointF(wanted[i], m_yMax)});
}

} // namespace seplab::ui
