#include "ui/audition/transport_bar.h"

#include "audio/playback/transport.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QShortcut>
#include <QVBoxLayout>

namespace seplab::ui {

namespace {

QString clock(std::int64_t frame, int rate)
{
    if (rate <= 0)
        return QStringLiteral("0:00.000");
    const double seconds = double(frame) / rate;
    const int minutes = int(seconds / 60);
    return QStringLiteral("%1:%2").arg(minutes).arg(seconds - 60 * minutes, 6, 'f', 3, QChar('0'));
}

} // namespace

TransportBar::TransportBar(audio::Transport &transport, QWidget *parent)
    : QWidget(parent)
    , m_transport(transport)
{
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    auto *layout = new QHBoxLayout;
    outer->addLayout(layout);
    m_play = new QPushButton(tr("Play"), this);
    m_play->setToolTip(tr("Play / pause (Space)"));
    auto *stop = new QPushButton(tr("Stop"), this);
    m_loop = new QCheckBox(tr("Loop"), this);
    m_loop->setObjectName("auditionLoop");
    m_loop->setToolTip(tr("Drag across a track to choose the loop region (L)"));
    m_a = new QComboBox(this);
    m_b = new QComboBox(this);
    // Track names are long ("stage3-8k-004 best · estimate 2"); the combos must not set the
    // dock's (and so the window's) minimum width.
    for (QComboBox *choice : {m_a, m_b}) {
        choice->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        choice->setMinimumContentsLength(12);
    }
    auto *ab = new QPushButton(tr("A/B"), this);
    ab->setToolTip(tr("Switch between tracks A and B at the same playhead (B)"));
    m_position = new QLabel(this);
    m_position->setObjectName("auditionPosition");
    auto *output = new QLabel(QString::fromStdString(m_transport.output().description()), this);
    output->setStyleSheet("color: gray;");
    layout->addWidget(m_play);
    layout->addWidget(stop);
    layout->addWidget(m_loop);
    layout->addSpacing(12);
    layout->addWidget(m_position);
    layout->addStretch();
    // A/B on a line of its own: the track names are long.
    auto *abLine = new QHBoxLayout;
    abLine->addWidget(new QLabel(tr("A"), this));
    abLine->addWidget(m_a, 1);
    abLine->addWidget(new QLabel(tr("B"), this));
    abLine->addWidget(m_b, 1);
    abLine->addWidget(ab);
    outer->addLayout(abLine);
    output->setToolTip(tr("Where playback goes"));
    outer->addWidget(output);

    connect(m_play, &QPushButton::clicked, this, &TransportBar::togglePlay);
    connect(stop, &QPushButton::clicked, this, [this] {
        if (m_transport.trackCount() > 0)
            m_transport.stop();
    });
    connect(m_loop, &QCheckBox::toggled, this, [this](bool on) {
        if (m_transport.trackCount() == 0)
            return;
        // Turning the loop on without a region loops the whole clip.
        if (on && !m_transport.loop())
            m_transport.setLoop(0, m_transport.frames());
        else if (!on)
            m_transport.clearLoop();
        Q_EMIT loopChanged();
    });
    connect(ab, &QPushButton::clicked, this, &TransportBar::switchAb);
    const auto pairChanged = [this] {
        if (m_a->currentIndex() >= 0 && m_b->currentIndex() >= 0 && m_transport.trackCount() > 0)
            m_transport.setAbPair(m_a->currentIndex(), m_b->currentIndex());
    };
    connect(m_a, &QComboBox::currentIndexChanged, this, pairChanged);
    connect(m_b, &QComboBox::currentIndexChanged, this, pairChanged);
}

void TransportBar::installShortcuts(QWidget *scope)
{
    auto *space = new QShortcut(QKeySequence(Qt::Key_Space), scope);
    space->setContext(Qt::WidgetWithChildrenShortcut);
    connect(space, &QShortcut::activated, this, &TransportBar::togglePlay);
    auto *bKey = new QShortcut(QKeySequence(Qt::Key_B), scope);
    bKey->setContext(Qt::WidgetWithChildrenShortcut);
    connect(bKey, &QShortcut::activated, this, &TransportBar::switchAb);
    auto *lKey = new QShortcut(QKeySequence(Qt::Key_L), scope);
    lKey->setContext(Qt::WidgetWithChildrenShortcut);
    connect(lKey, &QShortcut::activated, m_loop, &QCheckBox::toggle);
}

void TransportBar::togglePlay()
{
    if (m_transport.trackCount() == 0)
        return;
    if (m_transport.state() == audio::TransportState::Playing)
        m_transport.pause();
    else
        m_transport.play();
}

void TransportBar::switchAb()
{
    if (m_transport.trackCount() < 2)
        return;
    m_transport.switchAb();
    Q_EMIT audibilityChanged();
}

void TransportBar::setAbChoices(const QStringList &names, int a, int b)
{
    const QSignalBlocker blockA(m_a), blockB(m_b);
    m_a->clear();
    m_b->clear();
    m_a->addItems(names);
    m_b->addItems(names);
    if (a < 0)
        return;
    m_a->setCurrentIndex(a);
    m_b->setCurrentIndex(b);
    m_transport.setAbPair(a, b);
}

void TransportBar::setLoopChecked(bool on)
{
    m_loop->setChecked(on);
}

void TransportBar::showPosition(std::int64_t position, int rate)
{
    m_position->setText(clock(position, rate) + " / " + clock(m_transport.frames(), rate));
    m_play->setText(m_transport.state() == audio::TransportState::Playing ? tr("Pause")
                                                                          : tr("Play"));
}

void TransportBar::clearPosition()
{
    m_position->clear();
}

} // namespace seplab::ui
