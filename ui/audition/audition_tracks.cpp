#include "ui/audition/audition_tracks.h"

#include "audio/playback/transport.h"
#include "ui/audition/audition_runner.h"
#include "ui/audition/track_row.h"
#include "ui/audition/track_view.h"

#include <QHeaderView>
#include <QScrollArea>
#include <QShortcut>
#include <QTableWidget>
#include <QVBoxLayout>

namespace seplab::ui {

namespace {

QString decibels(double value)
{
    return QString::number(value, 'f', 2);
}

} // namespace

AuditionTracks::AuditionTracks(audio::Transport &transport, QWidget *parent)
    : QWidget(parent)
    , m_transport(transport)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_scores = new QTableWidget(0, 3, this);
    m_scores->setObjectName("auditionScores");
    m_scores->setHorizontalHeaderLabels({tr("Trial"), tr("SI-SDR dB"), tr("SI-SDRi dB")});
    m_scores->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_scores->verticalHeader()->hide();
    m_scores->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_scores->setMaximumHeight(96);
    m_scores->setSizeAdjustPolicy(QAbstractScrollArea::AdjustToContents);
    layout->addWidget(m_scores);

    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    auto *tracks = new QWidget(scroll);
    m_trackLayout = new QVBoxLayout(tracks);
    m_trackLayout->setContentsMargins(0, 0, 0, 0);
    m_trackLayout->addStretch();
    scroll->setWidget(tracks);
    layout->addWidget(scroll, 1);
}

void AuditionTracks::setTracks(const std::vector<AuditionTrack> &tracks, std::int64_t frames)
{
    for (TrackRow *row : m_rows)
        delete row;
    m_rows.clear();
    m_frames = frames;
    m_window = wholeWindow(frames);
    m_lastPlayhead = -1;
    for (std::size_t i = 0; i < tracks.size(); ++i) {
        const AuditionTrack &track = tracks[i];
        auto *row = new TrackRow(track.name, track.scores, this);
        row->view()->setSignal(track.samples, track.spectrogram, frames);
        const int index = int(i);
        connect(row, &TrackRow::listenRequested, this, [this, index] {
            m_transport.listenTo(index);
            showAudibility();
        });
        connect(row, &TrackRow::muteToggled, this, [this, index](bool muted) {
            m_transport.setMuted(index, muted);
            showAudibility();
        });
        connect(row, &TrackRow::soloToggled, this, [this, index](bool soloed) {
            m_transport.setSoloed(index, soloed);
            showAudibility();
        });
        connect(row->view(), &TrackView::seekRequested, this, [this](std::int64_t frame) {
            m_transport.seek(frame);
        });
        connect(row->view(), &TrackView::loopSelected, this, [this](std::int64_t a, std::int64_t b) {
            m_transport.setLoop(a, b);
            m_transport.seek(a);
            Q_EMIT loopSelected();
            showLoop();
        });
        connect(row->view(), &TrackView::zoomRequested, this, &AuditionTracks::zoom);
        connect(row->view(), &TrackView::scrollRequested, this, &AuditionTracks::scroll);
        m_trackLayout->insertWidget(m_trackLayout->count() - 1, row);
        m_rows.push_back(row);
    }
}

void AuditionTracks::clearScores()
{
    m_scores->setRowCount(0);
}

void AuditionTracks::addScoreRow(const AuditionOutcome &outcome)
{
    const separation::AuditionResult &result = outcome.result;
    const int sources = int(result.siSdr.size());
    if (m_scores->columnCount() < 3 + sources) {
        m_scores->setColumnCount(3 + sources);
        for (int j = 0; j < sources; ++j)
            m_scores->setHorizontalHeaderItem(3 + j,
                                              new QTableWidgetItem(tr("s%1 SI-SDR").arg(j + 1)));
    }
    const int row = m_scores->rowCount();
    m_scores->insertRow(row);
    m_scores->setItem(row, 0, new QTableWidgetItem(outcome.job.trialLabel));
    const auto cell = [](double value, bool known) {
        return new QTableWidgetItem(known ? decibels(value) : QStringLiteral("–"));
    };
    m_scores->setItem(row, 1, cell(result.meanSiSdr, result.hasReferences()));
    m_scores->setItem(row, 2, cell(result.meanSiSdri, result.hasReferences()));
    for (int j = 0; j < sources; ++j)
        m_scores->setItem(row, 3 + j, cell(result.siSdr[std::size_t(j)], true));
}

void AuditionTracks::showLoop()
{
    for (TrackRow *row : m_rows)
        row->view()->setLoop(m_transport.loop());
}

void AuditionTracks::showAudibility()
{
    for (int i = 0; i < int(m_rows.size()); ++i) {
        m_rows[std::size_t(i)]->setMuted(m_transport.isMuted(i));
        m_rows[std::size_t(i)]->setSoloed(m_transport.isSoloed(i));
        m_rows[std::size_t(i)]->view()->setAudible(m_transport.isAudible(i));
    }
}

void AuditionTracks::showPlayhead(std::int64_t position)
{
    // Only a moving playhead pages the window, so a user who scrolled away while paused is not
    // pulled back on the next tick.
    if (position != m_lastPlayhead && m_lastPlayhead >= 0)
        showWindow(followFrame(m_window, position, m_frames));
    m_lastPlayhead = position;
    for (TrackRow *row : m_rows)
        row->view()->setPlayhead(position);
}

void AuditionTracks::zoom(std::int64_t anchor, double factor)
{
    showWindow(zoomWindow(m_window, anchor, factor, m_frames));
}

void AuditionTracks::scroll(std::int64_t deltaFrames)
{
    showWindow(scrollWindow(m_window, deltaFrames, m_frames));
}

void AuditionTracks::showWhole()
{
    showWindow(wholeWindow(m_frames));
}

void AuditionTracks::installShortcuts(QWidget *scope)
{
    const auto add = [&](const QKeySequence &keys, auto action) {
        auto *shortcut = new QShortcut(keys, scope);
        shortcut->setContext(Qt::WidgetWithChildrenShortcut);
        connect(shortcut, &QShortcut::activated, this, action);
    };
    add(QKeySequence(Qt::CTRL | Qt::Key_Plus), [this] { zoom(m_transport.position(), 0.5); });
    add(QKeySequence(Qt::CTRL | Qt::Key_Equal), [this] { zoom(m_transport.position(), 0.5); });
    add(QKeySequence(Qt::CTRL | Qt::Key_Minus), [this] { zoom(m_transport.position(), 2.0); });
    add(QKeySequence(Qt::CTRL | Qt::Key_0), [this] { showWhole(); });
}

void AuditionTracks::showWindow(TimeWindow window)
{
    m_window = window;
    for (TrackRow *row : m_rows)
        row->view()->setWindow(window);
}

} // namespace seplab::ui
