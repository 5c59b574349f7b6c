#pragma once

// A track of the Audition panel with its controls: name, scores, Listen (solo it alone: the
// instant A/B switch), Mute and Solo, beside its TrackView.

#include <QWidget>

class QLabel;
class QToolButton;

namespace seplab::ui {

class TrackView;

class TrackRow : public QWidget
{
    Q_OBJECT

public:
    TrackRow(const QString &name, const QString &scores, QWidget *parent = nullptr);

    TrackView *view() const { return m_view; }
    QString name() const;
    QString scores() const;
    void setMuted(bool muted);
    void setSoloed(bool soloed);
    bool isMuted() const;
    bool isSoloed() const;

Q_SIGNALS:
    void listenRequested();
    void muteToggled(bool muted);
    void soloToggled(bool soloed);

private:
    QLabel *m_name = nullptr;
    QLabel *m_scores = nullptr;
    QToolButton *m_mute = nullptr;
    QToolButton *m_solo = nullptr;
    TrackView *m_view = nullptr;
};

} // namespace seplab::ui
