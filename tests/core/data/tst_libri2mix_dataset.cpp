// Libri2MixDataset: sorted mixtures matched to s1/s2 by name, truncation to the shortest, the
// split-folder helper, the subset and the errors for a missing speaker file.

#include "audio/io/audio_file.h"
#include "core/data/libri2mix_dataset.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <functional>
#include <stdexcept>

using namespace seplab;
using namespace seplab::data;

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

void writeConstant(const std::string &path, float value, int length, int rate = 8000)
{
    QDir().mkpath(QFileInfo(QString::fromStdString(path)).absolutePath());
    audio::writeWav(path, std::vector<float>(std::size_t(length), value), 1, rate);
}

QString joined(const std::vector<std::string> &names)
{
    QStringList parts;
    for (const std::string &name : names)
        parts << QString::fromStdString(name);
    return parts.join(QLatin1Char(' '));
}

} // namespace

class tst_Libri2MixDataset : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void sortedAndTruncated();
    void noisyMixtureFolder();
    void splitDirHelper();
    void subsets();
    void missingSpeakerFile();
    void missingFolder();

private:
    // <root>/wav8k/min/test with mixtures c, a, b (written out of order) and their speakers.
    std::string makeSplit(const QString &name, const char *mixFolder = "mix_clean") const;

    QTemporaryDir m_dir;
};

void tst_Libri2MixDataset::initTestCase()
{
    QVERIFY(m_dir.isValid());
}

std::string tst_Libri2MixDataset::makeSplit(const QString &name, const char *mixFolder) const
{
    const std::string split = libri2mixSplitDir(m_dir.filePath(name).toStdString());
    // a: mixture 100 samples, s1 90, s2 95 -> all cut to 90. b: s2 shortest (70). c: equal.
    const struct
    {
        const char *file;
        int mix, s1, s2;
    } items[] = {{"c.wav", 60, 60, 60}, {"a.wav", 100, 90, 95}, {"b.wav", 80, 75, 70}};
    for (const auto &item : items) {
        writeConstant(split + "/" + mixFolder + "/" + item.file, 0.3f, item.mix);
        writeConstant(split + "/s1/" + item.file, 0.1f, item.s1);
        writeConstant(split + "/s2/" + item.file, 0.2f, item.s2);
    }
    QFile notes(QString::fromStdString(split + "/" + mixFolder + "/README.txt"));
    notes.open(QIODevice::WriteOnly);
    notes.write("not audio\n");
    return split;
}

void tst_Libri2MixDataset::sortedAndTruncated()
{
    const std::string split = makeSplit(QStringLiteral("clean"));
    const Libri2MixDataset dataset(split);
    QCOMPARE(joined(dataset.files()), QStringLiteral("a.wav b.wav c.wav"));
    QCOMPARE(dataset.size(), std::size_t(3));
    QCOMPARE(dataset.sources(), 2);
    QCOMPARE(dataset.sampleRate(), 8000);

    const std::size_t expectedLengths[] = {90, 70, 60};
    for (std::size_t i = 0; i < 3; ++i) {
        const Example example = dataset.get(i, 1);
        QCOMPARE(example.mix.size(), expectedLengths[i]);
        QCOMPARE(int(example.targets.size()), 2);
        QCOMPARE(example.targets[0].size(), expectedLengths[i]);
        QCOMPARE(example.targets[1].size(), expectedLengths[i]);
        QCOMPARE(example.mix.front(), 0.3f);
        QCOMPARE(example.targets[0].back(), 0.1f);
        QCOMPARE(example.targets[1].back(), 0.2f);
        QCOMPARE(example.variant, std::string());
    }
    QCOMPARE(dataset.get(1, 1).id, std::string("b.wav"));
    QCOMPARE(dataset.describe(), std::string("Libri2Mix-Clean test (SB, 3 mixtures)"));
    QCOMPARE(dataset.manifestHash().size(), std::size_t(16));
    QCOMPARE(Libri2MixDataset(split).manifestHash(), dataset.manifestHash());
}

void tst_Libri2MixDataset::noisyMixtureFolder()
{
    const std::string split = makeSplit(QStringLiteral("noisy"), "mix_both");
    Libri2MixOptions options;
    options.mixture = Libri2MixMixture::Both;
    const Libri2MixDataset dataset(split, options);
    QCOMPARE(joined(dataset.files()), QStringLiteral("a.wav b.wav c.wav"));
    QCOMPARE(dataset.describe(), std::string("Libri2Mix-Noisy test (SB, 3 mixtures)"));
    // The clean mixture folder is not there.
    QCOMPARE(errorOf([&] { Libri2MixDataset{split}; }),
             QString::fromStdString(split + "/mix_clean: no such folder; a Libri2Mix split folder ("
                                    + split
                                    + ") holds mix_clean/ or mix_both/, s1/ and s2/, e.g. "
                                      "<root>/wav8k/min/test."));
}

void tst_Libri2MixDataset::splitDirHelper()
{
    QCOMPARE(libri2mixSplitDir("/data/Libri2Mix"), std::string("/data/Libri2Mix/wav8k/min/test"));
    QCOMPARE(libri2mixSplitDir("/data/Libri2Mix", 16, "max", "dev"),
             std::string("/data/Libri2Mix/wav16k/max/dev"));
    QCOMPARE(errorOf([] { libri2mixSplitDir("/d", 44); }),
             QStringLiteral("Libri2Mix comes at 8 or 16 kHz, not 44 kHz."));
    QCOMPARE(errorOf([] { libri2mixSplitDir("/d", 8, "mid"); }),
             QStringLiteral("Libri2Mix mode must be 'min' or 'max', not 'mid'."));
    QCOMPARE(libri2mixMixtureFolder(Libri2MixMixture::Clean), std::string("mix_clean"));
    QCOMPARE(libri2mixMixtureFolder(Libri2MixMixture::Both), std::string("mix_both"));
}

void tst_Libri2MixDataset::subsets()
{
    const std::string split = libri2mixSplitDir(m_dir.filePath("subset").toStdString());
    for (const char *name : {"m0.wav", "m1.wav", "m2.wav", "m3.wav", "m4.wav"}) {
        writeConstant(split + "/mix_clean/" + name, 0.3f, 16);
        writeConstant(split + "/s1/" + name, 0.1f, 16);
        writeConstant(split + "/s2/" + name, 0.2f, 16);
    }
    Libri2MixOptions options;
    options.maxSamples = 2;
    // Positions 0 and 3 of 5: frozen from the same generator as PolSESS's subset.
    const Libri2MixDataset random(split, options);
    QCOMPARE(joined(random.files()), QStringLiteral("m0.wav m3.wav"));
    QCOMPARE(random.describe(),
             std::string("Libri2Mix-Clean test (SB, 2 of 5 mixtures, random subset seed 42)"));
    options.subset = SubsetRule::Head;
    const Libri2MixDataset head(split, options);
    QCOMPARE(joined(head.files()), QStringLiteral("m0.wav m1.wav"));
    QVERIFY(head.manifestHash() != random.manifestHash());
    options.subset = SubsetRule::Random;
    options.seed = 5;
    QVERIFY(Libri2MixDataset(split, options).manifestHash() != random.manifestHash());
}

void tst_Libri2MixDataset::missingSpeakerFile()
{
    const std::string split = makeSplit(QStringLiteral("missing"));
    QVERIFY(QFile::remove(QString::fromStdString(split + "/s2/b.wav")));
    QCOMPARE(errorOf([&] { Libri2MixDataset{split}; }),
             QString::fromStdString(split + "/s2/b.wav does not exist, but the mixture " + split
                                    + "/mix_clean/b.wav needs it."));
}

void tst_Libri2MixDataset::missingFolder()
{
    const std::string split = makeSplit(QStringLiteral("nos1"));
    QVERIFY(QDir(QString::fromStdString(split + "/s1")).removeRecursively());
    QVERIFY(errorOf([&] {
                Libri2MixDataset{split};
            }).startsWith(QString::fromStdString(split + "/s1: no such folder")));
}

QTEST_GUILESS_MAIN(tst_Libri2MixDataset)
#include "tst_libri2mix_dataset.moc"
