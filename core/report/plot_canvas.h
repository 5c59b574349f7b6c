#pragma once

// A minimal 2-D chart on a cairo image surface: a frame with ticks and labels, data mapped
// from a (optionally log10) x range and a linear y range, lines, dots, bars and a legend.
// Only compiled when cairo is found (SEPLAB_HAVE_CAIRO).

#include <string>
#include <utility>
#include <vector>

typedef struct _cairo cairo_t;
typedef struct _cairo_surface cairo_surface_t;

namespace seplab::report {

struct Colour
{
    double r, g, b, a = 1.0;
};

// Tick positions for [low, high]: 1, 2 or 5 times a power of ten, about `count` of them.
std::vector<double> niceTicks(double low, double high, int count);

class PlotCanvas
{
public:
    PlotCanvas(int width, int height, const std::string &title);
    ~PlotCanvas();
    PlotCanvas(const PlotCanvas &) = delete;
    PlotCanvas &operator=(const PlotCanvas &) = delete;

    // Data ranges; a degenerate range is widened so that a single value still plots. With
    // logX, x values are mapped through log10 and must be positive.
    void setRanges(double xLow, double xHigh, double yLow, double yHigh, bool logX = false);
    // The left margin in pixels (bar charts with long labels need more).
    void setLeftMargin(double pixels) { m_left = pixels; }
    // An empty yLabel leaves out the y ticks (for bar charts).
    void drawAxes(const std::string &xLabel, const std::string &yLabel);

    void polyline(const std::vector<std::pair<double, double>> &points, Colour colour, double width);
    void dot(double x, double y, Colour colour, double radius);
    // A horizontal bar for row `index` of `count`, from x = 0 to `value`, labelled on the left.
    void horizontalBar(int index, int count, double value, const std::string &label, Colour colour);
    void legend(const std::vector<std::pair<std::string, Colour>> &entries);

    // Throws std::runtime_error naming the path when cairo cannot write the PNG.
    void savePng(const std::string &path);

private:
    double px(double x) const;
    double py(double y) const;
    void text(double x, double y, const std::string &text, double size, double alignX, double alignY);

    cairo_surface_t *m_surface = nullptr;
    cairo_t *m_cr = nullptr;
    int m_width, m_height;
    double m_left = 70, m_right = 20, m_top = 40, m_bottom = 55;
    double m_xLow = 0, m_xHigh = 1, m_yLow = 0, m_yHigh = 1;
    bool m_logX = false;
};

} // namespace seplab::report
