// PolsessDataset on a corpus written into a temporary folder: MM-IPC through real files, the
// row filter, the seeded subset, the variant choice (Python-exact for validation), the manifest
// hash and the errors for broken rows.

#include "core/data/loading/audio_cache.h"
#include "core/data/polsess_dataset.h"
#include "polsess_fixture.h"

#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <functional>
#include <stdexcept>

using namespace seplab;
using namespace seplab::data;
using seplab::test::FixtureLayerValues;
using seplab::test::PolsessFixture;

Q_DECLARE_METATYPE(seplab::data::Variant)
Q_DECLARE_METATYPE(seplab::data::Task)

namespace {

QString errorOf(const std::function<void()> &action)
{
    try {
        action();
    } catch (const std::exception &error) {
        return QString::fromUtf8(error.what());
    }
    return QStringLiteral("(no error)");
}

bool allNear(const std::vector<float> &signal, double expected, std::size_t length)
{
    if (signal.size() != length)
        return false;
    for (float sample : signal) {
        if (std::abs(double(sample) - expected) > 1e-6)
            return false;
    }
    return true;
}

QString stems(const PolsessDataset &dataset)
{
    QStringList names;
    for (const PolsessRow &row : dataset.rows())
        names << QFileInfo(QString::fromStdString(row.mix)).completeBaseName();
    return names.join(QLatin1Char(' '));
}

QString variantsOf(const PolsessDataset &dataset, int epoch)
{
    QStringList names;
    for (std::size_t i = 0; i < dataset.size(); ++i)
        names << QString::fromStdString(variantName(dataset.variantFor(i, epoch)));
    return names.join(QLatin1Char(' '));
}

} // namespace

class tst_PolsessDataset : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void mmipcThroughFiles_data();
    void mmipcThroughFiles();
    void cacheGivesTheSameExample();
    void rowFilter();
    void validationVariantsArePythonExact();
    void trainingVariantsDependOnSeedEpochIndex();
    void seededSubset();
    void headSubset();
    void curriculumChangeRefilters();
    void manifestHash();
    void describe();
    void brokenRowThrowsNamingLine();
    void layerMismatchThrows();
    void constructionErrors();

private:
    // A fresh corpus folder for each test.
    PolsessFixture fixture(const char *name) const { return PolsessFixture(m_dir.filePath(name)); }
    // `count` rows r00, r01...; `indoor(i)` picks the environment. Only the mixture files are
    // written unless `allLayers`: selection and variant choice never open the other layers.
    PolsessFixture corpus(const char *name,
                          int count,
                          const std::function<bool(int)> &indoor,
                          bool allLayers = false) const;

    QTemporaryDir m_dir;
};

void tst_PolsessDataset::initTestCase()
{
    QVERIFY(m_dir.isValid());
}

PolsessFixture tst_PolsessDataset::corpus(const char *name,
                                          int count,
                                          const std::function<bool(int)> &indoor,
                                          bool allLayers) const
{
    PolsessFixture f = fixture(name);
    for (int i = 0; i < count; ++i) {
        const QString name = QStringLiteral("r%1").arg(i, 2, 10, QLatin1Char('0'));
        const std::string stem = name.toStdString();
        if (allLayers) {
            f.addRow("train", stem, indoor(i));
            continue;
        }
        PolsessFixture::writeConstant(f.file("train", "mix", stem + ".wav"), 1.0f, 8, 8000);
        f.addLine("train",
                  stem + ".wav,a.wav,b.wav,s.wav,e.wav,"
                      + (indoor(i) ? "r1.wav,r2.wav,re.wav" : ",,"));
    }
    f.writeCsv("train");
    return f;
}

void tst_PolsessDataset::mmipcThroughFiles_data()
{
    QTest::addColumn<Variant>("variant");
    QTest::addColumn<Task>("task");
    QTest::addColumn<bool>("indoor");
    QTest::addColumn<double>("mix");
    QTest::addColumn<double>("target1");
    QTest::addColumn<double>("target2");

    // The same hand-worked table as tst_mmipc (mix 1.0, s1 0.5, s2 0.2, scene 0.1, event 0.05,
    // r1 0.03, r2 0.02, re 0.01), now read from WAV files, which exercises which layers get
    // loaded for each draw.
    struct Row
    {
        const char *name;
        Variant variant;
        bool indoor;
        double keep;
        double single;
    };
    const Row rows[] = {
        {"SER", Variant::SER, true, 1.0, 0.78},
        {"SR", Variant::SR, true, 0.94, 0.72},
        {"ER", Variant::ER, true, 0.9, 0.68},
        {"R", Variant::R, true, 0.84, 0.62},
        {"C", Variant::C, true, 0.79, 0.59},
        {"SE", Variant::SE, false, 1.0, 0.8},
        {"S", Variant::S, false, 0.95, 0.75},
        {"E", Variant::E, false, 0.9, 0.7},
        {"C", Variant::C, false, 0.85, 0.65},
    };
    for (const Row &row : rows) {
        const QByteArray where = QByteArray(row.name) + (row.indoor ? " indoor" : " outdoor");
        QTest::newRow((where + " ES").constData())
            << row.variant << Task::ES << row.indoor << row.single << 0.5 << -1.0;
        QTest::newRow((where + " EB").constData())
            << row.variant << Task::EB << row.indoor << row.keep << 0.7 << -1.0;
        QTest::newRow((where + " SB").constData())
            << row.variant << Task::SB << row.indoor << row.keep << 0.5 << 0.2;
    }
}

void tst_PolsessDataset::mmipcThroughFiles()
{
    QFETCH(Variant, variant);
    QFETCH(Task, task);
    QFETCH(bool, indoor);
    QFETCH(double, mix);
    QFETCH(double, target1);
    QFETCH(double, target2);

    static const PolsessFixture f = [this] {
        PolsessFixture made = fixture("mmipc");
        made.addRow("train", "in", true, {}, 48);
        made.addRow("train", "out", false, {}, 48);
        made.writeCsv("train");
        return made;
    }();
    PolsessOptions options;
    options.task = task;
    options.allowedVariants = {variant};
    const PolsessDataset dataset(f.root(), "train", options);
    // C keeps both rows; the row of the wanted environment is the first (indoor) or second.
    const std::size_t index = (variant == Variant::C && !indoor) ? 1 : 0;
    QCOMPARE(dataset.rows()[index].indoor(), indoor);
    const Example example = dataset.get(index, 1);
    QCOMPARE(example.variant, variantName(variant));
    QCOMPARE(example.id, std::string(indoor ? "in.wav" : "out.wav"));
    QVERIFY2(allNear(example.mix, mix, 48), qPrintable(QString::number(example.mix[0], 'g', 9)));
    QCOMPARE(int(example.targets.size()), sourceCount(task));
    QVERIFY(allNear(example.targets[0], target1, 48));
    if (task == Task::SB)
        QVERIFY(allNear(example.targets[1], target2, 48));
    QCOMPARE(dataset.sampleRate(), 8000);
    QCOMPARE(dataset.sources(), sourceCount(task));
}

void tst_PolsessDataset::cacheGivesTheSameExample()
{
    PolsessFixture f = fixture("cache");
    FixtureLayerValues values;
    values.mix = 0.75f;
    f.addRow("train", "a", true, values, 32);
    f.writeCsv("train");
    PolsessOptions options;
    options.task = Task::ES;
    options.allowedVariants = {Variant::C};
    auto cache = std::make_shared<AudioCache>(1 << 20);
    const PolsessDataset cached(f.root(), "train", options, cache);
    const PolsessDataset streamed(f.root(), "train", options);
    const Example a = cached.get(0, 3);
    const Example b = streamed.get(0, 3);
    QCOMPARE(a.mix, b.mix);
    QCOMPARE(a.targets, b.targets);
    // 0.75 - r1 - r2 - s2 - b - e - re = 0.75 - 0.03 - 0.02 - 0.2 - 0.1 - 0.05 - 0.01 = 0.34
    QVERIFY(allNear(a.mix, 0.34, 32));
    // ES with C reads mix, s1, s2, scene, event, re, r1, r2: eight files, all through the cache.
    QCOMPARE(int(cache->misses()), 8);
    cached.get(0, 4);
    QCOMPARE(int(cache->hits()), 8);
}

void tst_PolsessDataset::rowFilter()
{
    // Rows 0, 2, 4 indoor; 1, 3 outdoor.
    const PolsessFixture f = corpus("filter", 5, [](int i) { return i % 2 == 0; });
    const auto selected = [&](std::vector<Variant> allowed) {
        PolsessOptions options;
        options.allowedVariants = std::move(allowed);
        return stems(PolsessDataset(f.root(), "train", options));
    };
    QCOMPARE(selected({}), QStringLiteral("r00 r01 r02 r03 r04"));
    QCOMPARE(selected({Variant::SER}), QStringLiteral("r00 r02 r04"));
    QCOMPARE(selected({Variant::SR, Variant::R}), QStringLiteral("r00 r02 r04"));
    QCOMPARE(selected({Variant::SE}), QStringLiteral("r01 r03"));
    QCOMPARE(selected({Variant::C}), QStringLiteral("r00 r01 r02 r03 r04"));
    QCOMPARE(selected({Variant::SER, Variant::SE}), QStringLiteral("r00 r01 r02 r03 r04"));
}

void tst_PolsessDataset::validationVariantsArePythonExact()
{
    // Rows 0-5 indoor, 6-7 outdoor. python3 -c "import random;
    //   print([random.Random(i).choice(['SER','SR','ER','R','C']) for i in range(8)]);
    //   print([random.Random(i).choice(['SE','S','E','C']) for i in range(8)])"
    // prints R SR SER SR SR C C ER and C S SE S S E SE E; rows 6 and 7 take the second list.
    const PolsessFixture f = corpus("validation", 8, [](int i) { return i < 6; });
    PolsessOptions options;
    options.variantChoice = VariantChoice::PerIndex;
    const PolsessDataset all(f.root(), "train", options);
    QCOMPARE(variantsOf(all, 1), QStringLiteral("R SR SER SR SR C SE E"));
    QCOMPARE(variantsOf(all, 17), QStringLiteral("R SR SER SR SR C SE E")); // every epoch
    options.seed = 7;
    QCOMPARE(variantsOf(PolsessDataset(f.root(), "train", options), 2),
             QStringLiteral("R SR SER SR SR C SE E")); // and whatever the seed

    // Candidates keep the allowed list's order: indoor [R, SR, ER, SER], outdoor [S, SE, E].
    // python3: [random.Random(i).choice(['R','SR','ER','SER']) for i in range(6)] is
    // SER SR R SR SR ER; [random.Random(i).choice(['S','SE','E']) for i in (6, 7)] is E SE.
    options.allowedVariants
        = {Variant::R, Variant::SR, Variant::S, Variant::SE, Variant::ER, Variant::E, Variant::SER};
    QCOMPARE(variantsOf(PolsessDataset(f.root(), "train", options), 1),
             QStringLiteral("SER SR R SR SR ER E SE"));
}

void tst_PolsessDataset::trainingVariantsDependOnSeedEpochIndex()
{
    const PolsessFixture f = corpus("training", 200, [](int i) { return i % 3 != 0; });
    PolsessOptions options; // PerEpoch, seed 42
    const PolsessDataset a(f.root(), "train", options);
    const PolsessDataset b(f.root(), "train", options);
    QCOMPARE(variantsOf(a, 1), variantsOf(b, 1));
    QCOMPARE(variantsOf(a, 5), variantsOf(b, 5));

    int changed = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const Variant v1 = a.variantFor(i, 1);
        QVERIFY(variantApplies(v1, a.rows()[i].indoor()));
        changed += a.variantFor(i, 2) != v1 ? 1 : 0;
    }
    // Independent draws differ with probability 4/5 (indoor) or 3/4 (outdoor): about 157 of
    // 200; a choice that ignored the epoch would give 0.
    QVERIFY2(changed > 120, qPrintable(QString::number(changed)));

    options.seed = 43;
    QVERIFY(variantsOf(PolsessDataset(f.root(), "train", options), 1) != variantsOf(a, 1));
}

void tst_PolsessDataset::seededSubset()
{
    const PolsessFixture f = corpus("subset", 10, [](int) { return true; });
    PolsessOptions options;
    options.maxSamples = 4; // SubsetRule::Random
    // Frozen from the subset generator (tst_deterministic_random covers its algorithm).
    QCOMPARE(stems(PolsessDataset(f.root(), "train", options)), QStringLiteral("r02 r03 r08 r09"));
    QCOMPARE(stems(PolsessDataset(f.root(), "train", options)), QStringLiteral("r02 r03 r08 r09"));
    options.seed = 7;
    QCOMPARE(stems(PolsessDataset(f.root(), "train", options)), QStringLiteral("r01 r03 r05 r07"));
    options.maxSamples = 10;
    QCOMPARE(PolsessDataset(f.root(), "train", options).size(), std::size_t(10));
    options.maxSamples = 50;
    QCOMPARE(PolsessDataset(f.root(), "train", options).size(), std::size_t(10));
}

void tst_PolsessDataset::headSubset()
{
    const PolsessFixture f = corpus("head", 6, [](int i) { return i % 2 == 0; });
    PolsessOptions options;
    options.maxSamples = 3;
    options.subset = SubsetRule::Head;
    QCOMPARE(stems(PolsessDataset(f.root(), "train", options)), QStringLiteral("r00 r01 r02"));
    // The head of the rows left by the variant filter.
    options.allowedVariants = {Variant::SE};
    options.maxSamples = 2;
    QCOMPARE(stems(PolsessDataset(f.root(), "train", options)), QStringLiteral("r01 r03"));
}

void tst_PolsessDataset::curriculumChangeRefilters()
{
    // Indoor r00 r02 r04 r06 r08, outdoor r01 r03 r05 r07 r09.
    const PolsessFixture f = corpus("curriculum", 10, [](int i) { return i % 2 == 0; });
    PolsessOptions options;
    options.allowedVariants = {Variant::SER};
    options.maxSamples = 2;
    options.subset = SubsetRule::Head;
    PolsessDataset head(f.root(), "train", options);
    QCOMPARE(stems(head), QStringLiteral("r00 r02"));
    head.setAllowedVariants({Variant::SE});
    QCOMPARE(stems(head), QStringLiteral("r01 r03"));
    head.setAllowedVariants({Variant::C, Variant::R});
    QCOMPARE(stems(head), QStringLiteral("r00 r01"));

    // A random subset is drawn again from the re-filtered rows: 2 of the 5 indoor rows are
    // positions 0 and 3 (frozen), i.e. r00 and r06.
    options.subset = SubsetRule::Random;
    options.allowedVariants = {};
    PolsessDataset random(f.root(), "train", options);
    random.setAllowedVariants({Variant::SER});
    QCOMPARE(stems(random), QStringLiteral("r00 r06"));
    QCOMPARE(variantsOf(random, 1), QStringLiteral("SER SER"));

    // A change that leaves no row fails and keeps the previous selection.
    const PolsessFixture indoorOnly = corpus("curriculum_indoor", 3, [](int) { return true; });
    PolsessDataset dataset(indoorOnly.root(), "train", {});
    QVERIFY(errorOf([&] { dataset.setAllowedVariants({Variant::SE}); }).contains("no rows left"));
    QCOMPARE(stems(dataset), QStringLiteral("r00 r01 r02"));
    QVERIFY(variantApplies(dataset.variantFor(0, 1), true));
}

void tst_PolsessDataset::manifestHash()
{
    // FNV-1a 64 of the CSV bytes followed by the subset rule, computed in Python:
    //   csv = header + "r00.wav,a.wav,b.wav,s.wav,e.wav,r1.wav,r2.wav,re.wav\n"
    //         + "r01.wav,a.wav,b.wav,s.wav,e.wav,,,\n" + (r02 like r00)
    //   tail = "\nsplit=train\nsubset=random\nmax_samples=2\nseed=42\nvariants=\n"
    const PolsessFixture f = corpus("hash", 3, [](int i) { return i % 2 == 0; });
    PolsessOptions options;
    options.maxSamples = 2;
    const std::string base = PolsessDataset(f.root(), "train", options).manifestHash();
    QCOMPARE(QString::fromStdString(base), QStringLiteral("4b929e1ad50e2d1d"));
    QCOMPARE(PolsessDataset(f.root(), "train", options).manifestHash(), base);

    const auto hashWith = [&](const std::function<void(PolsessOptions &)> &change) {
        PolsessOptions changed = options;
        change(changed);
        return PolsessDataset(f.root(), "train", changed).manifestHash();
    };
    QVERIFY(hashWith([](PolsessOptions &o) { o.subset = SubsetRule::Head; }) != base);
    QVERIFY(hashWith([](PolsessOptions &o) { o.seed = 43; }) != base);
    QVERIFY(hashWith([](PolsessOptions &o) { o.maxSamples = 1; }) != base);
    QVERIFY(hashWith([](PolsessOptions &o) { o.allowedVariants = {Variant::C}; }) != base);
    // Neither the task nor the variant choice changes which rows are in the set.
    QCOMPARE(hashWith([](PolsessOptions &o) { o.task = Task::ES; }), base);

    PolsessDataset changing(f.root(), "train", options);
    changing.setAllowedVariants({Variant::SER});
    QVERIFY(changing.manifestHash() != base);
    changing.setAllowedVariants({});
    QCOMPARE(changing.manifestHash(), base);

    // Any change to the CSV changes it.
    PolsessFixture edited = f;
    edited.addLine("train", "r00.wav,a.wav,b.wav,s.wav,e.wav,,,");
    edited.writeCsv("train");
    QVERIFY(PolsessDataset(f.root(), "train", options).manifestHash() != base);
}

void tst_PolsessDataset::describe()
{
    const PolsessFixture f = corpus("describe", 10, [](int i) { return i < 6; });
    PolsessOptions options;
    options.maxSamples = 4;
    QCOMPARE(PolsessDataset(f.root(), "train", options).describe(),
             std::string("PolSESS train (SB, 4 of 10 rows, random subset seed 42, variants all)"));
    options.subset = SubsetRule::Head;
    options.task = Task::EB;
    options.allowedVariants = {Variant::SER};
    QCOMPARE(PolsessDataset(f.root(), "train", options).describe(),
             std::string("PolSESS train (EB, 4 of 6 rows, first rows, variants SER)"));
    options.maxSamples = -1;
    options.task = Task::ES;
    options.allowedVariants = {Variant::SER, Variant::SE};
    QCOMPARE(PolsessDataset(f.root(), "train", options).describe(),
             std::string("PolSESS train (ES, 10 rows, variants SER, SE)"));
}

void tst_PolsessDataset::brokenRowThrowsNamingLine()
{
    PolsessFixture f = fixture("broken");
    f.addRow("train", "a", true);
    f.addRow("train", "b", true);
    f.addRow("train", "c", true);
    f.writeCsv("train");
    const std::string scene = f.file("train", "scene", "b.wav");
    QVERIFY(QFile::remove(QString::fromStdString(scene)));
    const std::string mix = f.file("train", "mix", "c.wav");
    QVERIFY(QFile::remove(QString::fromStdString(mix)));

    PolsessOptions options;
    options.allowedVariants = {Variant::ER}; // removes the scene
    for (auto cache : {std::shared_ptr<AudioCache>(), std::make_shared<AudioCache>(1 << 20)}) {
        const PolsessDataset dataset(f.root(), "train", options, cache);
        QCOMPARE(dataset.get(0, 1).mix.size(), std::size_t(64));
        QCOMPARE(errorOf([&] { dataset.get(1, 1); }),
                 QString::fromStdString(f.csvPath("train") + " line 3: " + scene
                                        + ": file does not exist."));
        QCOMPARE(errorOf([&] { dataset.get(2, 1); }),
                 QString::fromStdString(f.csvPath("train") + " line 4: " + mix
                                        + ": file does not exist."));
    }
    // SER keeps the scene, so the original never opens that file either.
    options.allowedVariants = {Variant::SER};
    QVERIFY(allNear(PolsessDataset(f.root(), "train", options).get(1, 1).mix, 1.0, 64));
}

void tst_PolsessDataset::layerMismatchThrows()
{
    PolsessFixture f = fixture("mismatch");
    f.addRow("train", "a", true, {}, 48);
    f.addRow("train", "b", true, {}, 48);
    f.writeCsv("train");
    const std::string event = f.file("train", "event", "a.wav");
    PolsessFixture::writeConstant(event, 0.05f, 48, 16000);
    const std::string scene = f.file("train", "scene", "b.wav");
    PolsessFixture::writeConstant(scene, 0.1f, 40, 8000);

    PolsessOptions options;
    options.allowedVariants = {Variant::R}; // removes scene, event and its reverb
    const PolsessDataset dataset(f.root(), "train", options);
    QCOMPARE(errorOf([&] { dataset.get(0, 1); }),
             QString::fromStdString(f.csvPath("train") + " line 2: " + event
                                    + " is sampled at 16000 Hz but the mixture "
                                    + f.file("train", "mix", "a.wav") + " at 8000 Hz."));
    QCOMPARE(errorOf([&] { dataset.get(1, 1); }),
             QString::fromStdString(f.csvPath("train") + " line 3: " + scene
                                    + " has 40 samples but the mixture "
                                    + f.file("train", "mix", "b.wav") + " has 48."));
}

void tst_PolsessDataset::constructionErrors()
{
    const PolsessFixture missing = fixture("nothing");
    QCOMPARE(errorOf([&] { PolsessDataset(missing.root(), "val", {}); }),
             QString::fromStdString(missing.csvPath("val")
                                    + ": the PolSESS manifest of split 'val' does not exist "
                                      "(expected corpus_<root folder name>_val_final.csv in "
                                    + missing.splitDir("val") + ")."));

    const PolsessFixture f = corpus("errors", 3, [](int) { return true; });
    PolsessOptions options;
    options.maxSamples = 0;
    QCOMPARE(errorOf([&] { PolsessDataset(f.root(), "train", options); }),
             QString::fromStdString(f.csvPath("train")
                                    + ": no rows left for PolSESS train (3 rows, all rows, "
                                      "max_samples 0)."));
    options.maxSamples = -1;
    options.allowedVariants = {Variant::S};
    QCOMPARE(errorOf([&] { PolsessDataset(f.root(), "train", options); }),
             QString::fromStdString(f.csvPath("train")
                                    + ": no rows left for PolSESS train (3 rows, outdoor rows "
                                      "only, max_samples -1)."));

    const PolsessDataset dataset(f.root(), "train", {});
    QCOMPARE(errorOf([&] { dataset.get(3, 1); }),
             QStringLiteral("PolSESS train: index 3 is out of range (3 rows)."));

    PolsessFixture bad = fixture("badrow");
    bad.addRow("train", "a", false);
    bad.addLine("train", "b.wav,b_s1.wav,b_s2.wav,,b.wav,,,");
    bad.writeCsv("train");
    const std::string badCsv = bad.csvPath("train");
    QCOMPARE(errorOf([&] { PolsessDataset(bad.root(), "train", {}); }),
             QString::fromStdString(badCsv + " line 3: column 'sceneFile' is empty."));

    // The first mixture fixes the rate, so it must be readable at construction.
    PolsessFixture noMix = fixture("nomix");
    noMix.addLine("train", "gone.wav,a.wav,b.wav,s.wav,e.wav,,,");
    noMix.writeCsv("train");
    QCOMPARE(errorOf([&] { PolsessDataset(noMix.root(), "train", {}); }),
             QString::fromStdString(noMix.csvPath("train")
                                    + " line 2: " + noMix.file("train", "mix", "gone.wav")
                                    + ": file does not exist."));
}

QTEST_GUILESS_MAIN(tst_PolsessDataset)
#include "tst_polsess_dataset.moc"
