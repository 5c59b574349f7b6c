// make-corpus end to end on tiny corpora: the PolSESS layout and CSV, exact layer sums, levels,
// determinism across runs, and the speaker pool from espeak-ng.

#include "audio/io/audio_file.h"
#include "core/data/corpus/corpus_layout.h"
#include "core/data/corpus/corpus_maker.h"
#include "core/data/corpus/polish_sentences.h"
#include "core/data/corpus/speech_synth.h"
#include "core/data/corpus/subprocess.h"
#include "core/data/polsess_dataset.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QtEndian>

#include <algorithm>
#include <cmath>
#include <set>
#include <stdexcept>

using namespace seplab;
using namespace seplab::data::corpus;

namespace {

constexpr int kRate = 8000;
constexpr double kSeconds = 1.0;
constexpr int kFrames = 8000;
// Four sentences per voice keep the espeak-ng pool to about a second per corpus.
constexpr int kSentences = 4;

const char *const kHeader = "mixFile,speaker1File,speaker2File,sceneFile,eventFile,"
                            "reverbForSpeaker1,reverbForSpeaker2,reverbForEvent";

struct CsvRow
{
    QStringList cells; // the eight columns
    bool indoor() const { return !cells[5].isEmpty(); }
};

struct Manifest
{
    QString header;
    std::vector<CsvRow> rows;
};

Manifest readManifest(const QString &path)
{
    Manifest manifest;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        throw std::runtime_error("cannot open " + path.toStdString());
    const QStringList lines = QString::fromUtf8(file.readAll()).split('\n', Qt::SkipEmptyParts);
    manifest.header = lines.value(0);
    for (int i = 1; i < lines.size(); ++i)
        manifest.rows.push_back({lines[i].split(',')});
    return manifest;
}

// The folder each CSV column names a file in.
const char *const kColumnFolders[8]
    = {"mix", "clean", "clean", "scene", "event", "sp1_reverb", "sp2_reverb", "ev_reverb"};

std::vector<float> readLayer(const QString &splitDir, int column, const QString &name)
{
    return audio::readAudio(
               QDir(splitDir).filePath(QString(kColumnFolders[column]) + "/" + name).toStdString())
        .samples;
}

double meanSquare(const std::vector<float> &x)
{
    double sum = 0.0;
    for (float v : x)
        sum += double(v) * v;
    return sum / double(std::max<size_t>(1, x.size()));
}

double db(double powerRatio)
{
    return 10.0 * std::log10(powerRatio);
}

// Every file under root, relative path -> bytes.
QMap<QString, QByteArray> allFiles(const QString &root)
{
    QMap<QString, QByteArray> files;
    QDirIterator it(root, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        QFile file(path);
        if (file.open(QIODevice::ReadOnly))
            files.insert(QDir(root).relativeFilePath(path), file.readAll());
    }
    return files;
}

// The timestamp field of a WAV's PEAK chunk (libsndfile writes the wall-clock time there), or
// 0 when the file has no PEAK chunk.
quint32 peakTimestamp(const QByteArray &wav)
{
    const auto u32 = [&](int at) { return qFromLittleEndian<quint32>(wav.constData() + at); };
    for (int at = 12; at + 8 <= wav.size();) {
        const QByteArray id = wav.mid(at, 4);
        if (id == "data")
            break;
        if (id == "PEAK")
            return u32(at + 12);
        at += 8 + int(u32(at + 4)) + int(u32(at + 4) & 1);
    }
    return 0;
}

int speakerOf(const QString &cleanName)
{
    static const QRegularExpression pattern("_s[12]_spk(\\d\\d)\\.wav$");
    const QRegularExpressionMatch match = pattern.match(cleanName);
    return match.hasMatch() ? match.captured(1).toInt() : -1;
}

} // namespace

class tst_CorpusMaker : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void sentencesAreEmbedded();
    void espeakIsDeterministicAndSplitsPerSentence();
    void layoutAndCsv();
    void everyFileIsMonoAtTheRateAndLength();
    void layersSumToTheMix();
    void polsessLoaderReadsTheCorpus();
    void levelsFollowTheSampledRanges();
    void sameSeedGivesIdenticalBytes();
    void otherSeedDiffers();
    void largerSplitMixesRoomsAndSpeakers();
    void refusesNonEmptyFolderUnlessOverwrite();
    void rejectsBadSpecs_data();
    void rejectsBadSpecs();

private:
    CorpusSpec tinySpec(const QString &dir, std::uint64_t seed) const;
    QString splitDir(const QString &root, const char *split) const
    {
        return QDir(root).filePath(split);
    }

    QTemporaryDir m_dir;
    QString m_first, m_second, m_otherSeed; // three runs, same basename "corpus"
    CorpusSummary m_summary;
    std::vector<CorpusProgress> m_progress;
};

CorpusSpec tst_CorpusMaker::tinySpec(const QString &dir, std::uint64_t seed) const
{
    CorpusSpec spec;
    spec.outDir = dir.toStdString();
    spec.trainRows = 6;
    spec.valRows = 2;
    spec.testRows = 2;
    spec.seconds = kSeconds;
    spec.sampleRate = kRate;
    spec.seed = seed;
    spec.sentencesPerVoice = kSentences;
    return spec;
}

void tst_CorpusMaker::initTestCase()
{
    if (findOnPath("espeak-ng").empty())
        QSKIP("espeak-ng is not installed (apt-get install espeak-ng)");
    QVERIFY(m_dir.isValid());
    m_first = m_dir.filePath("run1/corpus");
    m_second = m_dir.filePath("run2/corpus");
    m_otherSeed = m_dir.filePath("run3/corpus");
    // The two same-seed runs use different thread counts: scheduling must not change a byte.
    CorpusSpec first = tinySpec(m_first, 7);
    first.threads = 3;
    m_summary = makeCorpus(first, [this](const CorpusProgress &p) { m_progress.push_back(p); });
    CorpusSpec second = tinySpec(m_second, 7);
    second.threads = 1;
    makeCorpus(second);
    makeCorpus(tinySpec(m_otherSeed, 8));
}

void tst_CorpusMaker::sentencesAreEmbedded()
{
    const std::vector<std::string> &sentences = polishSentences();
    QVERIFY2(sentences.size() >= 40, std::to_string(sentences.size()).c_str());
    // The first line of resources/corpus/polish_sentences.txt, diacritics intact (UTF-8).
    QCOMPARE(QString::fromStdString(sentences.front()),
             QString::fromUtf8("Dzień dobry, nazywam się Anna i mieszkam w Krakowie."));
    QCOMPARE(std::set<std::string>(sentences.begin(), sentences.end()).size(), sentences.size());
}

void tst_CorpusMaker::espeakIsDeterministicAndSplitsPerSentence()
{
    const std::string espeak = findOnPath("espeak-ng");
    const Voice &voice = corpusVoices()[3];
    const std::vector<std::string> sentences(polishSentences().begin(),
                                             polishSentences().begin() + 4);
    const std::string work = m_dir.path().toStdString();
    const auto batch = synthesizeVoice(espeak, voice, sentences, kRate, work);
    QCOMPARE(batch, synthesizeVoice(espeak, voice, sentences, kRate, work));
    QCOMPARE(batch.size(), sentences.size());
    // Cutting one run at the SSML breaks gives each sentence as if it had been read alone.
    for (size_t i = 0; i < sentences.size(); ++i) {
        const auto alone = synthesizeVoice(espeak, voice, {sentences[i]}, kRate, work);
        QCOMPARE(alone.size(), size_t(1));
        const double batchSeconds = double(batch[i].size()) / kRate;
        const double aloneSeconds = double(alone[0].size()) / kRate;
        QVERIFY2(batchSeconds > 1.0 && batchSeconds < 8.0, std::to_string(batchSeconds).c_str());
        QVERIFY2(std::fabs(batchSeconds - aloneSeconds) < 0.05 * aloneSeconds,
                 (std::to_string(batchSeconds) + " vs " + std::to_string(aloneSeconds)).c_str());
    }
    QVERIFY(corpusVoices().size() >= 8);
}

void tst_CorpusMaker::layoutAndCsv()
{
    const int expected[3] = {6, 2, 2};
    const char *const splits[3] = {"train", "val", "test"};
    for (int s = 0; s < 3; ++s) {
        const QString dir = splitDir(m_first, splits[s]);
        for (const char *folder : kColumnFolders)
            QVERIFY2(QFileInfo(QDir(dir).filePath(folder)).isDir(), folder);
        const QString name = QString("corpus_corpus_%1_final.csv").arg(splits[s]);
        const QString csv = QDir(dir).filePath(name);
        QVERIFY2(QFileInfo::exists(csv), qPrintable(csv));
        QCOMPARE(QString::fromStdString(corpusCsvPath(m_first.toStdString(), splits[s])), csv);
        const Manifest manifest = readManifest(csv);
        QCOMPARE(manifest.header, QString(kHeader));
        QCOMPARE(int(manifest.rows.size()), expected[s]);
        QCOMPARE(m_summary.splits[size_t(s)].rows, expected[s]);

        QSet<QString> named;
        int indoor = 0;
        for (const CsvRow &row : manifest.rows) {
            QCOMPARE(row.cells.size(), 8);
            for (int c = 0; c < 5; ++c)
                QVERIFY(!row.cells[c].isEmpty() && !row.cells[c].contains('/'));
            // Reverb names are all present (indoor) or all empty (outdoor).
            QCOMPARE(row.cells[6].isEmpty(), !row.indoor());
            QCOMPARE(row.cells[7].isEmpty(), !row.indoor());
            indoor += row.indoor();
            for (int c = 0; c < 8; ++c) {
                if (row.cells[c].isEmpty())
                    continue;
                const QString path = QString(kColumnFolders[c]) + "/" + row.cells[c];
                QVERIFY2(QFileInfo::exists(QDir(dir).filePath(path)), qPrintable(path));
                named.insert(path);
            }
        }
        QCOMPARE(m_summary.splits[size_t(s)].indoor, indoor);
        QCOMPARE(m_summary.splits[size_t(s)].outdoor, expected[s] - indoor);
        // No file that the CSV does not name: reverb files exist exactly for indoor rows.
        QDirIterator it(dir, {"*.wav"}, QDir::Files, QDirIterator::Subdirectories);
        int files = 0;
        while (it.hasNext()) {
            const QString path = QDir(dir).relativeFilePath(it.next());
            QVERIFY2(named.contains(path), qPrintable(path));
            ++files;
        }
        QCOMPARE(files, named.size());
        QCOMPARE(files, 5 * expected[s] + 3 * indoor);
    }
    // Nothing but the splits at the top, and no temporary files left anywhere.
    QCOMPARE(QDir(m_first).entryList(QDir::AllEntries | QDir::NoDotAndDotDot),
             QStringList({"test", "train", "val"}));
    QDirIterator leftovers(m_first,
                           {"*.partial", "*.tmp*", ".*"},
                           QDir::Files | QDir::Hidden,
                           QDirIterator::Subdirectories);
    QVERIFY(!leftovers.hasNext());

    QVERIFY(!m_progress.empty());
    QCOMPARE(m_progress.back().stage, CorpusProgress::Stage::Rows);
    QCOMPARE(m_progress.back().done, 10);
    QCOMPARE(m_progress.back().total, 10);
}

void tst_CorpusMaker::everyFileIsMonoAtTheRateAndLength()
{
    QDirIterator it(m_first, {"*.wav"}, QDir::Files, QDirIterator::Subdirectories);
    int files = 0;
    while (it.hasNext()) {
        const std::string path = it.next().toStdString();
        const audio::AudioInfo info = audio::probeAudio(path);
        QCOMPARE(info.channels, 1);
        QCOMPARE(info.sampleRate, kRate);
        QCOMPARE(info.frames, std::int64_t(kFrames));
        QVERIFY2(QString::fromStdString(info.format).contains("float", Qt::CaseInsensitive),
                 info.format.c_str());
        ++files;
    }
    QVERIFY(files >= 50); // 10 rows x 5 layers, plus the indoor reverbs
    QCOMPARE(m_summary.framesPerFile, std::int64_t(kFrames));
}

void tst_CorpusMaker::layersSumToTheMix()
{
    for (const char *split : {"train", "val", "test"}) {
        const QString dir = splitDir(m_first, split);
        const Manifest manifest = readManifest(
            QString::fromStdString(corpusCsvPath(m_first.toStdString(), split)));
        for (const CsvRow &row : manifest.rows) {
            std::vector<std::vector<float>> layers;
            for (int c = 0; c < 8; ++c) {
                if (!row.cells[c].isEmpty())
                    layers.push_back(readLayer(dir, c, row.cells[c]));
            }
            QCOMPARE(int(layers.size()), row.indoor() ? 8 : 5);
            double worst = 0.0;
            double mixPeak = 0.0;
            for (int i = 0; i < kFrames; ++i) {
                // Indoor y = s1+s2+r1+r2+b+e+re, outdoor y = s1+s2+b+e (spec §3.1), in double.
                double sum = 0.0;
                for (size_t l = 1; l < layers.size(); ++l)
                    sum += layers[l][size_t(i)];
                worst = std::max(worst, std::fabs(double(layers[0][size_t(i)]) - sum));
                mixPeak = std::max(mixPeak, std::fabs(double(layers[0][size_t(i)])));
                for (const auto &layer : layers)
                    QVERIFY(std::fabs(layer[size_t(i)]) < 1.0f);
            }
            QVERIFY2(worst <= 1e-6,
                     (row.cells[0].toStdString() + ": " + std::to_string(worst)).c_str());
            QVERIFY(mixPeak > 0.01); // not silent
        }
    }
}

// The reader of what make-corpus writes, unchanged: its manifest parser accepts every row, and
// the clean variant (everything but the two dry speakers removed, spec §3.1) is exactly s1+s2.
void tst_CorpusMaker::polsessLoaderReadsTheCorpus()
{
    const std::string root = m_first.toStdString();
    QCOMPARE(data::polsessCsvPath(root, "train"), corpusCsvPath(root, "train"));
    const std::vector<data::PolsessRow> rows = data::readPolsessManifest(root, "train");
    QCOMPARE(int(rows.size()), 6);
    QCOMPARE(int(std::count_if(rows.begin(), rows.end(), [](const auto &r) { return r.indoor(); })),
             m_summary.splits[0].indoor);

    data::PolsessOptions options;
    options.task = data::Task::SB;
    options.allowedVariants = {data::Variant::C};
    options.variantChoice = data::VariantChoice::PerIndex;
    const data::PolsessDataset dataset(root, "train", options);
    QCOMPARE(int(dataset.size()), 6);
    QCOMPARE(dataset.sampleRate(), kRate);
    for (std::size_t i = 0; i < dataset.size(); ++i) {
        const data::Example example = dataset.get(i, 1);
        const data::PolsessRow &row = dataset.rows()[i];
        const std::vector<float> s1 = audio::readAudio(row.speaker1).samples;
        const std::vector<float> s2 = audio::readAudio(row.speaker2).samples;
        QCOMPARE(example.mix.size(), size_t(kFrames));
        QCOMPARE(example.targets.size(), size_t(2));
        QCOMPARE(example.targets[0], s1);
        QCOMPARE(example.targets[1], s2);
        double worst = 0.0;
        for (int t = 0; t < kFrames; ++t)
            worst = std::max(worst,
                             std::fabs(double(example.mix[size_t(t)]) - s1[size_t(t)]
                                       - s2[size_t(t)]));
        QVERIFY2(worst <= 1e-6, std::to_string(worst).c_str());
    }
}

void tst_CorpusMaker::levelsFollowTheSampledRanges()
{
    const QString dir = splitDir(m_first, "train");
    const Manifest manifest = readManifest(
        QString::fromStdString(corpusCsvPath(m_first.toStdString(), "train")));
    for (const CsvRow &row : manifest.rows) {
        const double p1 = meanSquare(readLayer(dir, 1, row.cells[1]));
        const double p2 = meanSquare(readLayer(dir, 2, row.cells[2]));
        const double scene = meanSquare(readLayer(dir, 3, row.cells[3]));
        const std::vector<float> event = readLayer(dir, 4, row.cells[4]);
        // Defaults of MixLevels: speaker 2 within ±5 dB of speaker 1; the scene 5..20 dB below
        // the mean speaker power; the peak scaling applies to every layer alike.
        const double tolerance = 0.01;
        QVERIFY2(std::fabs(db(p2 / p1)) <= 5.0 + tolerance, std::to_string(db(p2 / p1)).c_str());
        const double sceneSnr = db(0.5 * (p1 + p2) / scene);
        QVERIFY2(sceneSnr >= 5.0 - tolerance && sceneSnr <= 20.0 + tolerance,
                 std::to_string(sceneSnr).c_str());
        QVERIFY(meanSquare(event) > 0.0);
        // Speaker levels: -29..-23 dBFS, or quieter when the row was scaled down for its peak.
        QVERIFY2(db(p1) <= -23.0 + tolerance, std::to_string(db(p1)).c_str());
        QVERIFY(db(p1) > -45.0);
        QCOMPARE(speakerOf(row.cells[1]) == speakerOf(row.cells[2]), false);
        QVERIFY(speakerOf(row.cells[1]) >= 0 && speakerOf(row.cells[2]) >= 0);
        if (row.indoor()) {
            // Each reverb component is non-zero, and weaker than its dry source in total
            // (direct-to-reverberant ratios are 0..8 dB for speech; the convolution with
            // the clip cut at the end only loses energy).
            const double r1 = meanSquare(readLayer(dir, 5, row.cells[5]));
            const double r2 = meanSquare(readLayer(dir, 6, row.cells[6]));
            const double re = meanSquare(readLayer(dir, 7, row.cells[7]));
            QVERIFY(r1 > 1e-3 * p1 && r2 > 1e-3 * p2 && re > 0.0);
            QVERIFY2(r1 < 2.0 * p1 && r2 < 2.0 * p2, std::to_string(db(r1 / p1)).c_str());
        }
    }
}

void tst_CorpusMaker::sameSeedGivesIdenticalBytes()
{
    const QMap<QString, QByteArray> first = allFiles(m_first);
    const QMap<QString, QByteArray> second = allFiles(m_second);
    QCOMPARE(first.keys(), second.keys());
    QVERIFY(first.size() >= 53); // 50+ WAVs and 3 CSVs
    for (auto it = first.cbegin(); it != first.cend(); ++it) {
        QVERIFY2(it.value() == second.value(it.key()), qPrintable(it.key()));
        // Two quick runs can share a wall-clock second; no header may hold the time at all.
        if (it.key().endsWith(".wav"))
            QCOMPARE(peakTimestamp(it.value()), quint32(0));
    }
}

void tst_CorpusMaker::otherSeedDiffers()
{
    const QMap<QString, QByteArray> first = allFiles(m_first);
    const QMap<QString, QByteArray> other = allFiles(m_otherSeed);
    int differentMixes = 0, mixes = 0;
    for (auto it = first.cbegin(); it != first.cend(); ++it) {
        if (!it.key().contains("/mix/"))
            continue;
        ++mixes;
        differentMixes += other.value(it.key()) != it.value();
    }
    QCOMPARE(mixes, 10);
    QCOMPARE(differentMixes, 10);
}

void tst_CorpusMaker::largerSplitMixesRoomsAndSpeakers()
{
    CorpusSpec spec = tinySpec(m_dir.filePath("large/corpus"), 99);
    spec.trainRows = 40;
    spec.valRows = 0;
    spec.testRows = 0;
    spec.seconds = 0.5;
    const CorpusSummary summary = makeCorpus(spec);
    QCOMPARE(summary.splits.size(), size_t(3));
    const SplitSummary &train = summary.splits[0];
    QCOMPARE(train.rows, 40);
    QVERIFY2(train.indoor >= 12 && train.indoor <= 28, std::to_string(train.indoor).c_str());
    QCOMPARE(train.indoor + train.outdoor, 40);
    QCOMPARE(summary.splits[1].rows, 0);

    const Manifest manifest = readManifest(
        QString::fromStdString(corpusCsvPath(spec.outDir, "train")));
    QCOMPARE(int(manifest.rows.size()), 40);
    int indoor = 0;
    std::set<int> speakers;
    for (const CsvRow &row : manifest.rows) {
        indoor += row.indoor();
        speakers.insert(speakerOf(row.cells[1]));
        speakers.insert(speakerOf(row.cells[2]));
    }
    QCOMPARE(indoor, train.indoor);
    QVERIFY2(speakers.size() >= 8, std::to_string(speakers.size()).c_str());
    QCOMPARE(train.speakers.size(), speakers.size());
    // Empty splits still get their folders and a header-only CSV.
    const Manifest val = readManifest(QString::fromStdString(corpusCsvPath(spec.outDir, "val")));
    QCOMPARE(val.header, QString(kHeader));
    QCOMPARE(int(val.rows.size()), 0);
    QCOMPARE(audio::probeAudio(QDir(QString::fromStdString(spec.outDir))
                                   .filePath("train/mix/" + manifest.rows[0].cells[0])
                                   .toStdString())
                 .frames,
             std::int64_t(4000));
}

void tst_CorpusMaker::refusesNonEmptyFolderUnlessOverwrite()
{
    const QString dir = m_dir.filePath("reuse/corpus");
    QVERIFY(QDir().mkpath(dir + "/train/mix"));
    QFile stale(dir + "/train/mix/stale.wav");
    QVERIFY(stale.open(QIODevice::WriteOnly));
    stale.write("x");
    stale.close();
    QFile notes(dir + "/notes.txt");
    QVERIFY(notes.open(QIODevice::WriteOnly));
    notes.write("mine");
    notes.close();

    CorpusSpec spec = tinySpec(dir, 7);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, makeCorpus(spec));
    QVERIFY(QString::fromStdString(corpusSpecProblem(spec)).contains("not empty"));
    QVERIFY(QFileInfo::exists(dir + "/train/mix/stale.wav"));

    spec.overwrite = true;
    QVERIFY(corpusSpecProblem(spec).empty());
    makeCorpus(spec);
    // The old corpus is replaced, not merged with; the user's other files stay.
    QVERIFY(!QFileInfo::exists(dir + "/train/mix/stale.wav"));
    QVERIFY(QFileInfo::exists(dir + "/notes.txt"));
    QMap<QString, QByteArray> rewritten = allFiles(dir);
    rewritten.remove("notes.txt");
    QCOMPARE(rewritten, allFiles(m_first));
}

void tst_CorpusMaker::rejectsBadSpecs_data()
{
    QTest::addColumn<int>("train");
    QTest::addColumn<double>("seconds");
    QTest::addColumn<int>("rate");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("negative rows") << -1 << 1.0 << 8000 << "train row count";
    QTest::newRow("zero seconds") << 1 << 0.0 << 8000 << "clip length";
    QTest::newRow("NaN seconds") << 1 << std::nan("") << 8000 << "clip length";
    QTest::newRow("low rate") << 1 << 1.0 << 100 << "sample rate";
    QTest::newRow("high rate") << 1 << 1.0 << 1000000 << "sample rate";
}

void tst_CorpusMaker::rejectsBadSpecs()
{
    QFETCH(int, train);
    QFETCH(double, seconds);
    QFETCH(int, rate);
    QFETCH(QString, mentions);
    CorpusSpec spec = tinySpec(m_dir.filePath("never"), 1);
    spec.trainRows = train;
    spec.seconds = seconds;
    spec.sampleRate = rate;
    const QString problem = QString::fromStdString(corpusSpecProblem(spec));
    QVERIFY2(problem.contains(mentions), qPrintable(problem));
    QVERIFY(problem.endsWith('.'));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, makeCorpus(spec));
    QVERIFY(!QFileInfo::exists(m_dir.filePath("never")));
}

QTEST_GUILESS_MAIN(tst_CorpusMaker)
#include "tst_corpus_maker.moc"
