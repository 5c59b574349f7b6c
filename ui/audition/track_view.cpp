#include "ui/audition/track_view.h"

#include <QMouseEvent>
#include <QPainter>
#include <QWheelEvent>

#include <algorithm>
#include <array>
#include <cmath>

namespace seplab::ui {

namespace {

constexpr double kDynamicRangeDb = 80.0;
constexpr double kWaveformShare = 0.4; // of the height; the spectrogram takes the rest

QImage renderSpectrogram(const separation::Spectrogram &s)
{
    if (s.frames == 0 || s.bins == 0)
        return {};
    QImage image(s.frames, s.bins, QImage::Format_RGB32);
    const double floor = double(s.maxDb) - kDynamicRangeDb;
    for (int bin = 0; bin < s.bins; ++bin) {
        // Low frequencies at the bottom.
        auto *line = reinterpret_cast<QRgb *>(image.scanLine(s.bins - 1 - bin));
        for (int frame = 0; frame < s.frames; ++frame)
            line[frame] = spectrogramColour((double(s.at(frame, bin)) - floor) / kDynamicRangeDb);
    }
    return image;
}

} // namespace

QRgb spectrogramColour(double level)
{
    struct Stop
    {
        double at;
        int r, g, b;
    };
    static constexpr std::array<Stop, 6> kStops = {{{0.0, 0, 0, 4},
                                                    {0.25, 66, 10, 104},
                                                    {0.5, 147, 38, 103},
                                                    {0.7, 221, 81, 58},
                                                    {0.85, 252, 165, 10},
                                                    {1.0, 252, 255, 164}}};
    level = std::clamp(level, 0.0, 1.0);
    std::size_t upper = 1;
    while (upper + 1 < kStops.size() && kStops[upper].at < level)
        ++upper;
    const Stop &a = kStops[upper - 1];
    const Stop &b = kStops[upper];
    const double t = (level - a.at) / (b.at - a.at);
    const auto mix = [t](int x, int y) { return int(std::lround(x + t * (y - x))); };
    return qRgb(mix(a.r, b.r), mix(a.g, b.g), mix(a.b, b.b));
}

TrackView::TrackView(QWidget *parent)
    : QWidget(parent)
{
    setMinimumHeight(64);
    setMouseTracking(false);
    setCursor(Qt::IBeamCursor);
}

void TrackView::setSignal(std::vector<float> samples,
                          const separation::Spectrogram &spectrogram,
                          std::int64_t frames)
{
    m_samples = std::move(samples);
    m_frames = std::max<std::int64_t>(frames, std::int64_t(m_samples.size()));
    m_window = wholeWindow(m_frames);
    m_spectrogram = renderSpectrogram(spectrogram);
    rebuildColumns();
    update();
}

void TrackView::setWindow(TimeWindow window)
{
    window.start = std::clamp<std::int64_t>(window.start, 0, m_frames);
    window.end = std::clamp<std::int64_t>(window.end, window.start, m_frames);
    if (window.span() == 0)
        window = wholeWindow(m_frames);
    if (window.start == m_window.start && window.end == m_window.end)
        return;
    m_window = window;
    rebuildColumns();
    update();
}

void TrackView::rebuildColumns()
{
    const int width = std::max(1, this->width());
    m_columns.assign(std::size_t(width), {0.0f, 0.0f});
    if (m_samples.empty() || m_frames == 0)
        return;
    for (int x = 0; x < width; ++x) {
        const std::int64_t begin = frameAt(x);
        const std::int64_t end = std::min<std::int64_t>(std::max(begin + 1, frameAt(x + 1)),
                                                        std::int64_t(m_samples.size()));
        if (begin >= end)
            continue;
        const auto [low, high] = std::minmax_element(m_samples.begin() + begin,
                                                     m_samples.begin() + end);
        m_columns[std::size_t(x)] = {*low, *high};
    }
}

std::int64_t TrackView::frameAt(int x) const
{
    const int width = std::max(1, this->width());
    const auto offset = std::int64_t(double(x) * double(m_window.span()) / width);
    return std::clamp<std::int64_t>(m_window.start + offset, 0, m_frames);
}

int TrackView::xAt(std::int64_t frame) const
{
    if (m_window.span() == 0)
        return 0;
    return int(std::lround(double(frame - m_window.start) * width() / double(m_window.span())));
}

void TrackView::setPlayhead(std::int64_t frame)
{
    if (frame == m_playhead)
        return;
    const int before = xAt(m_playhead), after = xAt(frame);
    m_playhead = frame;
    // Only the two columns the line leaves and enters need repainting.
    if (before != after) {
        update(before - 1, 0, 3, height());
        update(after - 1, 0, 3, height());
    }
}

void TrackView::setLoop(std::optional<std::pair<std::int64_t, std::int64_t>> loop)
{
    m_loop = loop;
    update();
}

void TrackView::setAudible(bool audible)
{
    if (audible == m_audible)
        return;
    m_audible = audible;
    update();
}

void TrackView::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    const int w = width(), h = height();
    const int waveHeight = int(h * kWaveformShare);
    painter.fillRect(0, 0, w, waveHeight, QColor(24, 26, 32));
    if (!m_spectrogram.isNull() && m_frames > 0) {
        // The image spans the whole track; draw the window's share of its columns.
        const double columnsPerFrame = double(m_spectrogram.width()) / double(m_frames);
        const QRectF source(double(m_window.start) * columnsPerFrame,
                            0.0,
                            double(m_window.span()) * columnsPerFrame,
                            m_spectrogram.height());
        painter.drawImage(QRectF(0, waveHeight, w, h - waveHeight), m_spectrogram, source);
    } else
        painter.fillRect(0, waveHeight, w, h - waveHeight, QColor(0, 0, 4));

    // The waveform, scaled to the track's own peak so quiet estimates stay visible.
    float peak = 1e-6f;
    for (const auto &[low, high] : m_columns)
        peak = std::max({peak, -low, high});
    const double middle = waveHeight / 2.0, scale = (waveHeight / 2.0 - 2.0) / peak;
    painter.setPen(QColor(120, 200, 255));
    for (int x = 0; x < int(m_columns.size()); ++x) {
        const auto [low, high] = m_columns[std::size_t(x)];
        painter.drawLine(x, int(middle - high * scale), x, int(middle - low * scale));
    }

    if (m_loop) {
        const int a = xAt(m_loop->first), b = xAt(m_loop->second);
        painter.fillRect(a, 0, std::max(1, b - a), h, QColor(255, 255, 255, 48));
        painter.setPen(QColor(255, 255, 255, 160));
        painter.drawLine(a, 0, a, h);
        painter.drawLine(b, 0, b, h);
    }
    if (m_dragFrom) {
        const int a = std::min(*m_dragFrom, m_dragTo), b = std::max(*m_dragFrom, m_dragTo);
        painter.fillRect(a, 0, b - a, h, QColor(255, 255, 255, 64));
    }
    if (!m_audible)
        painter.fillRect(rect(), QColor(0, 0, 0, 140));
    painter.setPen(QPen(QColor(255, 80, 80), 2));
    const int x = xAt(m_playhead);
    painter.drawLine(x, 0, x, h);
}

void TrackView::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    rebuildColumns();
}

void TrackView::wheelEvent(QWheelEvent *event)
{
    const QPoint delta = event->angleDelta();
    const bool horizontal = delta.x() != 0 && delta.y() == 0;
    const bool zoom = event->modifiers() & Qt::ControlModifier;
    const bool scroll = horizontal || (event->modifiers() & Qt::ShiftModifier);
    if (m_frames == 0 || (!zoom && !scroll)) {
        event->ignore(); // the scroll area around the tracks scrolls them
        return;
    }
    // 120 units per notch; a notch zooms by 1.25 or scrolls a tenth of the window.
    const double notches = double(horizontal ? delta.x() : delta.y()) / 120.0;
    if (zoom)
        Q_EMIT zoomRequested(frameAt(int(event->position().x())), std::pow(0.8, notches));
    else
        Q_EMIT scrollRequested(-std::llround(notches * double(m_window.span()) / 10.0));
    event->accept();
}

void TrackView::mousePressEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton)
        return;
    m_dragFrom = int(event->position().x());
    m_dragTo = *m_dragFrom;
}

void TrackView::mouseMoveEvent(QMouseEvent *event)
{
    if (!m_dragFrom)
        return;
    m_dragTo = std::clamp(int(event->position().x()), 0, width());
    update();
}

void TrackView::mouseReleaseEvent(QMouseEvent *event)
{
    if (!m_dragFrom || event->button() != Qt::LeftButton)
        return;
    const int from = *m_dragFrom, to = std::clamp(int(event->position().x()), 0, width());
    m_dragFrom.reset();
    update();
    // A few pixels of wobble is still a click.
    if (std::abs(to - from) < 4)
        Q_EMIT seekRequested(frameAt(from));
    else
        Q_EMIT loopSelected(frameAt(std::min(from, to)), frameAt(std::max(from, to)));
}

} // namespace seplab::ui
