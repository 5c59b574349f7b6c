#include "core/report/plot_canvas.h"

#include <algorithm>
#include <cairo.h>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace seplab::report {

namespace {

constexpr double kPi = 3.14159265358979323846;

std::string tickLabel(double value)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.3g", std::fabs(value) < 1e-12 ? 0.0 : value);
    return text;
}

void widen(double &low, double &high)
{
    if (high > low)
        return;
    const double pad = low == 0.0 ? 1.0 : std::fabs(low) * 0.1;
    low -= pad;
    high += pad;
}

} // namespace

std::vector<double> niceTicks(double low, double high, int count)
{
    const double raw = (high - low) / std::max(1, count);
    if (!(raw > 0.0) || !std::isfinite(raw))
        return {low};
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    double step = magnitude;
    for (double factor : {1.0, 2.0, 5.0, 10.0})
        if (factor * magnitude >= raw) {
            step = factor * magnitude;
            break;
        }
    std::vector<double> ticks;
    for (double tick = std::ceil(low / step - 1e-9) * step; tick <= high + step * 1e-9; tick += step)
        ticks.push_back(tick);
    return ticks;
}

PlotCanvas::PlotCanvas(int width, int height, const std::string &title)
    : m_width(width)
    , m_height(height)
{
    m_surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, width, height);
    m_cr = cairo_create(m_surface);
    cairo_set_source_rgb(m_cr, 1, 1, 1);
    cairo_paint(m_cr);
    cairo_select_font_face(m_cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
    cairo_set_source_rgb(m_cr, 0.1, 0.1, 0.1);
    text(width / 2.0, 20, title, 14, 0.5, 0.5);
    cairo_select_font_face(m_cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
}

PlotCanvas::~PlotCanvas()
{
    cairo_destroy(m_cr);
    cairo_surface_destroy(m_surface);
}

void PlotCanvas::setRanges(double xLow, double xHigh, double yLow, double yHigh, bool logX)
{
    m_logX = logX;
    if (logX) {
        xLow = std::log10(xLow);
        xHigh = std::log10(xHigh);
    }
    widen(xLow, xHigh);
    widen(yLow, yHigh);
    // A margin of 5% keeps the extreme points off the frame.
    const double padY = (yHigh - yLow) * 0.05;
    m_xLow = xLow;
    m_xHigh = xHigh;
    m_yLow = yLow - padY;
    m_yHigh = yHigh + padY;
}

double PlotCanvas::px(double x) const
{
    const double v = m_logX ? std::log10(x) : x;
    return m_left + (v - m_xLow) / (m_xHigh - m_xLow) * (m_width - m_left - m_right);
}

double PlotCanvas::py(double y) const
{
    return m_height - m_bottom - (y - m_yLow) / (m_yHigh - m_yLow) * (m_height - m_top - m_bottom);
}

void PlotCanvas::text(
    double x, double y, const std::string &label, double size, double alignX, double alignY)
{
    cairo_set_font_size(m_cr, size);
    cairo_text_extents_t extents;
    cairo_text_extents(m_cr, label.c_str(), &extents);
    cairo_move_to(m_cr,
                  x - extents.width * alignX - extents.x_bearing,
                  y - extents.height * alignY - extents.y_bearing);
    cairo_show_text(m_cr, label.c_str());
}

void PlotCanvas::drawAxes(const std::string &xLabel, const std::string &yLabel)
{
    const double x0 = m_left, x1 = m_width - m_right;
    const double y0 = m_height - m_bottom, y1 = m_top;
    cairo_set_line_width(m_cr, 1.0);
    // No y label: a bar chart, whose rows are categories rather than values.
    const std::vector<double> yTicks = yLabel.empty() ? std::vector<double>()
                                                      : niceTicks(m_yLow, m_yHigh, 6);
    for (double tick : yTicks) {
        cairo_set_source_rgb(m_cr, 0.9, 0.9, 0.9);
        cairo_move_to(m_cr, x0, py(tick));
        cairo_line_to(m_cr, x1, py(tick));
        cairo_stroke(m_cr);
        cairo_set_source_rgb(m_cr, 0.2, 0.2, 0.2);
        text(x0 - 6, py(tick), tickLabel(tick), 10, 1.0, 0.5);
    }
    for (double tick : niceTicks(m_xLow, m_xHigh, 6)) {
        const double x = m_left + (tick - m_xLow) / (m_xHigh - m_xLow) * (x1 - x0);
        cairo_set_source_rgb(m_cr, 0.9, 0.9, 0.9);
        cairo_move_to(m_cr, x, y0);
        cairo_line_to(m_cr, x, y1);
        cairo_stroke(m_cr);
        cairo_set_source_rgb(m_cr, 0.2, 0.2, 0.2);
        text(x, y0 + 6, tickLabel(m_logX ? std::pow(10.0, tick) : tick), 10, 0.5, 0.0);
    }
    cairo_set_source_rgb(m_cr, 0.2, 0.2, 0.2);
    cairo_rectangle(m_cr, x0, y1, x1 - x0, y0 - y1);
    cairo_stroke(m_cr);
    text((x0 + x1) / 2, m_height - 14, xLabel + (m_logX ? " (log scale)" : ""), 12, 0.5, 0.5);
    cairo_save(m_cr);
    cairo_translate(m_cr, 16, (y0 + y1) / 2);
    cairo_rotate(m_cr, -kPi / 2);
    text(0, 0, yLabel, 12, 0.5, 0.5);
    cairo_restore(m_cr);
}

void PlotCanvas::polyline(const std::vector<std::pair<double, double>> &points,
                          Colour colour,
                          double width)
{
    if (points.empty())
        return;
    cairo_set_source_rgba(m_cr, colour.r, colour.g, colour.b, colour.a);
    cairo_set_line_width(m_cr, width);
    cairo_move_to(m_cr, px(points.front().first), py(points.front().second));
    for (const auto &[x, y] : points)
        cairo_line_to(m_cr, px(x), py(y));
    cairo_stroke(m_cr);
    if (points.size() == 1)
        dot(points.front().first, points.front().second, colour, width + 1.5);
}

void PlotCanvas::dot(double x, double y, Colour colour, double radius)
{
    cairo_set_source_rgba(m_cr, colour.r, colour.g, colour.b, colour.a);
    cairo_arc(m_cr, px(x), py(y), radius, 0, 2 * kPi);
    cairo_fill(m_cr);
}

void PlotCanvas::horizontalBar(
    int index, int count, double value, const std::string &label, Colour colour)
{
    const double band = (m_height - m_top - m_bottom) / std::max(1, count);
    const double top = m_top + band * index + band * 0.15;
    cairo_set_source_rgba(m_cr, colour.r, colour.g, colour.b, colour.a);
    cairo_rectangle(m_cr, px(0.0), top, px(value) - px(0.0), band * 0.7);
    cairo_fill(m_cr);
    cairo_set_source_rgb(m_cr, 0.1, 0.1, 0.1);
    text(m_left - 6, top + band * 0.35, label, 11, 1.0, 0.5);
}

void PlotCanvas::legend(const std::vector<std::pair<std::string, Colour>> &entries)
{
    double y = m_top + 12;
    for (const auto &[label, colour] : entries) {
        const double x = m_width - m_right - 150;
        cairo_set_source_rgba(m_cr, colour.r, colour.g, colour.b, 1.0);
        cairo_rectangle(m_cr, x, y - 5, 14, 10);
        cairo_fill(m_cr);
        cairo_set_source_rgb(m_cr, 0.1, 0.1, 0.1);
        text(x + 20, y, label, 11, 0.0, 0.5);
        y += 16;
    }
}

void PlotCanvas::savePng(const std::string &path)
{
    cairo_surface_flush(m_surface);
    const cairo_status_t status = cairo_surface_write_to_png(m_surface, path.c_str());
    if (status != CAIRO_STATUS_SUCCESS)
        throw std::runtime_error("Cannot write " + path + ": " + cairo_status_to_string(status)
                                 + ".");
}

} // namespace seplab::report
