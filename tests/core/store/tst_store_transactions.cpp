// The store under concurrent use (DESIGN.md: the controller is the single writer; the GUI and
// `sweep status` read from other processes): the file is in WAL mode with foreign keys on; a
// read-only opener, in this process or another, sees committed rows and nothing uncommitted;
// writes through a read-only store throw; transactions are all-or-nothing.

#include "core/store/experiment_store.h"
#include "core/store/sqlite_handle.h"
#include "store_test_samples.h"

#include <QCoreApplication>
#include <QProcess>
#include <QtTest>

#include <cstdlib>
#include <iostream>

using namespace seplab::store;
using namespace seplab::store::test;
using Mode = ExperimentStore::Mode;

namespace {

// Set in the environment of a child copy of this test binary: it opens the store read-only,
// prints "<plans> <trials of plan 1>" and exits (see main()).
constexpr const char *kReaderChildVariable = "SEPLAB_STORE_TEST_READER";

int runReaderChild(const char *path)
{
    try {
        const ExperimentStore store = ExperimentStore::open(path, Mode::ReadOnly);
        std::cout << store.plans().size() << ' ' << store.planTrials(1).size() << std::endl;
        return 0;
    } catch (const std::exception &error) {
        std::cerr << error.what() << std::endl;
        return 1;
    }
}

} // namespace

class tst_StoreTransactions : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fileIsInWalModeWithForeignKeys();
    void readerSeesCommittedRowsWhileWriterStaysOpen();
    void secondProcessReadsWhileThisOneWrites();
    void writesThroughReadOnlyStoreThrow();
    void transactionRollbackLeavesNothing();
    void nestedFailureUndoesOnlyTheInnerCall();
    void trialUpdateAndMetricsAreAllOrNothing();
};

void tst_StoreTransactions::fileIsInWalModeWithForeignKeys()
{
    QTemporaryDir dir;
    const std::string path = storePath(dir);
    ExperimentStore store = ExperimentStore::open(path, Mode::ReadWrite);
    QVERIFY(!store.readOnly());
    QCOMPARE(store.path(), path);
    // journal_mode=WAL is stored in the file: an independent connection sees it.
    const Database probe(path, Database::Access::ReadOnly);
    QCOMPARE(probe.queryText("PRAGMA journal_mode"), std::string("wal"));
    QCOMPARE(probe.queryInt("PRAGMA user_version"),
             std::int64_t(ExperimentStore::currentSchemaVersion()));
    const std::string message = messageOf<StoreError>([&] { store.addStage(sampleStage(5)); });
    QVERIFY2(message.find("FOREIGN KEY constraint failed") != std::string::npos, message.c_str());
    QVERIFY2(message.rfind(path + ": ", 0) == 0, message.c_str());
}

void tst_StoreTransactions::readerSeesCommittedRowsWhileWriterStaysOpen()
{
    QTemporaryDir dir;
    const std::string path = storePath(dir);
    ExperimentStore writer = ExperimentStore::open(path, Mode::ReadWrite);
    const std::int64_t stageId = seed(writer, 2);
    const ExperimentStore reader = ExperimentStore::open(path, Mode::ReadOnly);
    QVERIFY(reader.readOnly());
    QCOMPARE(reader.schemaVersion(), ExperimentStore::currentSchemaVersion());
    QCOMPARE(reader.trials(stageId).size(), std::size_t(2));

    writer.addTrial(sampleTrial(stageId, 2));
    QCOMPARE(reader.trials(stageId).size(), std::size_t(3));

    writer.transaction([&] {
        writer.addTrial(sampleTrial(stageId, 3));
        writer.addMetrics({{0, 4, 1, "val_sisdr", 5.0, 1.0}});
        // Uncommitted: the reader still sees the last commit, and is not blocked.
        QCOMPARE(reader.trials(stageId).size(), std::size_t(3));
        QVERIFY(reader.metricsAfter(0).empty());
    });
    QCOMPARE(reader.trials(stageId).size(), std::size_t(4));
    QCOMPARE(reader.metricsAfter(0).size(), std::size_t(1));
}

void tst_StoreTransactions::secondProcessReadsWhileThisOneWrites()
{
    QTemporaryDir dir;
    const std::string path = storePath(dir);
    ExperimentStore writer = ExperimentStore::open(path, Mode::ReadWrite);
    const std::int64_t stageId = seed(writer, 3);
    const auto readInChild = [&] {
        QProcess child;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(kReaderChildVariable, QString::fromStdString(path));
        child.setProcessEnvironment(env);
        child.start(QCoreApplication::applicationFilePath(), {});
        if (!child.waitForFinished(60000))
            return std::string("(child did not finish)");
        return QString::fromUtf8(child.readAllStandardOutput()).trimmed().toStdString() + "|"
               + QString::fromUtf8(child.readAllStandardError()).trimmed().toStdString();
    };
    QCOMPARE(readInChild(), std::string("1 3|"));
    // With a write transaction open here, the other process reads the committed state at once.
    writer.transaction([&] {
        writer.addTrial(sampleTrial(stageId, 3));
        QCOMPARE(readInChild(), std::string("1 3|"));
    });
    QCOMPARE(readInChild(), std::string("1 4|"));
}

void tst_StoreTransactions::writesThroughReadOnlyStoreThrow()
{
    QTemporaryDir dir;
    const std::string path = storePath(dir);
    {
        ExperimentStore writer = ExperimentStore::open(path, Mode::ReadWrite);
        seed(writer, 1);
    }
    ExperimentStore reader = ExperimentStore::open(path, Mode::ReadOnly);
    const PlanRecord plan = *reader.plan(1);
    const StageRecord stage = *reader.stage(1);
    const TrialRecord trial = *reader.trial(1);
    QVERIFY_THROWS_EXCEPTION(std::logic_error, reader.addPlan(samplePlan("x")));
    QVERIFY_THROWS_EXCEPTION(std::logic_error, reader.updatePlan(plan));
    QVERIFY_THROWS_EXCEPTION(std::logic_error, reader.addStage(stage));
    QVERIFY_THROWS_EXCEPTION(std::logic_error, reader.updateStage(stage));
    QVERIFY_THROWS_EXCEPTION(std::logic_error, reader.addTrial(trial));
    QVERIFY_THROWS_EXCEPTION(std::logic_error, reader.updateTrial(trial));
    QVERIFY_THROWS_EXCEPTION(std::logic_error, reader.addMetrics({{0, 1, 1, "m", 1.0, 1.0}}));
    QVERIFY_THROWS_EXCEPTION(std::logic_error, reader.addEvent({0, 0, 1, "k", json(), 1.0}));
    QVERIFY_THROWS_EXCEPTION(std::logic_error, reader.addArtifact(1, "audio", "a.wav"));
    QVERIFY_THROWS_EXCEPTION(std::logic_error, reader.transaction([] {}));
    const std::string message = messageOf<std::logic_error>([&] { reader.addTrial(trial); });
    QCOMPARE(message,
             path
                 + ": addTrial needs the store opened ReadWrite; only the sweep "
                   "controller writes.");
    QCOMPARE(reader.trials(1).size(), std::size_t(1));
}

void tst_StoreTransactions::transactionRollbackLeavesNothing()
{
    QTemporaryDir dir;
    ExperimentStore store = ExperimentStore::open(storePath(dir), Mode::ReadWrite);
    const std::string message = messageOf<std::runtime_error>([&] {
        store.transaction([&] {
            const std::int64_t stageId = seed(store, 2);
            store.addMetrics({{0, 1, 1, "val_sisdr", 3.0, 1.0}});
            store.addEvent({0, 1, 1, "start", json::object(), 1.0});
            store.addArtifact(1, "checkpoint", "last.pt");
            QCOMPARE(store.trials(stageId).size(), std::size_t(2)); // visible inside
            throw std::runtime_error("controller gave up");
        });
    });
    QCOMPARE(message, std::string("controller gave up"));
    QVERIFY(store.plans().empty());
    QVERIFY(!store.stage(1));
    QVERIFY(!store.trial(1));
    QVERIFY(store.metricsAfter(0).empty());
    QVERIFY(store.events(1).empty());
    QVERIFY(store.artifacts(1).empty());
    // The store is usable afterwards, and rolled-back ids are handed out again.
    QCOMPARE(store.addPlan(samplePlan()), std::int64_t(1));
}

void tst_StoreTransactions::nestedFailureUndoesOnlyTheInnerCall()
{
    QTemporaryDir dir;
    ExperimentStore store = ExperimentStore::open(storePath(dir), Mode::ReadWrite);
    store.transaction([&] {
        seed(store, 1);
        try {
            // addMetrics is itself a transaction: its second row breaks a foreign key, so its
            // first row must go too, while the outer writes stay.
            store.addMetrics({{0, 1, 1, "val_sisdr", 3.0, 1.0}, {0, 99, 1, "val_sisdr", 4.0, 1.0}});
        } catch (const StoreError &) {
        }
        store.addEvent({0, 1, 1, "after", json::object(), 2.0});
    });
    QCOMPARE(store.planTrials(1).size(), std::size_t(1));
    QVERIFY(store.metricsAfter(0).empty());
    QCOMPARE(store.events(1).size(), std::size_t(1));
}

void tst_StoreTransactions::trialUpdateAndMetricsAreAllOrNothing()
{
    QTemporaryDir dir;
    ExperimentStore store = ExperimentStore::open(storePath(dir), Mode::ReadWrite);
    seed(store, 1);
    const TrialRecord before = *store.trial(1);

    TrialRecord after = before;
    after.state = TrialState::Finished;
    after.epochs = 40;
    after.bestValue = 12.5;
    // As the stage runner ingests an epoch: the trial row and its metrics in one transaction.
    // The last metric names a trial that does not exist, so the whole batch fails.
    QVERIFY_THROWS_EXCEPTION(StoreError, store.transaction([&] {
        store.updateTrial(after);
        store.addMetrics({{0, 1, 40, "val_sisdr", 12.5, 9.0},
                          {0, 1, 40, "train_loss", -3.0, 9.0},
                          {0, 2, 40, "val_sisdr", 1.0, 9.0}});
    }));
    compareTrials(*store.trial(1), before);
    QVERIFY(store.metrics(1).empty());

    // The same batch without the bad row commits entirely.
    store.transaction([&] {
        store.updateTrial(after);
        store.addMetrics({{0, 1, 40, "val_sisdr", 12.5, 9.0}, {0, 1, 40, "train_loss", -3.0, 9.0}});
    });
    compareTrials(*store.trial(1), after);
    QCOMPARE(store.metrics(1).size(), std::size_t(2));
}

int main(int argc, char **argv)
{
    if (const char *path = std::getenv(kReaderChildVariable))
        return runReaderChild(path);
    QCoreApplication app(argc, argv);
    tst_StoreTransactions test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_store_transactions.moc"
