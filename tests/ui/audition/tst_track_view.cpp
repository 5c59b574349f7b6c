// A track's view of a time window: pixel-to-frame mapping inside the window, the wheel asking to
// zoom (Ctrl) or scroll (Shift) and leaving a plain wheel to the scroll area, and the window's
// share of the spectrogram drawn, not the whole track's.

#include "core/separation/spectrogram.h"
#include "ui/audition/track_view.h"

#include <QSignalSpy>
#include <QWheelEvent>
#include <QtTest>

#include <cmath>

using namespace seplab;
using namespace seplab::ui;

namespace {

constexpr int kRate = 8000;

// Silence for the first half second, a loud 1 kHz tone for the second.
std::vector<float> silenceThenTone()
{
    std::vector<float> samples(kRate, 0.0f);
    for (int k = kRate / 2; k < kRate; ++k)
        samples[std::size_t(k)] = 0.8f * float(std::sin(2.0 * M_PI * 1000.0 * k / kRate));
    return samples;
}

// Mean brightness (0..255) of the view's spectrogram band, as painted.
double spectrogramBrightness(TrackView &view)
{
    const QImage image = view.grab().toImage();
    double sum = 0.0;
    int count = 0;
    for (int y = int(image.height() * 0.6); y < image.height() - 1; ++y) {
        for (int x = 0; x < image.width(); ++x) {
            sum += qGray(image.pixel(x, y));
            ++count;
        }
    }
    return sum / count;
}

bool sendWheel(TrackView &view, int x, QPoint angle, Qt::KeyboardModifiers modifiers)
{
    const QPointF position(x, 10);
    QWheelEvent event(position,
                      view.mapToGlobal(position),
                      QPoint(),
                      angle,
                      Qt::NoButton,
                      modifiers,
                      Qt::NoScrollPhase,
                      false);
    event.setAccepted(false);
    QCoreApplication::sendEvent(&view, &event);
    return event.isAccepted();
}

} // namespace

class tst_TrackView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void mapsPixelsInsideTheWindow();
    void wheelAsksToZoomOrScroll();
    void drawsTheWindowsShareOfTheSpectrogram();

private:
    std::unique_ptr<TrackView> m_view;
};

void tst_TrackView::init()
{
    const std::vector<float> samples = silenceThenTone();
    m_view = std::make_unique<TrackView>();
    m_view->resize(800, 100);
    m_view->setSignal(samples, separation::computeSpectrogram(samples, kRate), kRate);
}

void tst_TrackView::mapsPixelsInsideTheWindow()
{
    TrackView &view = *m_view;
    QCOMPARE(view.window().start, std::int64_t(0));
    QCOMPARE(view.window().end, std::int64_t(kRate));
    QCOMPARE(view.frameAt(400), std::int64_t(4000));

    view.setWindow({2000, 4000});
    QCOMPARE(view.frameAt(0), std::int64_t(2000));
    QCOMPARE(view.frameAt(400), std::int64_t(3000));
    QCOMPARE(view.xAt(3000), 400);
    QCOMPARE(view.xAt(2000), 0);
    QCOMPARE(view.xAt(1000), -400); // off to the left: not drawn

    view.setWindow({5000, 99999}); // clamped to the track
    QCOMPARE(view.window().start, std::int64_t(5000));
    QCOMPARE(view.window().end, std::int64_t(kRate));
    view.setWindow({300, 300}); // empty: all of it
    QCOMPARE(view.window().end - view.window().start, std::int64_t(kRate));
}

void tst_TrackView::wheelAsksToZoomOrScroll()
{
    TrackView &view = *m_view;
    view.setWindow({2000, 4000});
    QSignalSpy zoom(&view, &TrackView::zoomRequested);
    QSignalSpy scroll(&view, &TrackView::scrollRequested);

    // One notch up with Ctrl at x = 200: zoom in by 0.8 around frame 2000 + 200 * 2000 / 800.
    QVERIFY(sendWheel(view, 200, {0, 120}, Qt::ControlModifier));
    QCOMPARE(zoom.count(), 1);
    QCOMPARE(zoom.at(0).at(0).value<std::int64_t>(), std::int64_t(2500));
    QCOMPARE(zoom.at(0).at(1).toDouble(), 0.8);

    // One notch down with Shift: a tenth of the window later; a horizontal wheel likewise.
    QVERIFY(sendWheel(view, 200, {0, -120}, Qt::ShiftModifier));
    QVERIFY(sendWheel(view, 200, {240, 0}, Qt::NoModifier));
    QCOMPARE(scroll.count(), 2);
    QCOMPARE(scroll.at(0).at(0).value<std::int64_t>(), std::int64_t(200));
    QCOMPARE(scroll.at(1).at(0).value<std::int64_t>(), std::int64_t(-400));

    // A plain wheel is not taken, so the scroll area around the tracks scrolls them.
    QVERIFY(!sendWheel(view, 200, {0, 120}, Qt::NoModifier));
    QCOMPARE(zoom.count() + scroll.count(), 3);
}

void tst_TrackView::drawsTheWindowsShareOfTheSpectrogram()
{
    TrackView &view = *m_view;
    view.setWindow({0, 3500}); // silence only
    const double silent = spectrogramBrightness(view);
    view.setWindow({4500, 8000}); // tone only
    const double tone = spectrogramBrightness(view);
    view.setWindow({0, 8000});
    const double whole = spectrogramBrightness(view);
    // Silence is the colour scale's black floor; the tone's half lights its 1 kHz rows and
    // its leakage, and the whole track lies between the two.
    QVERIFY2(silent < 5.0, QByteArray::number(silent));
    QVERIFY2(tone > silent + 10.0, QByteArray::number(tone));
    QVERIFY2(whole > silent && whole < tone, QByteArray::number(whole));
}

QTEST_MAIN(tst_TrackView)
#include "tst_track_view.moc"
