#pragma once

// One track of the Audition panel: its waveform (min/max per pixel column, so no peak is lost)
// above its spectrogram, with the shared playhead and loop region drawn across. A click seeks,
// a drag selects a loop region; both are reported in frames of the track's rate. It shows the
// time window it is given (all of the track, or a zoomed part); Ctrl+wheel asks to zoom around
// the mouse and Shift+wheel (or a horizontal wheel) to scroll, and a plain wheel is left to the
// scroll area around the tracks.

#include "core/separation/spectrogram.h"
#include "ui/audition/time_window.h"

#include <QImage>
#include <QWidget>

#include <optional>
#include <utility>
#include <vector>

namespace seplab::ui {

class TrackView : public QWidget
{
    Q_OBJECT

public:
    explicit TrackView(QWidget *parent = nullptr);

    // `frames` is the longest track's length, so that every view shares one time axis.
    void setSignal(std::vector<float> samples,
                   const separation::Spectrogram &spectrogram,
                   std::int64_t frames);
    void setPlayhead(std::int64_t frame);
    void setLoop(std::optional<std::pair<std::int64_t, std::int64_t>> loop);
    // Inaudible tracks (muted, or another soloed) are drawn dimmed.
    void setAudible(bool audible);
    // Clamped to the track; an empty window shows all of it.
    void setWindow(TimeWindow window);
    TimeWindow window() const { return m_window; }

    std::int64_t frameAt(int x) const;
    int xAt(std::int64_t frame) const;
    // The spectrogram as drawn before scaling: bins tall, frames wide (for tests and export).
    const QImage &spectrogramImage() const { return m_spectrogram; }
    std::int64_t playhead() const { return m_playhead; }

    QSize sizeHint() const override { return {600, 96}; }

Q_SIGNALS:
    void seekRequested(std::int64_t frame);
    void loopSelected(std::int64_t start, std::int64_t end);
    // factor < 1 zooms in, keeping `anchor` (the frame under the mouse) in place.
    void zoomRequested(std::int64_t anchor, double factor);
    void scrollRequested(std::int64_t deltaFrames);

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;

private:
    void rebuildColumns();

    std::vector<float> m_samples;
    std::int64_t m_frames = 0;
    TimeWindow m_window;
    QImage m_spectrogram;
    std::vector<std::pair<float, float>> m_columns; // min, max per pixel column
    std::int64_t m_playhead = 0;
    std::optional<std::pair<std::int64_t, std::int64_t>> m_loop;
    bool m_audible = true;
    std::optional<int> m_dragFrom;
    int m_dragTo = 0;
};

// The colour of a spectrogram cell `level` in [0, 1] (0 = 80 dB below the track's peak):
// black through purple and orange to pale yellow, like matplotlib's "inferno".
QRgb spectrogramColour(double level);

} // namespace seplab::ui
