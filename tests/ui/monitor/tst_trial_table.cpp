// The monitor's data side: StoreFollower's incremental reads, the trial table's texts and sort
// values, and the proxy's stage, state and text filters, over a store a test writes as the
// controller would.

#include "support/sample_store.h"
#include "ui/monitor/store_follower.h"
#include "ui/monitor/trial_filter_proxy.h"
#include "ui/monitor/trial_table_model.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace seplab;
using ui::TrialTableModel;

class tst_TrialTable : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void followerReadsEverythingOnce();
    void followerReportsOnlyWhatChanged();
    void repeatedStepReplacesTheValue();
    void missingStoreIsOneSentence();
    void tableShowsTrialRows();
    void runtimeOfRunningTrialsUsesTheClock();
    void sortRoleSortsNumbers();
    void proxyFiltersByStageStateAndText();
    void durations();
};

void tst_TrialTable::followerReadsEverythingOnce()
{
    QTemporaryDir dir;
    const auto sample = testsupport::makeSampleStore(dir.filePath("s.db").toStdString());
    ui::StoreFollower follower(dir.filePath("s.db").toStdString());
    const auto changes = follower.poll();
    QVERIFY(changes.plansOrStages);
    QCOMPARE(changes.trials.size(), std::size_t(5));
    QCOMPARE(changes.metricsFor,
             (std::set<std::int64_t>{sample.trials[0],
                                     sample.trials[1],
                                     sample.trials[3],
                                     sample.trials[4]}));
    QCOMPARE(follower.plans().size(), std::size_t(1));
    QCOMPARE(follower.stages().size(), std::size_t(2));
    QCOMPARE(follower.metricNames(), std::vector<std::string>{"val_sisdr"});
    const auto *curve = follower.series(sample.trials[0], "val_sisdr");
    QVERIFY(curve);
    QCOMPARE(*curve, (std::map<int, double>{{1, 1.0}, {2, 2.0}, {3, 3.0}, {4, 4.0}}));
    QVERIFY(!follower.series(sample.trials[2], "val_sisdr"));
    QVERIFY(!follower.series(sample.trials[0], "train_loss"));

    const auto again = follower.poll();
    QVERIFY(!again.any());
}

void tst_TrialTable::followerReportsOnlyWhatChanged()
{
    QTemporaryDir dir;
    auto sample = testsupport::makeSampleStore(dir.filePath("s.db").toStdString());
    ui::StoreFollower follower(dir.filePath("s.db").toStdString());
    follower.poll();

    testsupport::addCurve(sample.writer, sample.trials[4], {6.25}, 3);
    store::TrialRecord running = *sample.writer.trial(sample.trials[4]);
    running.epochs = 3;
    running.bestValue = 6.25;
    sample.writer.updateTrial(running);
    const auto changes = follower.poll();
    QVERIFY(!changes.plansOrStages);
    QCOMPARE(changes.trials, std::set<std::int64_t>{sample.trials[4]});
    QCOMPARE(changes.metricsFor, std::set<std::int64_t>{sample.trials[4]});
    QCOMPARE(follower.series(sample.trials[4], "val_sisdr")->size(), std::size_t(3));
    QCOMPARE(follower.series(sample.trials[4], "val_sisdr")->at(3), 6.25);
    QCOMPARE(follower.trial(sample.trials[4])->epochs, 3);

    store::StageRecord stage = *sample.writer.stage(sample.stage2);
    stage.state = "finished";
    sample.writer.updateStage(stage);
    QVERIFY(follower.poll().plansOrStages);
}

void tst_TrialTable::repeatedStepReplacesTheValue()
{
    QTemporaryDir dir;
    auto sample = testsupport::makeSampleStore(dir.filePath("s.db").toStdString());
    ui::StoreFollower follower(dir.filePath("s.db").toStdString());
    follower.poll();
    // A trial restarted from scratch reports epoch 1 again.
    sample.writer.deleteMetrics(sample.trials[4]);
    testsupport::addCurve(sample.writer, sample.trials[4], {-2.0});
    follower.poll();
    const auto *curve = follower.series(sample.trials[4], "val_sisdr");
    QCOMPARE(*curve, (std::map<int, double>{{1, -2.0}, {2, 5.5}}));
}

void tst_TrialTable::missingStoreIsOneSentence()
{
    QTemporaryDir dir;
    const std::string path = dir.filePath("absent.db").toStdString();
    try {
        ui::StoreFollower follower(path);
        QFAIL("opened a missing store");
    } catch (const store::StoreError &error) {
        QCOMPARE(std::string(error.what()), path + ": no such store.");
    }
}

void tst_TrialTable::tableShowsTrialRows()
{
    QTemporaryDir dir;
    auto sample = testsupport::makeSampleStore(dir.filePath("s.db").toStdString());
    ui::StoreFollower follower(dir.filePath("s.db").toStdString());
    TrialTableModel model;
    const auto changes = follower.poll();
    model.update(follower, changes.trials, 2000.0);
    QCOMPARE(model.rowCount(), 5);
    QCOMPARE(model.columnCount(), 8);
    auto text = [&](int row, int column) { return model.index(row, column).data().toString(); };
    QCOMPARE(text(0, TrialTableModel::Name), QString("t0"));
    QCOMPARE(text(0, TrialTableModel::Stage), QString("s1"));
    QCOMPARE(text(0, TrialTableModel::State), QString("finished"));
    QCOMPARE(text(0, TrialTableModel::Params), QString("batch_size=4  lr=0.00125"));
    QCOMPARE(text(0, TrialTableModel::Best), QString("4.000"));
    QCOMPARE(text(0, TrialTableModel::Epoch), QString("4"));
    QCOMPARE(text(0, TrialTableModel::Device), QString("cpu"));
    QCOMPARE(text(0, TrialTableModel::Runtime), QString("2 min 05 s"));
    QCOMPARE(text(1, TrialTableModel::State), QString("stopped"));
    QCOMPARE(text(1, TrialTableModel::Device), QString("cuda:1"));
    QCOMPARE(text(2, TrialTableModel::Best), QString());
    QCOMPARE(text(3, TrialTableModel::Stage), QString("s2"));
    QCOMPARE(model.index(4, 0).data(TrialTableModel::StateRole).toString(), QString("running"));
    QCOMPARE(model.index(4, 0).data(TrialTableModel::TrialIdRole).toLongLong(),
             qlonglong(sample.trials[4]));
    QCOMPARE(model.headerData(TrialTableModel::Best, Qt::Horizontal, Qt::DisplayRole).toString(),
             QString("Best"));

    // A new trial is appended, and the rows before it keep their place.
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    sample.writer.addTrial(
        testsupport::sampleTrialRecord(sample.stage2, 5, store::TrialState::Pending, {}, 0));
    model.update(follower, follower.poll().trials, 2000.0);
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(model.rowCount(), 6);
    QCOMPARE(text(5, TrialTableModel::Name), QString("t5"));
    QCOMPARE(text(5, TrialTableModel::State), QString("pending"));
    QCOMPARE(text(5, TrialTableModel::Runtime), QString()); // not started
}

void tst_TrialTable::runtimeOfRunningTrialsUsesTheClock()
{
    QTemporaryDir dir;
    testsupport::makeSampleStore(dir.filePath("s.db").toStdString());
    ui::StoreFollower follower(dir.filePath("s.db").toStdString());
    TrialTableModel model;
    model.update(follower, follower.poll().trials, 1042.0);
    QCOMPARE(model.index(4, TrialTableModel::Runtime).data().toString(), QString("42 s"));
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.update(follower, follower.poll().trials, 1100.0);
    // Nothing changed in the store: only the running trial's runtime cell is refreshed.
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed[0][0].toModelIndex().row(), 4);
    QCOMPARE(changed[0][0].toModelIndex().column(), int(TrialTableModel::Runtime));
    QCOMPARE(model.index(4, TrialTableModel::Runtime).data().toString(), QString("1 min 40 s"));
}

void tst_TrialTable::sortRoleSortsNumbers()
{
    QTemporaryDir dir;
    testsupport::makeSampleStore(dir.filePath("s.db").toStdString());
    ui::StoreFollower follower(dir.filePath("s.db").toStdString());
    TrialTableModel model;
    model.update(follower, follower.poll().trials, 2000.0);
    ui::TrialFilterProxy proxy;
    proxy.setSourceModel(&model);
    proxy.sort(TrialTableModel::Best, Qt::DescendingOrder);
    QStringList order;
    for (int row = 0; row < proxy.rowCount(); ++row)
        order << proxy.index(row, TrialTableModel::Name).data().toString();
    // 6.0, 5.5, 4.0, 1.0, then the failed trial without a value.
    QCOMPARE(order, QStringList({"t3", "t4", "t0", "t1", "t2"}));
    proxy.sort(TrialTableModel::Runtime, Qt::AscendingOrder);
    QCOMPARE(proxy.index(0, TrialTableModel::Name).data().toString(), QString("t0"));
}

void tst_TrialTable::proxyFiltersByStageStateAndText()
{
    QTemporaryDir dir;
    const auto sample = testsupport::makeSampleStore(dir.filePath("s.db").toStdString());
    ui::StoreFollower follower(dir.filePath("s.db").toStdString());
    TrialTableModel model;
    model.update(follower, follower.poll().trials, 2000.0);
    ui::TrialFilterProxy proxy;
    proxy.setSourceModel(&model);
    QCOMPARE(proxy.rowCount(), 5);
    proxy.setStageId(sample.stage1);
    QCOMPARE(proxy.rowCount(), 3);
    proxy.setStateName("stopped");
    QCOMPARE(proxy.rowCount(), 1);
    QCOMPARE(proxy.index(0, 0).data().toString(), QString("t1"));
    proxy.setStateName({});
    proxy.setStageId(0);
    proxy.setText("CUDA:1");
    QCOMPARE(proxy.rowCount(), 2); // t1 and t3
    proxy.setText("lr=0.005");
    QCOMPARE(proxy.rowCount(), 1); // t3: 0.00125 * 4
    QCOMPARE(proxy.index(0, 0).data().toString(), QString("t3"));
}

void tst_TrialTable::durations()
{
    QCOMPARE(ui::durationText(0.4), QString("0 s"));
    QCOMPARE(ui::durationText(59.6), QString("1 min 00 s"));
    QCOMPARE(ui::durationText(3599), QString("59 min 59 s"));
    QCOMPARE(ui::durationText(7620), QString("2 h 07 min"));
}

QTEST_APPLESS_MAIN(tst_TrialTable)
#include "tst_trial_table.moc"
