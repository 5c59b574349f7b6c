#pragma once

// The live metric chart: one line per trial of a stage, the best one drawn bold, stopped trials
// grey and failed ones pale red, early-termination bands as dashed vertical markers, and EMA
// smoothing. Every refresh swaps whole point lists in with QLineSeries::replace() (one repaint
// per series, never one per point) after decimating them to the plot's pixel width.

#include "curve_math.h"

#include <QChartView>

#include <cstdint>
#include <map>
#include <vector>

class QLineSeries;
class QValueAxis;

namespace seplab::ui {

enum class CurveRole { Normal, Best, Stopped, Failed };

struct TrialCurve
{
    std::int64_t trialId = 0;
    QString label;
    std::vector<CurvePoint> points; // x = step (epoch), sorted
    CurveRole role = CurveRole::Normal;
};

class CurveChart : public QChartView
{
    Q_OBJECT

public:
    explicit CurveChart(QWidget *parent = nullptr);

    // Shows exactly these curves: series of trials not listed are removed, the others get their
    // points replaced.
    void setCurves(const std::vector<TrialCurve> &curves);
    void setBands(const std::vector<int> &bands);
    // EMA weight in [0, 1); 0 draws the raw values.
    void setSmoothing(double weight);
    void setMetricName(const QString &name);

    double smoothing() const { return m_smoothing; }
    // For tests and tooltips: the series of one trial (nullptr when not shown) and the drawn
    // band markers.
    QLineSeries *seriesFor(std::int64_t trialId) const;
    int bandMarkerCount() const { return int(m_bandSeries.size()); }

Q_SIGNALS:
    void trialHovered(std::int64_t trialId, double x, double y);

private:
    void redraw();
    void redrawBands();
    int plotColumns() const;

    QValueAxis *m_x = nullptr;
    QValueAxis *m_y = nullptr;
    std::vector<TrialCurve> m_curves;
    std::map<std::int64_t, QLineSeries *> m_series;
    std::vector<QLineSeries *> m_bandSeries;
    std::vector<int> m_bands;
    std::vector<int> m_shownBands;
    double m_smoothing = 0.0;
    std::int64_t m_bestOnTop = 0;
    double m_xMax = 1.0, m_yMin = 0.0, m_yMax = 1.0;
};

} // namespace seplab::ui
