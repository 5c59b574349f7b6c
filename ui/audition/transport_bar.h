#pragma once

// Audition's transport bar: play/pause, stop, loop, the playhead clock, the A/B pair and where
// playback goes. It drives the shared audio::Transport; the tracks follow through its signals.

#include <QWidget>

#include <cstdint>

class QCheckBox;
class QComboBox;
class QLabel;
class QPushButton;

namespace seplab::audio {
class Transport;
}

namespace seplab::ui {

class TransportBar : public QWidget
{
    Q_OBJECT

public:
    explicit TransportBar(audio::Transport &transport, QWidget *parent = nullptr);

    // Space (play/pause), B (A/B) and L (loop) anywhere inside `scope`.
    void installShortcuts(QWidget *scope);
    // The A and B choices: the track names, with (a, b) selected and given to the transport
    // (nothing selected when a < 0).
    void setAbChoices(const QStringList &names, int a, int b);
    void setLoopChecked(bool on);
    // The clock "m:ss.sss / m:ss.sss" at `rate`, and Play or Pause as the transport is.
    void showPosition(std::int64_t position, int rate);
    void clearPosition();

Q_SIGNALS:
    // A/B switched tracks: mute, solo and audibility changed.
    void audibilityChanged();
    // The loop was turned on or off; the transport holds the region.
    void loopChanged();

private:
    void togglePlay();
    void switchAb();

    audio::Transport &m_transport;
    QPushButton *m_play = nullptr;
    QCheckBox *m_loop = nullptr;
    QComboBox *m_a = nullptr;
    QComboBox *m_b = nullptr;
    QLabel *m_position = nullptr;
};

} // namespace seplab::ui
