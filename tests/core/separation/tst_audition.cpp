#include "audio/io/audio_file.h"
#include "core/models/separator.h"
#include "core/separation/audition.h"
#include "core/train/checkpoint.h"
#include "core/train/evaluation.h"
#include "support/reference_si_sdr.h"
#include "support/tiny_corpus.h"
#include "support/tiny_models.h"

#include <QTemporaryDir>
#include <QtTest>

#include <torch/torch.h>

using namespace seplab;

namespace {

std::vector<double> toDouble(const std::vector<float> &x)
{
    return std::vector<double>(x.begin(), x.end());
}

} // namespace

class tst_Audition : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void corpusClipMatchesEvaluate();
    void pairingIsTheBestPermutationAndScoresAreIndependent();
    void audioFileGivesTheSameEstimates();
    void alignsASecondSeparationToTheFirst();
    void badRequestsNameTheProblem();

private:
    std::string path(const char *name) const { return m_dir.filePath(name).toStdString(); }
    separation::AuditionRequest corpusRequest(const char *variant, std::int64_t index) const
    {
        separation::AuditionRequest request;
        request.checkpoint = m_checkpoint;
        request.source.corpusRoot = m_corpus;
        request.source.split = "test";
        request.source.variant = variant;
        request.source.index = index;
        return request;
    }

    QTemporaryDir m_dir;
    std::string m_corpus, m_checkpoint;
};

void tst_Audition::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_corpus = path("corpus");
    test::makeTinyCorpus(m_corpus, 4, 4);
    // An untrained tiny DPRNN: its estimates are poor but deterministic, which is all the
    // pairing and scoring need.
    torch::manual_seed(3);
    models::SeparatorPtr model = models::createModel("dprnn", test::tinyDprnnParams());
    train::CheckpointMeta meta;
    meta.modelType = "dprnn";
    meta.modelParams = model->params();
    m_checkpoint = path("tiny.pt");
    train::saveCheckpoint(m_checkpoint, *model, meta);
}

void tst_Audition::corpusClipMatchesEvaluate()
{
    for (const char *variant : {"SER", "SE"}) {
        const separation::AuditionResult result = separateForAudition(corpusRequest(variant, 0));
        train::EvaluationOptions options;
        options.variants = {*data::parseVariant(variant)};
        options.maxSamples = 1;
        const train::EvaluationResult evaluated = train::evaluateCheckpoint(m_checkpoint,
                                                                            m_corpus,
                                                                            options);
        QCOMPARE(evaluated.variants.front().samples, std::size_t(1));
        QVERIFY2(std::abs(result.meanSiSdr - evaluated.variants.front().siSdr) < 1e-6, variant);
        QVERIFY2(std::abs(result.meanSiSdri - evaluated.variants.front().siSdri) < 1e-6, variant);
        QCOMPARE(result.sampleRate, 8000);
        QCOMPARE(result.modelType, std::string("dprnn"));
        QCOMPARE(result.estimates.size(), std::size_t(2));
        QCOMPARE(result.references.size(), std::size_t(2));
        QCOMPARE(result.mixture.size(), std::size_t(8000)); // 1 s clips
        QVERIFY(result.label.rfind(std::string("test ") + variant + " #0 (", 0) == 0);
    }
}

void tst_Audition::pairingIsTheBestPermutationAndScoresAreIndependent()
{
    const separation::AuditionResult result = separateForAudition(corpusRequest("C", 2));
    QVERIFY(result.hasReferences());
    const std::vector<double> mix = toDouble(result.mixture);
    double total = 0.0, crossed = 0.0, improvement = 0.0;
    for (std::size_t j = 0; j < 2; ++j) {
        const std::vector<double> est = toDouble(result.estimates[j]);
        const std::vector<double> ref = toDouble(result.references[j]);
        const double expected = test::referenceSiSdrZeroMean(est, ref);
        QVERIFY2(std::abs(result.siSdr[j] - expected) < 1e-3, qPrintable(QString::number(j)));
        const double baseline = test::referenceSiSdrPlain(mix, ref);
        QVERIFY(std::abs(result.siSdri[j] - (expected - baseline)) < 1e-3);
        total += expected;
        improvement += expected - baseline;
        crossed += test::referenceSiSdrZeroMean(toDouble(result.estimates[1 - j]), ref);
    }
    // The pairing shown is PIT's: the other assignment never scores higher.
    QVERIFY(total >= crossed - 1e-9);
    QVERIFY(std::abs(result.meanSiSdr - total / 2.0) < 1e-3);
    QVERIFY(std::abs(result.meanSiSdri - improvement / 2.0) < 1e-3);
    // modelOutput is a permutation of {0, 1}.
    QCOMPARE(result.modelOutput[0] + result.modelOutput[1], 1);
}

void tst_Audition::audioFileGivesTheSameEstimates()
{
    const separation::AuditionResult clip = separateForAudition(corpusRequest("C", 1));
    const std::string wav = path("clip.wav");
    audio::writeWav(wav, clip.mixture, 1, 8000);

    separation::AuditionRequest request;
    request.checkpoint = m_checkpoint;
    request.source.audioFile = wav;
    const separation::AuditionResult file = separateForAudition(request);
    QVERIFY(!file.hasReferences());
    QVERIFY(file.siSdr.empty());
    QCOMPARE(file.label, wav);
    QCOMPARE(file.modelOutput, (std::vector<int>{0, 1}));
    // One second is one chunk: the same single pass, in the model's own output order.
    for (std::size_t j = 0; j < 2; ++j) {
        const std::vector<float> &fromFile = file.estimates[std::size_t(clip.modelOutput[j])];
        QCOMPARE(fromFile.size(), clip.estimates[j].size());
        double maxDiff = 0.0;
        for (std::size_t i = 0; i < fromFile.size(); ++i)
            maxDiff = std::max(maxDiff, double(std::abs(fromFile[i] - clip.estimates[j][i])));
        QVERIFY2(maxDiff < 1e-5, qPrintable(QString::number(maxDiff)));
    }
}

void tst_Audition::alignsASecondSeparationToTheFirst()
{
    const separation::AuditionResult clip = separateForAudition(corpusRequest("SER", 0));
    const std::vector<std::vector<float>> swapped = {clip.estimates[1], clip.estimates[0]};
    QCOMPARE(separation::alignToAnchor(clip.estimates, swapped), (std::vector<int>{1, 0}));
    QCOMPARE(separation::alignToAnchor(clip.estimates, clip.estimates), (std::vector<int>{0, 1}));
    QVERIFY_EXCEPTION_THROWN(separation::alignToAnchor(clip.estimates, {clip.estimates[0]}),
                             std::invalid_argument);
}

void tst_Audition::badRequestsNameTheProblem()
{
    const auto message = [](const separation::AuditionRequest &request) {
        try {
            separateForAudition(request);
        } catch (const std::exception &error) {
            return std::string(error.what());
        }
        return std::string();
    };
    separation::AuditionRequest request = corpusRequest("XYZ", 0);
    QVERIFY(message(request).find("unknown variant 'XYZ'") != std::string::npos);
    request = corpusRequest("SER", 99);
    const std::string pastEnd = message(request);
    QVERIFY2(pastEnd.find("so there is no clip 99") != std::string::npos, pastEnd.c_str());
    request = corpusRequest("SER", 0);
    request.checkpoint = path("missing.pt");
    QVERIFY(message(request).find("missing.pt") != std::string::npos);
    request = corpusRequest("SER", 0);
    request.source.audioFile = path("x.wav");
    QVERIFY(message(request).find("not both") != std::string::npos);
}

QTEST_GUILESS_MAIN(tst_Audition)
#include "tst_audition.moc"
