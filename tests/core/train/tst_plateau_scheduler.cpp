// ReduceLROnPlateau (mode max, relative threshold 1e-4) against schedules worked out by hand
// from PyTorch's rules, its state round trip, and the curriculum gate.

#include "core/data/curriculum.h"
#include "core/train/plateau_scheduler.h"

#include <QtTest>

using namespace seplab;
using namespace seplab::train;

class tst_PlateauScheduler : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void reducesAfterPatienceBadEpochs();
    void relativeThresholdOnPositiveAndNegativeBest();
    void stateRoundTripContinuesIdentically();
    void curriculumGatesTheScheduler();
};

void tst_PlateauScheduler::reducesAfterPatienceBadEpochs()
{
    // factor 0.5, patience 2: epochs 1-2 improve, 3-4 are bad (count 1, 2: not > 2), the 5th bad
    // one makes the count 3 > 2 and halves the LR; the count then restarts from 0.
    PlateauScheduler scheduler(0.5, 2);
    double lr = 1e-3;
    const std::vector<double> metrics = {1.0, 2.0, 1.5, 1.9, 2.0, 1.0, 1.0, 1.0, 3.0};
    const std::vector<double> expected = {1e-3, 1e-3, 1e-3, 1e-3, 5e-4, 5e-4, 5e-4, 2.5e-4, 2.5e-4};
    for (std::size_t i = 0; i < metrics.size(); ++i) {
        lr = scheduler.step(metrics[i], lr);
        QCOMPARE(lr, expected[i]);
    }
    QCOMPARE(scheduler.best(), 3.0);
    QCOMPARE(scheduler.badEpochs(), 0);
    QCOMPARE(scheduler.reductions(), 2);
}

void tst_PlateauScheduler::relativeThresholdOnPositiveAndNegativeBest()
{
    // best 10: 10.0009 is not > 10 * 1.0001 = 10.001, so it is a bad epoch.
    PlateauScheduler positive(0.5, 0);
    double lr = 1.0;
    lr = positive.step(10.0, lr);
    lr = positive.step(10.0009, lr);
    QCOMPARE(lr, 0.5);
    QCOMPARE(positive.best(), 10.0);
    // best -10: the threshold is -10 * 1.0001 = -10.001, so even -10.0005 (worse) counts as
    // better, as PyTorch computes it.
    PlateauScheduler negative(0.5, 0);
    lr = 1.0;
    lr = negative.step(-10.0, lr);
    lr = negative.step(-10.0005, lr);
    QCOMPARE(lr, 1.0);
    QCOMPARE(negative.best(), -10.0005);
    // A NaN metric is never better.
    lr = negative.step(std::nan(""), lr);
    QCOMPARE(lr, 0.5);
}

void tst_PlateauScheduler::stateRoundTripContinuesIdentically()
{
    PlateauScheduler a(0.8, 3);
    double lrA = 1e-3;
    for (double m : {1.0, 0.5, 0.4})
        lrA = a.step(m, lrA);
    PlateauScheduler b(0.8, 3);
    b.restore(nlohmann::json::parse(a.state().dump()));
    QCOMPARE(b.badEpochs(), 2);
    double lrB = lrA;
    for (double m : {0.3, 0.2, 0.9, 0.1, 0.1, 0.1, 0.1}) {
        lrA = a.step(m, lrA);
        lrB = b.step(m, lrB);
        QCOMPARE(lrB, lrA);
    }
    QCOMPARE(lrA, 1e-3 * 0.8 * 0.8);
    // A fresh scheduler's best (-inf) survives JSON as null.
    PlateauScheduler fresh(0.5, 1);
    QVERIFY(fresh.state().at("best").is_null());
    fresh.restore(fresh.state());
    QVERIFY(std::isinf(fresh.best()));
}

void tst_PlateauScheduler::curriculumGatesTheScheduler()
{
    const data::Curriculum curriculum({{1, {data::Variant::C}, false},
                                       {4, {data::Variant::C, data::Variant::R}, false},
                                       {8, {data::Variant::SER}, true}});
    for (int epoch = 1; epoch <= 7; ++epoch)
        QVERIFY(!curriculum.schedulerActiveAt(epoch));
    QVERIFY(curriculum.schedulerActiveAt(8));
    QVERIFY(curriculum.schedulerActiveAt(30));
    QVERIFY(data::Curriculum().empty()); // the Trainer runs the scheduler from epoch 1 then
}

QTEST_GUILESS_MAIN(tst_PlateauScheduler)
#include "tst_plateau_scheduler.moc"
