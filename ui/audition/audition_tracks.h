#pragma once

// Audition's display of a separation: the score table (a row per separation) and a row per
// track (waveform and spectrogram, listen, mute and solo, seek and loop by mouse), each wired to
// the shared audio::Transport. Every track shows the same time window: Ctrl+wheel on any track
// zooms them all around the mouse, Shift+wheel scrolls them, and playback carries the window
// along a page at a time.

#include "core/separation/spectrogram.h"
#include "ui/audition/time_window.h"

#include <QString>
#include <QWidget>

#include <cstdint>
#include <vector>

class QTableWidget;
class QVBoxLayout;

namespace seplab::audio {
class Transport;
}

namespace seplab::ui {

struct AuditionOutcome;
class TrackRow;

// One track on screen: the mixture, a reference or an estimate.
struct AuditionTrack
{
    QString name;
    QString scores;
    std::vector<float> samples;
    separation::Spectrogram spectrogram;
};

class AuditionTracks : public QWidget
{
    Q_OBJECT

public:
    explicit AuditionTracks(audio::Transport &transport, QWidget *parent = nullptr);

    // Replaces the rows: one per track, each drawn over `frames` frames.
    void setTracks(const std::vector<AuditionTrack> &tracks, std::int64_t frames);
    int rowCount() const { return int(m_rows.size()); }
    TrackRow *row(int index) const { return m_rows.at(std::size_t(index)); }

    // Trial, mean SI-SDR, mean SI-SDRi, then SI-SDR per paired source.
    void clearScores();
    void addScoreRow(const AuditionOutcome &outcome);
    QTableWidget *scoreTable() const { return m_scores; }

    // The rows show what the transport holds: its loop region, mute/solo/audibility, playhead.
    void showLoop();
    void showAudibility();
    void showPlayhead(std::int64_t position);

    // The time window every track shows, and the ways to change it.
    TimeWindow window() const { return m_window; }
    void zoom(std::int64_t anchor, double factor);
    void scroll(std::int64_t deltaFrames);
    void showWhole();
    // Ctrl++ and Ctrl+- zoom around the playhead, Ctrl+0 shows the whole track; active while
    // the focus is inside `scope`.
    void installShortcuts(QWidget *scope);

Q_SIGNALS:
    // A drag across a track chose a loop region; the transport loops it already.
    void loopSelected();

private:
    audio::Transport &m_transport;
    std::vector<TrackRow *> m_rows;
    QTableWidget *m_scores = nullptr;
    QVBoxLayout *m_trackLayout = nullptr;
    std::int64_t m_frames = 0;
    TimeWindow m_window;
    std::int64_t m_lastPlayhead = -1;

    void showWindow(TimeWindow window);
};

} // namespace seplab::ui
