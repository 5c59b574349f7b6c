// Audition's tracks share one time window: a Ctrl+wheel on any track zooms them all, scrolling
// moves them all, and a moving playhead pages the window along while a still one leaves alone
// a window the user scrolled away.

#include "audio/playback/null_output.h"
#include "audio/playback/transport.h"
#include "core/separation/spectrogram.h"
#include "ui/audition/audition_tracks.h"
#include "ui/audition/track_row.h"
#include "ui/audition/track_view.h"

#include <QWheelEvent>
#include <QtTest>

#include <cmath>

using namespace seplab;
using namespace seplab::ui;

namespace {

constexpr std::int64_t kFrames = 8000;

AuditionTrack noiseTrack(const QString &name, unsigned seed)
{
    AuditionTrack track;
    track.name = name;
    track.samples.resize(std::size_t(kFrames));
    for (std::size_t k = 0; k < track.samples.size(); ++k)
        track.samples[k] = float(std::sin(double(k * seed) * 0.37));
    track.spectrogram = separation::computeSpectrogram(track.samples, 8000);
    return track;
}

QString windowOf(const TrackView *view)
{
    return QStringLiteral("[%1, %2)").arg(view->window().start).arg(view->window().end);
}

} // namespace

class tst_AuditionTracks : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void everyTrackShowsTheSameWindow();
    void aMovingPlayheadPagesTheWindow();

private:
    std::unique_ptr<audio::Transport> m_transport;
    std::unique_ptr<AuditionTracks> m_tracks;
};

void tst_AuditionTracks::init()
{
    m_transport = std::make_unique<audio::Transport>(std::make_unique<audio::NullOutput>(false));
    m_tracks = std::make_unique<AuditionTracks>(*m_transport);
    m_tracks->resize(900, 600);
    m_tracks->setTracks({noiseTrack("mixture", 1),
                         noiseTrack("estimate 1", 2),
                         noiseTrack("estimate 2", 3)},
                        kFrames);
    m_tracks->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_tracks.get()));
}

void tst_AuditionTracks::cleanup()
{
    m_tracks.reset();
    m_transport.reset();
}

void tst_AuditionTracks::everyTrackShowsTheSameWindow()
{
    AuditionTracks &tracks = *m_tracks;
    QCOMPARE(tracks.rowCount(), 3);
    TrackView *middle = tracks.row(1)->view();
    QCOMPARE(windowOf(middle), QString("[0, 8000)"));

    // Two notches of Ctrl+wheel at the middle track's left edge: 0.64 of the span, anchored at 0.
    const QPointF left(0, 10);
    QWheelEvent wheel(left,
                      middle->mapToGlobal(left),
                      QPoint(),
                      QPoint(0, 240),
                      Qt::NoButton,
                      Qt::ControlModifier,
                      Qt::NoScrollPhase,
                      false);
    QCoreApplication::sendEvent(middle, &wheel);
    QCOMPARE(tracks.window().start, std::int64_t(0));
    QCOMPARE(tracks.window().end, std::int64_t(5120));
    for (int i = 0; i < tracks.rowCount(); ++i)
        QCOMPARE(windowOf(tracks.row(i)->view()), QString("[0, 5120)"));

    tracks.scroll(1000);
    for (int i = 0; i < tracks.rowCount(); ++i)
        QCOMPARE(windowOf(tracks.row(i)->view()), QString("[1000, 6120)"));
    tracks.showWhole();
    for (int i = 0; i < tracks.rowCount(); ++i)
        QCOMPARE(windowOf(tracks.row(i)->view()), QString("[0, 8000)"));
}

void tst_AuditionTracks::aMovingPlayheadPagesTheWindow()
{
    AuditionTracks &tracks = *m_tracks;
    tracks.zoom(0, 0.25); // [0, 2000)
    tracks.showPlayhead(100);
    tracks.showPlayhead(1900);
    QCOMPARE(windowOf(tracks.row(0)->view()), QString("[0, 2000)"));
    tracks.showPlayhead(2100); // played past the right edge: the next page
    QCOMPARE(windowOf(tracks.row(0)->view()), QString("[2100, 4100)"));
    QCOMPARE(tracks.row(2)->view()->playhead(), std::int64_t(2100));

    // Paused at 2100, the user scrolls back; the still playhead does not pull the view along.
    tracks.scroll(-2100);
    tracks.showPlayhead(2100);
    QCOMPARE(windowOf(tracks.row(0)->view()), QString("[0, 2000)"));
}

QTEST_MAIN(tst_AuditionTracks)
#include "tst_audition_tracks.moc"
