#include "ui/audition/track_row.h"

#include "ui/audition/track_view.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QToolButton>
#include <QVBoxLayout>

namespace seplab::ui {

TrackRow::TrackRow(const QString &name, const QString &scores, QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 1, 0, 1);
    auto *header = new QWidget(this);
    header->setFixedWidth(200);
    auto *headerLayout = new QVBoxLayout(header);
    headerLayout->setContentsMargins(2, 0, 2, 0);
    m_name = new QLabel(name, header);
    m_name->setStyleSheet("font-weight: bold;");
    m_name->setWordWrap(true);
    m_scores = new QLabel(scores, header);
    m_scores->setObjectName("trackScores");
    auto *buttons = new QHBoxLayout;
    auto *listen = new QToolButton(header);
    listen->setText(tr("Listen"));
    listen->setToolTip(tr("Hear this track alone, from where the playhead is"));
    m_mute = new QToolButton(header);
    m_mute->setText(tr("M"));
    m_mute->setToolTip(tr("Mute"));
    m_mute->setCheckable(true);
    m_solo = new QToolButton(header);
    m_solo->setText(tr("S"));
    m_solo->setToolTip(tr("Solo"));
    m_solo->setCheckable(true);
    buttons->addWidget(listen);
    buttons->addWidget(m_mute);
    buttons->addWidget(m_solo);
    buttons->addStretch();
    headerLayout->addWidget(m_name);
    headerLayout->addWidget(m_scores);
    headerLayout->addLayout(buttons);
    headerLayout->addStretch();
    m_view = new TrackView(this);
    setFixedHeight(88);
    layout->addWidget(header);
    layout->addWidget(m_view, 1);

    connect(listen, &QToolButton::clicked, this, &TrackRow::listenRequested);
    connect(m_mute, &QToolButton::toggled, this, &TrackRow::muteToggled);
    connect(m_solo, &QToolButton::toggled, this, &TrackRow::soloToggled);
}

QString TrackRow::name() const
{
    return m_name->text();
}

QString TrackRow::scores() const
{
    return m_scores->text();
}

void TrackRow::setMuted(bool muted)
{
    const QSignalBlocker block(m_mute);
    m_mute->setChecked(muted);
}

void TrackRow::setSoloed(bool soloed)
{
    const QSignalBlocker block(m_solo);
    m_solo->setChecked(soloed);
}

bool TrackRow::isMuted() const
{
    return m_mute->isChecked();
}

bool TrackRow::isSoloed() const
{
    return m_solo->isChecked();
}

} // namespace seplab::ui
