// ParamReader: how a model's config section is read and which values every model refuses alike.

#include "core/models/model_params.h"

#include <QtTest>

#include <functional>

using namespace seplab::models;

Q_DECLARE_METATYPE(std::function<void(seplab::models::ParamReader &)>)

namespace {

// Runs the check against a reader for model "m" and returns its message, or "" if none threw.
template<typename Check>
QString errorOf(const nlohmann::json &params, Check check)
{
    try {
        ParamReader reader("m", params);
        check(reader);
    } catch (const std::invalid_argument &error) {
        return QString::fromStdString(error.what());
    }
    return {};
}

} // namespace

class tst_ModelParams : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readsValuesAndFallsBackToDefaults();
    void acceptsWholeFloatsAsIntegers();
    void namesTheKeyOfAWrongType();
    void rejectsUnknownButNotIgnoredKeys();
    void sharedRangeChecks_data();
    void sharedRangeChecks();
    void sharedRangeChecksPassGoodValues();
};

void tst_ModelParams::readsValuesAndFallsBackToDefaults()
{
    ParamReader reader("m",
                       {{"n", 7}, {"x", 0.25}, {"on", false}, {"kind", "gLN"}, {"gone", nullptr}});
    QCOMPARE(reader.integer("n", 1), 7);
    QCOMPARE(reader.number("x", 1.0), 0.25);
    QCOMPARE(reader.boolean("on", true), false);
    QCOMPARE(reader.text("kind", "ln"), std::string("gLN"));
    // A null value (YAML "~") means "the default", as an absent key does.
    QCOMPARE(reader.integer("gone", 5), 5);
    QCOMPARE(reader.integer("absent", 9), 9);
    // A null section is an empty one, so a model without a section takes every default.
    ParamReader empty("m", nullptr);
    QCOMPARE(empty.integer("n", 3), 3);
}

void tst_ModelParams::acceptsWholeFloatsAsIntegers()
{
    ParamReader reader("m", {{"n", 16.0}});
    QCOMPARE(reader.integer("n", 1), 16);
    QCOMPARE(errorOf({{"n", 16.5}}, [](ParamReader &r) { r.integer("n", 1); }),
             QString("model.m.n: expected an integer, got 16.5."));
}

void tst_ModelParams::namesTheKeyOfAWrongType()
{
    QCOMPARE(errorOf({{"x", "0.1"}}, [](ParamReader &r) { r.number("x", 0.0); }),
             QString("model.m.x: expected a number, got \"0.1\"."));
    QCOMPARE(errorOf({{"on", 1}}, [](ParamReader &r) { r.boolean("on", false); }),
             QString("model.m.on: expected true or false, got 1."));
    QCOMPARE(errorOf({{"kind", 3}}, [](ParamReader &r) { r.text("kind", ""); }),
             QString("model.m.kind: expected a string, got 3."));
    QCOMPARE(errorOf(nlohmann::json::array({1}), [](ParamReader &) {}),
             QString("model.m must be a mapping of hyperparameters."));
}

void tst_ModelParams::rejectsUnknownButNotIgnoredKeys()
{
    const nlohmann::json params = {{"n", 1}, {"hop_size", 125}, {"hiden", 3}};
    QCOMPARE(errorOf(params,
                     [](ParamReader &r) {
                         r.integer("n", 1);
                         r.ignore("hop_size");
                         r.rejectUnknownKeys();
                     }),
             QString("model.m.hiden: unknown hyperparameter."));
    QCOMPARE(errorOf(params,
                     [](ParamReader &r) {
                         r.integer("n", 1);
                         r.ignore("hop_size");
                         r.ignore("hiden");
                         r.rejectUnknownKeys();
                     }),
             QString());
}

void tst_ModelParams::sharedRangeChecks_data()
{
    using Check = std::function<void(ParamReader &)>;
    QTest::addColumn<Check>("check");
    QTest::addColumn<QString>("message");
    QTest::newRow("second of several below one") << Check([](ParamReader &r) {
        r.requireAtLeastOne({{"N", 64}, {"C", 0}, {"R", -1}});
    }) << "model.m.C: must be at least 1, got 0.";
    QTest::newRow("odd") << Check([](ParamReader &r) { r.requireEvenAtLeast("n_fft", 255, 4); })
                         << "model.m.n_fft: must be even and at least 4, got 255.";
    QTest::newRow("even but too small")
        << Check([](ParamReader &r) { r.requireEvenAtLeast("n_fft", 2, 4); })
        << "model.m.n_fft: must be even and at least 4, got 2.";
    QTest::newRow("stride")
        << Check([](ParamReader &r) { r.requireHalfKernelStride(16, 4); })
        << "model.m.stride: must be kernel_size/2 = 8 (the encoder always hops kernel_size/2), "
           "got 4.";
    QTest::newRow("dropout one") << Check([](ParamReader &r) { r.requireDropout(1.0); })
                                 << "model.m.dropout: must lie in [0, 1), got 1.000000.";
    QTest::newRow("dropout negative") << Check([](ParamReader &r) { r.requireDropout(-0.5); })
                                      << "model.m.dropout: must lie in [0, 1), got -0.500000.";
}

void tst_ModelParams::sharedRangeChecks()
{
    QFETCH(std::function<void(ParamReader &)>, check);
    QFETCH(QString, message);
    QCOMPARE(errorOf(nlohmann::json::object(), check), message);
}

void tst_ModelParams::sharedRangeChecksPassGoodValues()
{
    QCOMPARE(errorOf(nlohmann::json::object(),
                     [](ParamReader &r) {
                         r.requireAtLeastOne({{"N", 1}, {"C", 2}});
                         r.requireEvenAtLeast("n_fft", 4, 4);
                         r.requireHalfKernelStride(16, 8);
                         r.requireHalfKernelStride(2, 1);
                         r.requireDropout(0.0);
                         r.requireDropout(0.999);
                     }),
             QString());
}

QTEST_GUILESS_MAIN(tst_ModelParams)
#include "tst_model_params.moc"
