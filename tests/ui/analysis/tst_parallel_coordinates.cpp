// Parallel coordinates: where values sit on linear and log axes, which trials a brush keeps
// (and two brushes together), brushing with the mouse along an axis, and clearing with a click.

#include "ui/analysis/parallel_coordinates.h"

#include <QSignalSpy>
#include <QtTest>

#include <cmath>

using namespace seplab;

class tst_ParallelCoordinates : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void positionsOnLinearAndLogAxes();
    void brushesIntersect();
    void missingValuesAreOutsideABrush();
    void mouseBrushesAnAxisAndClickClears();

private:
    static void fill(ui::ParallelCoordinates &view);
};

// Four trials over lr (log), dropout and the metric.
void tst_ParallelCoordinates::fill(ui::ParallelCoordinates &view)
{
    view.setData({"lr", "dropout", "best_val_sisdr"},
                 {true, false, false},
                 {{1e-4, 0.0, 2.0}, {1e-3, 0.1, 5.0}, {1e-2, 0.2, 3.0}, {1e-3, 0.3, 6.0}},
                 true);
}

void tst_ParallelCoordinates::positionsOnLinearAndLogAxes()
{
    ui::ParallelCoordinates view;
    fill(view);
    QCOMPARE(view.axes().size(), std::size_t(3));
    QCOMPARE(view.axes()[0].min, 1e-4);
    QCOMPARE(view.axes()[0].max, 1e-2);
    // 1e-3 is halfway between 1e-4 and 1e-2 in log10; 0.1 is a third of 0 .. 0.3.
    QVERIFY(std::abs(view.position(0, 1e-3) - 0.5) < 1e-12);
    QVERIFY(std::abs(view.position(1, 0.1) - 1.0 / 3.0) < 1e-12);
    QCOMPARE(view.position(2, 6.0), 1.0);
    QCOMPARE(view.position(2, 2.0), 0.0);
}

void tst_ParallelCoordinates::brushesIntersect()
{
    ui::ParallelCoordinates view;
    fill(view);
    QSignalSpy changed(&view, &ui::ParallelCoordinates::selectionChanged);
    QCOMPARE(view.selectedRows(), (std::vector<int>{0, 1, 2, 3}));
    view.setBrush(2, std::make_pair(4.0, 7.0)); // the two best trials
    QCOMPARE(view.selectedRows(), (std::vector<int>{1, 3}));
    view.setBrush(1, std::make_pair(0.25, 0.05)); // reversed ends are accepted
    QCOMPARE(view.brush(1)->first, 0.05);
    QCOMPARE(view.selectedRows(), std::vector<int>{1});
    QCOMPARE(changed.last().at(0).toInt(), 1);
    QCOMPARE(changed.last().at(1).toInt(), 4);
    view.clearBrushes();
    QCOMPARE(view.selectedRows().size(), std::size_t(4));
}

void tst_ParallelCoordinates::missingValuesAreOutsideABrush()
{
    ui::ParallelCoordinates view;
    view.setData({"x", "score"}, {false, false}, {{1.0, 2.0}, {NAN, 3.0}}, true);
    QCOMPARE(view.axes()[0].max, 1.0);
    view.setBrush(0, std::make_pair(0.0, 10.0));
    QCOMPARE(view.selectedRows(), std::vector<int>{0});
}

void tst_ParallelCoordinates::mouseBrushesAnAxisAndClickClears()
{
    ui::ParallelCoordinates view;
    view.resize(600, 300);
    fill(view);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    // Drag along the metric axis over its top fifth: only the trial with 6.0 is inside.
    const int x = view.axisX(2);
    const QPoint from(x, view.positionY(1.0)), to(x, view.positionY(0.8));
    QTest::mousePress(&view, Qt::LeftButton, {}, from);
    QMouseEvent move(QEvent::MouseMove,
                     QPointF(to),
                     view.mapToGlobal(QPointF(to)),
                     Qt::LeftButton,
                     Qt::LeftButton,
                     Qt::NoModifier);
    QCoreApplication::sendEvent(&view, &move);
    QTest::mouseRelease(&view, Qt::LeftButton, {}, to);
    QVERIFY(view.brush(2));
    QVERIFY2(std::abs(view.brush(2)->second - 6.0) < 0.05,
             qPrintable(QString::number(view.brush(2)->second)));
    QVERIFY2(std::abs(view.brush(2)->first - 5.2) < 0.1,
             qPrintable(QString::number(view.brush(2)->first)));
    QCOMPARE(view.selectedRows(), std::vector<int>{3});
    // A click on the axis clears its brush.
    QTest::mouseClick(&view, Qt::LeftButton, {}, QPoint(x, view.positionY(0.5)));
    QVERIFY(!view.brush(2));
    QCOMPARE(view.selectedRows().size(), std::size_t(4));
}

QTEST_MAIN(tst_ParallelCoordinates)
#include "tst_parallel_coordinates.moc"
