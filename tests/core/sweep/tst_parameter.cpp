// One hyperparameter in every W&B form (spec hpo.md §1(d)): the distribution inferred when
// `distribution:` is omitted, with W&B's defaults; samples in range with the analytic mean;
// CDF and inverse CDF round trips; log forms uniform in log space; q forms multiples of q; grid
// values; JSON round trips; and one-sentence errors.

#include "core/data/deterministic_random.h"
#include "core/sweep/parameter.h"

#include <QtTest>

#include <cmath>

using namespace seplab;
using namespace seplab::sweep;
using nlohmann::json;

namespace {

constexpr int kSamples = 20000;

Parameter param(const char *spec)
{
    return Parameter::fromJson(json::parse(spec), "p");
}

double num(const json &v)
{
    return v.get<double>();
}

// E[ppf(U)] and its standard deviation by the midpoint rule over u: the exact distribution of
// what sample() returns, for the rounded (q) forms whose closed forms are not worth writing.
std::pair<double, double> integratedMoments(const Parameter &p, int points = 50000)
{
    double s1 = 0.0, s2 = 0.0;
    for (int i = 0; i < points; ++i) {
        const double x = num(p.ppf((i + 0.5) / points));
        s1 += x;
        s2 += x * x;
    }
    const double mean = s1 / points;
    return {mean, std::sqrt(std::max(0.0, s2 / points - mean * mean))};
}

} // namespace

class tst_Parameter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void namesRoundTrip();
    void infersTheDistributionWithDefaults();
    void samplesStayInRangeWithTheAnalyticMean_data();
    void samplesStayInRangeWithTheAnalyticMean();
    void cdfOfInverseCdfIsIdentity_data();
    void cdfOfInverseCdfIsIdentity();
    void discreteFormsMapToIndexBuckets();
    void logFormsAreUniformInLogSpace_data();
    void logFormsAreUniformInLogSpace();
    void qFormsAreMultiplesOfQ_data();
    void qFormsAreMultiplesOfQ();
    void gridValuesFollowWandb();
    void jsonRoundTrips();
    void errorsAreOneSentence_data();
    void errorsAreOneSentence();
    void normalAndBetaFunctionsAreAccurate();
};

void tst_Parameter::namesRoundTrip()
{
    QCOMPARE(allDistributions().size(), std::size_t(18));
    for (const Distribution d : allDistributions()) {
        const auto back = distributionFromName(distributionName(d));
        QVERIFY(back.has_value());
        QVERIFY(*back == d);
    }
    QVERIFY(!distributionFromName("loguniform").has_value());
}

void tst_Parameter::infersTheDistributionWithDefaults()
{
    QVERIFY(param(R"({"values": [2, 3]})").distribution() == Distribution::Categorical);
    QVERIFY(param(R"({"values": [2, 3], "probabilities": [0.5, 0.5]})").distribution()
            == Distribution::CategoricalWProbabilities);
    QVERIFY(
        param(R"({"distribution": "categorical", "values": [2, 3], "probabilities": [0.5, 0.5]})")
            .distribution()
        == Distribution::CategoricalWProbabilities);
    QVERIFY(param(R"({"value": "x.yaml"})").distribution() == Distribution::Constant);
    QVERIFY(param(R"({"min": 1, "max": 5})").distribution() == Distribution::IntUniform);
    QVERIFY(param(R"({"min": 0.1, "max": 5})").distribution() == Distribution::Uniform);
    QVERIFY(param(R"({"min": 1.0, "max": 5.0})").distribution() == Distribution::Uniform);

    const Parameter normal = param(R"({"distribution": "normal"})");
    QCOMPARE(normal.mu(), 0.0);
    QCOMPARE(normal.sigma(), 1.0);
    const Parameter qu = param(R"({"distribution": "q_uniform", "min": 0, "max": 10})");
    QCOMPARE(qu.q(), 1.0);
    QVERIFY(qu.qIsInteger());
    QVERIFY(qu.isInteger());
    QVERIFY(qu.ppf(0.37).is_number_integer());
    const Parameter beta = param(R"({"distribution": "beta"})");
    QCOMPARE(beta.a(), 1.0);
    QCOMPARE(beta.b(), 1.0);
    QVERIFY(!param(R"({"distribution": "q_normal", "q": 0.5})").isInteger());

    QVERIFY(param(R"({"distribution": "log_uniform_values", "min": 1e-5, "max": 1e-2})").isLog());
    QVERIFY(param(R"({"distribution": "log_normal"})").isLog());
    QVERIFY(!param(R"({"min": 0.1, "max": 5})").isLog());
    QVERIFY(!param(R"({"values": [1e-5, 1e-3]})").isLog());
}

void tst_Parameter::samplesStayInRangeWithTheAnalyticMean_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<double>("mean"); // NaN: integrate the inverse CDF instead
    QTest::addColumn<double>("sd");
    QTest::addColumn<double>("lo");
    QTest::addColumn<double>("hi");
    const double nan = std::nan("");
    const double inf = HUGE_VAL;

    auto logMoments = [](double a, double b) { // X = exp(U(a, b))
        const double mean = (std::exp(b) - std::exp(a)) / (b - a);
        const double second = (std::exp(2 * b) - std::exp(2 * a)) / (2 * (b - a));
        return std::pair{mean, std::sqrt(second - mean * mean)};
    };
    const auto lv = logMoments(std::log(1e-5), std::log(1e-2));
    const auto lu = logMoments(-5, 0);
    const auto iv = logMoments(std::log(1e-3), 0);
    const auto iu = logMoments(-5, 0); // exp(-U(0, 5))
    const double lnMean = std::exp(-1 + 0.125);
    const double lnSd = std::sqrt((std::exp(0.25) - 1) * std::exp(-2 + 0.25));

    QTest::newRow("uniform") << "{\"min\": 0.1, \"max\": 15.0}" << 7.55 << 14.9 / std::sqrt(12.0)
                             << 0.1 << 15.0;
    QTest::newRow("int_uniform") << "{\"min\": 2, \"max\": 6}" << 4.0 << std::sqrt(2.0) << 2.0
                                 << 6.0;
    QTest::newRow("log_uniform_values")
        << "{\"distribution\": \"log_uniform_values\", \"min\": 1e-5, \"max\": 1e-2}" << lv.first
        << lv.second << 1e-5 << 1e-2;
    QTest::newRow("log_uniform") << "{\"distribution\": \"log_uniform\", \"min\": -5, \"max\": 0}"
                                 << lu.first << lu.second << std::exp(-5.0) << 1.0;
    QTest::newRow("inv_log_uniform_values")
        << "{\"distribution\": \"inv_log_uniform_values\", \"min\": 1e-3, \"max\": 1}" << iv.first
        << iv.second << 1e-3 << 1.0;
    QTest::newRow("inv_log_uniform")
        << "{\"distribution\": \"inv_log_uniform\", \"min\": 0, \"max\": 5}" << iu.first
        << iu.second << std::exp(-5.0) << 1.0;
    QTest::newRow("normal") << "{\"distribution\": \"normal\", \"mu\": 2, \"sigma\": 0.5}" << 2.0
                            << 0.5 << -inf << inf;
    QTest::newRow("log_normal") << "{\"distribution\": \"log_normal\", \"mu\": -1, \"sigma\": 0.5}"
                                << lnMean << lnSd << 0.0 << inf;
    QTest::newRow("beta") << "{\"distribution\": \"beta\", \"a\": 2, \"b\": 5}" << 2.0 / 7.0
                          << std::sqrt(10.0 / (49.0 * 8.0)) << 0.0 << 1.0;
    QTest::newRow("categorical") << "{\"values\": [2, 3, 4, 5, 6]}" << 4.0 << std::sqrt(2.0) << 2.0
                                 << 6.0;
    QTest::newRow("categorical_w_probabilities")
        << "{\"values\": [1, 2, 3], \"probabilities\": [0.2, 0.3, 0.5]}" << 2.3 << std::sqrt(0.61)
        << 1.0 << 3.0;
    QTest::newRow("constant") << "{\"value\": 7}" << 7.0 << 0.0 << 7.0 << 7.0;
    QTest::newRow("q_uniform") << "{\"distribution\": \"q_uniform\", \"min\": 0, \"max\": 10, "
                                  "\"q\": 0.5}"
                               << nan << nan << 0.0 << 10.0;
    QTest::newRow("q_log_uniform_values") << "{\"distribution\": \"q_log_uniform_values\", "
                                             "\"min\": 1, \"max\": 1000, \"q\": 5}"
                                          << nan << nan << 0.0 << 1000.0;
    QTest::newRow("q_log_uniform")
        << "{\"distribution\": \"q_log_uniform\", \"min\": 0, \"max\": 4, \"q\": 2}" << nan << nan
        << 0.0 << 54.0;
    QTest::newRow("q_normal") << "{\"distribution\": \"q_normal\", \"mu\": 0, \"sigma\": 3}" << nan
                              << nan << -inf << inf;
    QTest::newRow("q_log_normal")
        << "{\"distribution\": \"q_log_normal\", \"mu\": 1, \"sigma\": 0.5, \"q\": 0.25}" << nan
        << nan << 0.0 << inf;
    QTest::newRow("q_beta") << "{\"distribution\": \"q_beta\", \"a\": 2, \"b\": 2, \"q\": 0.1}"
                            << nan << nan << 0.0 << 1.0;
}

void tst_Parameter::samplesStayInRangeWithTheAnalyticMean()
{
    QFETCH(QString, spec);
    QFETCH(double, mean);
    QFETCH(double, sd);
    QFETCH(double, lo);
    QFETCH(double, hi);
    const Parameter p = param(spec.toUtf8().constData());
    if (std::isnan(mean))
        std::tie(mean, sd) = integratedMoments(p);

    data::SplitMix64 rng(1234);
    double sum = 0.0;
    for (int i = 0; i < kSamples; ++i) {
        const json v = p.sample(rng);
        QVERIFY(v.is_number());
        QVERIFY(v.is_number_integer() == p.isInteger() || p.isCategorical() || p.isConstant());
        const double x = num(v);
        QVERIFY2(x >= lo && x <= hi, qPrintable(QString::fromStdString(v.dump())));
        sum += x;
    }
    // The sample mean is within 5 standard errors of the mean (a false failure: p < 6e-7).
    const double tolerance = 5.0 * sd / std::sqrt(double(kSamples)) + 1e-12;
    const double got = sum / kSamples;
    QVERIFY2(std::fabs(got - mean) <= tolerance,
             qPrintable(QString("mean %1, expected %2 +- %3").arg(got).arg(mean).arg(tolerance)));
}

void tst_Parameter::cdfOfInverseCdfIsIdentity_data()
{
    QTest::addColumn<QString>("spec");
    QTest::newRow("uniform") << R"({"min": -2.5, "max": 7.0})";
    QTest::newRow("log_uniform_values")
        << R"({"distribution": "log_uniform_values", "min": 1e-7, "max": 1e-3})";
    QTest::newRow("log_uniform") << R"({"distribution": "log_uniform", "min": -9, "max": -2})";
    QTest::newRow("inv_log_uniform_values")
        << R"({"distribution": "inv_log_uniform_values", "min": 0.01, "max": 10})";
    QTest::newRow("inv_log_uniform")
        << R"({"distribution": "inv_log_uniform", "min": 1, "max": 4})";
    QTest::newRow("normal") << R"({"distribution": "normal", "mu": 3, "sigma": 2})";
    QTest::newRow("log_normal") << R"({"distribution": "log_normal", "mu": 0.5, "sigma": 1.5})";
    QTest::newRow("beta") << R"({"distribution": "beta", "a": 0.5, "b": 3})";
}

void tst_Parameter::cdfOfInverseCdfIsIdentity()
{
    QFETCH(QString, spec);
    const Parameter p = param(spec.toUtf8().constData());
    QCOMPARE(p.ppf(0.5).is_number_float(), true);
    double previous = -HUGE_VAL;
    for (const double u : {1e-6, 0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999, 1 - 1e-6}) {
        const json x = p.ppf(u);
        QVERIFY2(std::fabs(p.cdf(x) - u) < 1e-9,
                 qPrintable(QString("u %1: cdf(ppf(u)) = %2").arg(u).arg(p.cdf(x), 0, 'g', 17)));
        QVERIFY(num(x) > previous); // the inverse CDF increases
        previous = num(x);
    }
    QVERIFY_EXCEPTION_THROWN(p.ppf(1.5), std::invalid_argument);
    QVERIFY_EXCEPTION_THROWN(p.ppf(-0.1), std::invalid_argument);
}

void tst_Parameter::discreteFormsMapToIndexBuckets()
{
    // values: index i maps to (i+1)/n, and back.
    const Parameter cat = param(R"({"values": ["LSTM", "GRU", "RNN", "X"]})");
    for (std::size_t i = 0; i < 4; ++i) {
        QCOMPARE(cat.cdf(cat.values()[i]), double(i + 1) / 4.0);
        QCOMPARE(cat.ppf(cat.cdf(cat.values()[i])), cat.values()[i]);
        // Every u in ((i)/n, (i+1)/n] lands in bucket i.
        QCOMPARE(cat.ppf(double(i) / 4.0 + 0.01), cat.values()[i]);
    }
    QCOMPARE(cat.ppf(0.0), json("LSTM"));
    QVERIFY_EXCEPTION_THROWN(cat.cdf(json("Transformer")), std::invalid_argument);
    // Numbers match across integer and float spellings.
    QCOMPARE(param(R"({"values": [2, 3]})").cdf(json(3.0)), 1.0);

    // Weighted: the cumulative probability.
    const Parameter w = param(R"({"values": [1, 2, 3], "probabilities": [0.2, 0.3, 0.5]})");
    QCOMPARE(w.cdf(json(1)), 0.2);
    QCOMPARE(w.cdf(json(2)), 0.5);
    QCOMPARE(w.cdf(json(3)), 1.0);
    QCOMPARE(w.ppf(0.2), json(1));
    QCOMPARE(w.ppf(0.21), json(2));
    QCOMPARE(w.ppf(0.5), json(2));
    QCOMPARE(w.ppf(0.51), json(3));

    // int_uniform over min..max inclusive.
    const Parameter iu = param(R"({"min": 2, "max": 6})");
    for (int k = 2; k <= 6; ++k) {
        QCOMPARE(iu.cdf(json(k)), double(k - 1) / 5.0);
        QCOMPARE(iu.ppf(iu.cdf(json(k))), json(k));
    }
    QCOMPARE(iu.ppf(0.0), json(2));
    QCOMPARE(iu.ppf(1.0), json(6));

    // A constant maps to 0 (W&B leaves it out of the GP).
    QCOMPARE(param(R"({"value": 3})").cdf(json(3)), 0.0);
    QCOMPARE(param(R"({"value": 3})").ppf(0.7), json(3));
}

void tst_Parameter::logFormsAreUniformInLogSpace_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<double>("logLo");
    QTest::addColumn<double>("logHi");
    QTest::newRow("log_uniform_values")
        << R"({"distribution": "log_uniform_values", "min": 1e-7, "max": 1e-3})" << std::log(1e-7)
        << std::log(1e-3);
    QTest::newRow("log_uniform") << R"({"distribution": "log_uniform", "min": -9, "max": -2})"
                                 << -9.0 << -2.0;
    QTest::newRow("inv_log_uniform_values")
        << R"({"distribution": "inv_log_uniform_values", "min": 0.01, "max": 10})" << std::log(0.01)
        << std::log(10.0);
    QTest::newRow("inv_log_uniform")
        << R"({"distribution": "inv_log_uniform", "min": 1, "max": 4})" << -4.0 << -1.0;
}

void tst_Parameter::logFormsAreUniformInLogSpace()
{
    QFETCH(QString, spec);
    QFETCH(double, logLo);
    QFETCH(double, logHi);
    const Parameter p = param(spec.toUtf8().constData());
    QVERIFY(p.isLog());
    // Ten equal bins of log(x): each holds N/10 within 5 binomial standard deviations.
    constexpr int kBins = 10;
    std::vector<int> counts(kBins, 0);
    data::SplitMix64 rng(99);
    for (int i = 0; i < kSamples; ++i) {
        const double t = (std::log(num(p.sample(rng))) - logLo) / (logHi - logLo);
        QVERIFY(t >= -1e-12 && t <= 1 + 1e-12);
        counts[std::min(kBins - 1, std::max(0, int(t * kBins)))]++;
    }
    const double expected = double(kSamples) / kBins;
    const double sd = std::sqrt(kSamples * 0.1 * 0.9);
    for (int b = 0; b < kBins; ++b)
        QVERIFY2(std::fabs(counts[b] - expected) <= 5 * sd,
                 qPrintable(QString("bin %1 holds %2").arg(b).arg(counts[b])));
}

void tst_Parameter::qFormsAreMultiplesOfQ_data()
{
    QTest::addColumn<QString>("spec");
    QTest::newRow("q_uniform") << R"({"distribution": "q_uniform", "min": 0.3, "max": 9.7, "q": 0.25})";
    QTest::newRow("q_uniform int q")
        << R"({"distribution": "q_uniform", "min": 10, "max": 200, "q": 10})";
    QTest::newRow("q_log_uniform_values")
        << R"({"distribution": "q_log_uniform_values", "min": 16, "max": 512, "q": 16})";
    QTest::newRow("q_log_uniform")
        << R"({"distribution": "q_log_uniform", "min": 0, "max": 5, "q": 0.5})";
    QTest::newRow("q_normal") << R"({"distribution": "q_normal", "mu": 10, "sigma": 4, "q": 2})";
    QTest::newRow("q_log_normal")
        << R"({"distribution": "q_log_normal", "mu": 2, "sigma": 1, "q": 0.125})";
    QTest::newRow("q_beta") << R"({"distribution": "q_beta", "a": 3, "b": 2, "q": 0.05})";
}

void tst_Parameter::qFormsAreMultiplesOfQ()
{
    QFETCH(QString, spec);
    const Parameter p = param(spec.toUtf8().constData());
    QVERIFY(p.isQuantized());
    data::SplitMix64 rng(5);
    for (int i = 0; i < 2000; ++i) {
        const json v = p.sample(rng);
        QCOMPARE(v.is_number_integer(), p.qIsInteger());
        const double k = num(v) / p.q();
        QVERIFY2(std::fabs(k - std::round(k)) < 1e-9, qPrintable(QString::fromStdString(v.dump())));
        // The CDF is the unrounded distribution's; its inverse gives the value back.
        QCOMPARE(num(p.ppf(p.cdf(v))), num(v));
    }
}

void tst_Parameter::gridValuesFollowWandb()
{
    QCOMPARE(param(R"({"value": "a"})").gridValues(), std::vector<json>{json("a")});
    QCOMPARE(param(R"({"values": [0.4, 0.55]})").gridValues(),
             (std::vector<json>{json(0.4), json(0.55)}));
    QCOMPARE(param(R"({"min": 2, "max": 5})").gridValues(),
             (std::vector<json>{json(2), json(3), json(4), json(5)}));
    // q_uniform: numpy.arange(min, max, q), max excluded.
    const auto ints = param(R"({"distribution": "q_uniform", "min": 0, "max": 10, "q": 5})")
                          .gridValues();
    QCOMPARE(ints, (std::vector<json>{json(0), json(5)}));
    QVERIFY(ints[0].is_number_integer());
    const auto floats = param(R"({"distribution": "q_uniform", "min": 0.5, "max": 1.6, "q": 0.5})")
                            .gridValues();
    QCOMPARE(floats, (std::vector<json>{json(0.5), json(1.0), json(1.5)}));
    for (const char *spec : {R"({"min": 0.1, "max": 1.0})",
                             R"({"values": [1, 2], "probabilities": [0.5, 0.5]})",
                             R"({"distribution": "log_uniform_values", "min": 1e-5, "max": 1})",
                             R"({"distribution": "normal"})"}) {
        QVERIFY(!param(spec).isGridable());
        QVERIFY_EXCEPTION_THROWN(param(spec).gridValues(), std::logic_error);
    }
}

void tst_Parameter::jsonRoundTrips()
{
    const std::vector<const char *> specs = {
        R"({"value": {"a": 1}})",
        R"({"values": [1, "two", 3.5]})",
        R"({"values": [1, 2], "probabilities": [0.25, 0.75]})",
        R"({"min": 1, "max": 4})",
        R"({"min": 0, "max": 1.5})",
        R"({"distribution": "q_uniform", "min": 0, "max": 1, "q": 0.1})",
        R"({"distribution": "q_uniform", "min": 0, "max": 100})",
        R"({"distribution": "log_uniform", "min": -3, "max": 0})",
        R"({"distribution": "log_uniform_values", "min": 1e-5, "max": 0.01})",
        R"({"distribution": "q_log_uniform", "min": 0, "max": 3, "q": 2})",
        R"({"distribution": "q_log_uniform_values", "min": 1, "max": 64, "q": 1})",
        R"({"distribution": "inv_log_uniform", "min": 0, "max": 3})",
        R"({"distribution": "inv_log_uniform_values", "min": 0.5, "max": 3})",
        R"({"distribution": "normal", "mu": 1, "sigma": 2})",
        R"({"distribution": "q_normal", "q": 0.5})",
        R"({"distribution": "log_normal"})",
        R"({"distribution": "q_log_normal", "mu": -1, "sigma": 0.1, "q": 3})",
        R"({"distribution": "beta", "a": 2})",
        R"({"distribution": "q_beta", "a": 2, "b": 3, "q": 0.2})",
    };
    for (const char *spec : specs) {
        const Parameter p = param(spec);
        const json written = p.toJson();
        QVERIFY(written.contains("distribution"));
        const Parameter back = Parameter::fromJson(written);
        QCOMPARE(back.toJson(), written);
        QVERIFY(back.distribution() == p.distribution());
        QCOMPARE(back.isInteger(), p.isInteger());
        QCOMPARE(back.ppf(0.3), p.ppf(0.3));
    }
}

void tst_Parameter::errorsAreOneSentence_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("key");
    auto row = [](const char *name, const char *spec, const char *message, const char *key) {
        QTest::newRow(name) << spec << message << key;
    };
    row("min >= max",
        R"({"min": 0.01, "max": 0.001})",
        "parameter 'lr': min (0.01) must be less than max (0.001).",
        "min");
    row("min == max",
        R"({"min": 3, "max": 3})",
        "parameter 'lr': min (3) must be less than max (3).",
        "min");
    row("empty values",
        R"({"values": []})",
        "parameter 'lr': 'values' must not be empty.",
        "values");
    row("values not a list",
        R"({"values": 5})",
        "parameter 'lr': 'values' must be a list, not 5.",
        "values");
    row("zero log bound",
        R"({"distribution": "log_uniform_values", "min": 0, "max": 1})",
        "parameter 'lr': log_uniform_values needs a positive min, not 0.",
        "min");
    row("negative log bound",
        R"({"distribution": "q_log_uniform_values", "min": -1, "max": 1})",
        "parameter 'lr': q_log_uniform_values needs a positive min, not -1.",
        "min");
    row("unknown key",
        R"({"min": 1, "max": 2, "maxx": 3})",
        "parameter 'lr': unknown key 'maxx'.",
        "maxx");
    row("missing key",
        R"({"distribution": "uniform", "min": 1})",
        "parameter 'lr': uniform needs 'max'.",
        "");
    row("extra key",
        R"({"distribution": "uniform", "min": 1, "max": 2, "q": 1})",
        "parameter 'lr': uniform takes no 'q'.",
        "q");
    row("mu on uniform",
        R"({"min": 0.5, "max": 2, "mu": 1})",
        "parameter 'lr': uniform takes no 'mu'.",
        "mu");
    row("probabilities sum",
        R"({"values": [1, 2], "probabilities": [0.5, 0.4]})",
        "parameter 'lr': 'probabilities' must sum to 1, not 0.9.",
        "probabilities");
    row("probabilities length",
        R"({"values": [1, 2], "probabilities": [1.0]})",
        "parameter 'lr': 'probabilities' must have one entry per value (2), not 1.",
        "probabilities");
    row("negative probability",
        R"({"values": [1, 2], "probabilities": [1.5, -0.5]})",
        "parameter 'lr': 'probabilities' must be numbers from 0 to 1, not -0.5.",
        "probabilities");
    row("unknown distribution",
        R"({"distribution": "loguniform", "min": 1, "max": 2})",
        "parameter 'lr': unknown distribution 'loguniform'.",
        "distribution");
    row("int_uniform of floats",
        R"({"distribution": "int_uniform", "min": 0.5, "max": 3})",
        "parameter 'lr': int_uniform needs integer min and max, not 0.5 and 3.",
        "min");
    row("zero sigma",
        R"({"distribution": "normal", "sigma": 0})",
        "parameter 'lr': 'sigma' must be positive, not 0.",
        "sigma");
    row("negative q",
        R"({"distribution": "q_uniform", "min": 0, "max": 1, "q": -1})",
        "parameter 'lr': 'q' must be positive, not -1.",
        "q");
    row("zero beta a",
        R"({"distribution": "beta", "a": 0})",
        "parameter 'lr': 'a' must be positive, not 0.",
        "a");
    row("text bound",
        R"({"min": "a", "max": 2})",
        "parameter 'lr': 'min' must be a number, not \"a\".",
        "min");
    row("nothing",
        R"({})",
        "parameter 'lr': needs 'value', 'values', or 'min' and 'max', or a 'distribution'.",
        "");
    row("not a mapping",
        R"([1, 2])",
        "parameter 'lr': must be a mapping of keys such as 'distribution', 'values', 'min' and "
        "'max'.",
        "");
}

void tst_Parameter::errorsAreOneSentence()
{
    QFETCH(QString, spec);
    QFETCH(QString, message);
    QFETCH(QString, key);
    try {
        Parameter::fromJson(json::parse(spec.toStdString()), "lr");
        QFAIL("no error");
    } catch (const ParameterError &error) {
        QCOMPARE(QString::fromStdString(error.what()), message);
        QCOMPARE(QString::fromStdString(error.key()), key);
    }
}

void tst_Parameter::normalAndBetaFunctionsAreAccurate()
{
    // Reference values from scipy.stats.
    QVERIFY(std::fabs(normalPpf(0.975) - 1.959963984540054) < 1e-12);
    QVERIFY(std::fabs(normalPpf(1e-10) - -6.361340902404056) < 1e-9);
    QVERIFY(std::fabs(normalCdf(-1.0) - 0.15865525393145707) < 1e-15);
    QVERIFY(std::fabs(betaCdf(0.3, 2, 5) - 0.579825) < 1e-12);
    QVERIFY(std::fabs(betaCdf(0.5, 0.5, 0.5) - 0.5) < 1e-12);
    QVERIFY(std::fabs(betaPpf(0.579825, 2, 5) - 0.3) < 1e-10);
}

QTEST_GUILESS_MAIN(tst_Parameter)
#include "tst_parameter.moc"
