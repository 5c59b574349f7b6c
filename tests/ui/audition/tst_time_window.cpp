// The Audition tracks' time window: zooming keeps the frame under the mouse in place, every
// window stays inside the track, and playback pages the window along.

#include "ui/audition/time_window.h"

#include <QtTest>

#include <limits>

using namespace seplab::ui;

namespace {

QString text(TimeWindow w)
{
    return QStringLiteral("[%1, %2)").arg(w.start).arg(w.end);
}

} // namespace

class tst_TimeWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void zoomKeepsTheAnchorInPlace_data();
    void zoomKeepsTheAnchorInPlace();
    void scrollStopsAtTheEnds();
    void followPagesToTheFrame();
};

void tst_TimeWindow::zoomKeepsTheAnchorInPlace_data()
{
    QTest::addColumn<qint64>("start");
    QTest::addColumn<qint64>("end");
    QTest::addColumn<qint64>("anchor");
    QTest::addColumn<double>("factor");
    QTest::addColumn<qint64>("total");
    QTest::addColumn<QString>("expected");
    // 250 is a quarter of the way across [0, 1000) and stays a quarter across [125, 625).
    QTest::newRow("in around a quarter") << 0LL << 1000LL << 250LL << 0.5 << 1000LL << "[125, 625)";
    QTest::newRow("in at the end") << 0LL << 1000LL << 1000LL << 0.5 << 1000LL << "[500, 1000)";
    QTest::newRow("in stops at 64 frames")
        << 0LL << 1000LL << 500LL << 0.001 << 1000LL << "[468, 532)";
    QTest::newRow("out stops at the whole track")
        << 400LL << 600LL << 500LL << 10.0 << 1000LL << "[0, 1000)";
    // [700, 1100) would pass the end, so it is moved back inside.
    QTest::newRow("out near the end") << 800LL << 1000LL << 900LL << 2.0 << 1000LL << "[600, 1000)";
    QTest::newRow("track shorter than 64 frames")
        << 0LL << 50LL << 10LL << 0.1 << 50LL << "[0, 50)";
    QTest::newRow("anchor outside is clamped")
        << 200LL << 400LL << 900LL << 0.5 << 1000LL << "[300, 400)";
    QTest::newRow("no factor shows it all")
        << 200LL << 400LL << 300LL << 0.0 << 1000LL << "[0, 1000)";
    QTest::newRow("NaN shows it all")
        << 200LL << 400LL << 300LL << std::numeric_limits<double>::quiet_NaN() << 1000LL
        << "[0, 1000)";
}

void tst_TimeWindow::zoomKeepsTheAnchorInPlace()
{
    QFETCH(qint64, start);
    QFETCH(qint64, end);
    QFETCH(qint64, anchor);
    QFETCH(double, factor);
    QFETCH(qint64, total);
    QFETCH(QString, expected);
    QCOMPARE(text(zoomWindow({start, end}, anchor, factor, total)), expected);
}

void tst_TimeWindow::scrollStopsAtTheEnds()
{
    QCOMPARE(text(wholeWindow(1000)), QString("[0, 1000)"));
    QCOMPARE(text(scrollWindow({125, 625}, 100, 1000)), QString("[225, 725)"));
    QCOMPARE(text(scrollWindow({125, 625}, -1000, 1000)), QString("[0, 500)"));
    QCOMPARE(text(scrollWindow({125, 625}, 1000, 1000)), QString("[500, 1000)"));
    QCOMPARE(text(scrollWindow({0, 1000}, 300, 1000)), QString("[0, 1000)"));
}

void tst_TimeWindow::followPagesToTheFrame()
{
    QCOMPARE(text(followFrame({0, 500}, 300, 1000)), QString("[0, 500)"));
    QCOMPARE(text(followFrame({0, 500}, 500, 1000)), QString("[500, 1000)"));
    QCOMPARE(text(followFrame({0, 500}, 900, 1000)), QString("[500, 1000)"));
    QCOMPARE(text(followFrame({500, 1000}, 100, 1000)), QString("[100, 600)"));
    // The end of the track is "shown" by a window that ends there: no jump when playback stops.
    QCOMPARE(text(followFrame({500, 1000}, 1000, 1000)), QString("[500, 1000)"));
}

QTEST_GUILESS_MAIN(tst_TimeWindow)
#include "tst_time_window.moc"
