// The Audition panel against a tiny checkpoint and the tiny corpus: the separation runs on the
// worker thread, the paired scores shown are evaluate's, and the transport, loop, A/B and
// export work through the panel with the null output.

#include "audio/io/audio_file.h"
#include "audio/playback/transport.h"
#include "core/models/separator.h"
#include "core/train/checkpoint.h"
#include "support/sample_store.h"
#include "support/tiny_corpus.h"
#include "support/tiny_models.h"
#include "ui/audition/audition_panel.h"
#include "ui/audition/track_row.h"
#include "ui/audition/track_view.h"

#include <QCheckBox>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

#include <torch/torch.h>

using namespace seplab;

namespace {

std::string saveTinyCheckpoint(const std::string &path, int seed)
{
    torch::manual_seed(seed);
    models::SeparatorPtr model = models::createModel("dprnn", test::tinyDprnnParams());
    train::CheckpointMeta meta;
    meta.modelType = "dprnn";
    meta.modelParams = model->params();
    train::saveCheckpoint(path, *model, meta);
    return path;
}

bool waitForSeparation(QSignalSpy &spy)
{
    return spy.wait(120000) && spy.takeFirst().at(0).toBool();
}

} // namespace

class tst_AuditionPanel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void shownScoresMatchEvaluate();
    void compareAddsASecondTrialAtTheSamePlayhead();
    void compareNeedsTheSameMixture();
    void listenLoopAndAbDriveTheTransport();
    void exportWritesEveryTrack();
    void trialsWithCheckpointsComeFromTheStore();
    void errorsAreShown();
    void grabsAtItsSize();

private:
    QString path(const char *name) const { return m_dir.filePath(name); }
    void separateClip(ui::AuditionPanel &panel, const QString &checkpoint, int index = 0);

    QTemporaryDir m_dir;
    QString m_corpus, m_first, m_second;
};

void tst_AuditionPanel::initTestCase()
{
    QVERIFY(m_dir.isValid());
    qputenv("SEPLAB_AUDIO_OUTPUT", "null");
    m_corpus = path("corpus");
    test::makeTinyCorpus(m_corpus.toStdString(), 4, 4);
    m_first = QString::fromStdString(saveTinyCheckpoint(path("first.pt").toStdString(), 3));
    m_second = QString::fromStdString(saveTinyCheckpoint(path("second.pt").toStdString(), 4));
}

void tst_AuditionPanel::separateClip(ui::AuditionPanel &panel, const QString &checkpoint, int index)
{
    panel.setCheckpointFile(checkpoint);
    panel.setCorpusClip(m_corpus, "test", "SER", index);
    QSignalSpy finished(&panel, &ui::AuditionPanel::separationFinished);
    QVERIFY(panel.separate());
    QVERIFY(panel.isBusy()); // the separation is on the worker; the UI thread is free
    QVERIFY2(waitForSeparation(finished), qPrintable(panel.statusText()));
}

void tst_AuditionPanel::shownScoresMatchEvaluate()
{
    ui::AuditionPanel panel;
    separateClip(panel, m_first);
    // Mixture, two references, two estimates.
    QCOMPARE(panel.trackCount(), 5);
    QCOMPARE(panel.trackRow(0)->name(), QString("Mixture"));
    QCOMPARE(panel.trackRow(2)->name(), QString("Reference 2"));
    QCOMPARE(panel.trackRow(3)->name(), QString("first.pt · estimate 1"));

    QProcess cli;
    cli.start(qEnvironmentVariable("SEPLAB_CLI"),
              {"evaluate",
               "--checkpoint",
               m_first,
               "--data",
               m_corpus,
               "--variants",
               "SER",
               "--max-samples",
               "1"});
    QVERIFY(cli.waitForFinished(120000));
    QCOMPARE(cli.exitCode(), 0);
    const QJsonObject json = QJsonDocument::fromJson(cli.readAllStandardOutput()).object();
    const QJsonObject variant = json["variants"].toArray().at(0).toObject();
    QCOMPARE(variant["num_samples"].toInt(), 1);
    const QTableWidget *scores = panel.scoreTable();
    QCOMPARE(scores->rowCount(), 1);
    QCOMPARE(scores->item(0, 0)->text(), QString("first.pt"));
    QCOMPARE(scores->item(0, 1)->text(), QString::number(variant["si_sdr"].toDouble(), 'f', 2));
    QCOMPARE(scores->item(0, 2)->text(), QString::number(variant["si_sdri"].toDouble(), 'f', 2));
    // The per-source scores average to the clip's score.
    const double s1 = scores->item(0, 3)->text().toDouble();
    const double s2 = scores->item(0, 4)->text().toDouble();
    QVERIFY(std::abs((s1 + s2) / 2 - variant["si_sdr"].toDouble()) < 0.011);
    QVERIFY(panel.trackRow(3)->scores().startsWith("SI-SDR " + scores->item(0, 3)->text()));
}

void tst_AuditionPanel::compareAddsASecondTrialAtTheSamePlayhead()
{
    ui::AuditionPanel panel;
    separateClip(panel, m_first);
    panel.transport().seek(1234);
    QTRY_COMPARE(panel.transport().position(), std::int64_t(1234));
    panel.setCheckpointFile(m_second);
    QSignalSpy finished(&panel, &ui::AuditionPanel::separationFinished);
    QVERIFY(panel.compare());
    QVERIFY2(waitForSeparation(finished), qPrintable(panel.statusText()));
    QCOMPARE(panel.trackCount(), 7);
    QCOMPARE(panel.trackRow(5)->name(), QString("second.pt · estimate 1"));
    QCOMPARE(panel.scoreTable()->rowCount(), 2);
    QCOMPARE(panel.transport().trackCount(), 7);
    QTRY_COMPARE(panel.transport().position(), std::int64_t(1234));
    // The natural A/B pair with references: estimate 1 of the first trial and reference 1.
    QCOMPARE(panel.transport().abPair(), std::make_pair(3, 1));
}

void tst_AuditionPanel::compareNeedsTheSameMixture()
{
    ui::AuditionPanel panel;
    QVERIFY(!panel.compare());
    separateClip(panel, m_first, 0);
    panel.setCorpusClip(m_corpus, "test", "SER", 1);
    QVERIFY(!panel.compare());
    QVERIFY(panel.statusText().contains("separate this mixture first"));
}

void tst_AuditionPanel::listenLoopAndAbDriveTheTransport()
{
    ui::AuditionPanel panel;
    separateClip(panel, m_first);
    audio::Transport &transport = panel.transport();

    Q_EMIT panel.trackRow(4)->listenRequested();
    QVERIFY(transport.isSoloed(4));
    for (int i = 0; i < 5; ++i) {
        QCOMPARE(transport.isAudible(i), i == 4);
        QCOMPARE(panel.trackRow(i)->isSoloed(), i == 4);
    }
    Q_EMIT panel.trackRow(1)->muteToggled(true);
    QVERIFY(transport.isMuted(1));

    // A drag across a track sets the loop everywhere and turns Loop on.
    Q_EMIT panel.trackRow(0)->view()->loopSelected(800, 2400);
    QCOMPARE(transport.loop()->first, std::int64_t(800));
    QCOMPARE(transport.loop()->second, std::int64_t(2400));
    QVERIFY(panel.findChild<QCheckBox *>("auditionLoop")->isChecked());

    // A/B: estimate 1 (track 3) and reference 1 (track 1), alternately soloed alone.
    transport.switchAb();
    QVERIFY(transport.isAudible(3) && !transport.isAudible(1));
    transport.switchAb();
    QVERIFY(transport.isAudible(1) && !transport.isAudible(3));

    // The clocked null output moves the playhead inside the loop while playing.
    transport.play();
    QTRY_VERIFY(transport.position() > 800);
    // The 30 Hz timer carries the playhead to every view.
    QTRY_VERIFY(panel.trackRow(2)->view()->playhead() > 800);
    QVERIFY(transport.position() >= 800 && transport.position() < 2400);
    transport.stop();
    QTRY_COMPARE(transport.state(), audio::TransportState::Stopped);
}

void tst_AuditionPanel::exportWritesEveryTrack()
{
    ui::AuditionPanel panel;
    QVERIFY(!panel.exportWavs(path("nothing")));
    separateClip(panel, m_first);
    const QString out = path("export");
    QVERIFY2(panel.exportWavs(out), qPrintable(panel.statusText()));
    QStringList files = QDir(out).entryList({"*.wav"}, QDir::Files, QDir::Name);
    QCOMPARE(files,
             QStringList({"first_pt_estimate_1.wav",
                          "first_pt_estimate_2.wav",
                          "mixture.wav",
                          "reference_1.wav",
                          "reference_2.wav"}));
    const audio::Audio mixture = audio::readAudio(QDir(out).filePath("mixture.wav").toStdString());
    QCOMPARE(mixture.sampleRate, 8000);
    QCOMPARE(mixture.samples.size(), std::size_t(8000));
    QVERIFY(panel.statusText().startsWith("Wrote 5 WAV files"));
}

void tst_AuditionPanel::trialsWithCheckpointsComeFromTheStore()
{
    const QString storePath = path("sample.db");
    {
        testsupport::SampleStore sample = testsupport::makeSampleStore(storePath.toStdString());
        // t0 has best.pt in an absolute run folder; t3 only last.pt in a folder relative to the
        // store; the others have no checkpoint and are not listed.
        store::TrialRecord t0 = *sample.writer.trial(sample.trials[0]);
        t0.runDir = path("abs/t0").toStdString();
        sample.writer.updateTrial(t0);
        store::TrialRecord t3 = *sample.writer.trial(sample.trials[3]);
        t3.runDir = "runs/s2/t3";
        sample.writer.updateTrial(t3);
    }
    QVERIFY(QDir().mkpath(path("abs/t0/checkpoints")));
    QVERIFY(QDir().mkpath(path("runs/s2/t3/checkpoints")));
    QVERIFY(QFile::copy(m_first, path("abs/t0/checkpoints/best.pt")));
    QVERIFY(QFile::copy(m_first, path("runs/s2/t3/checkpoints/last.pt")));

    ui::AuditionPanel panel;
    panel.setStorePath(storePath);
    const QStringList labels = panel.trialLabels();
    QCOMPARE(labels.size(), 2);
    QCOMPARE(labels[0], QString("s1/t0  (4.00)"));
    QCOMPARE(labels[1], QString("s2/t3  (6.00)"));
    QCOMPARE(panel.selectBestTrial(), QString("t3")); // 6.00 beats 4.00
    QCOMPARE(panel.checkpointPath(), path("runs/s2/t3/checkpoints/best.pt"));
    QVERIFY(panel.selectTrial("t3", false));
    QCOMPARE(panel.checkpointPath(), path("runs/s2/t3/checkpoints/last.pt"));
    QVERIFY(panel.selectTrial("t0"));
    QCOMPARE(panel.checkpointPath(), path("abs/t0/checkpoints/best.pt"));
    QVERIFY(!panel.selectTrial("t1"));
}

void tst_AuditionPanel::errorsAreShown()
{
    ui::AuditionPanel panel;
    QVERIFY(!panel.separate());
    QVERIFY(panel.statusText().contains("Choose a trial"));
    panel.setCheckpointFile(path("missing.pt"));
    panel.setCorpusClip(m_corpus, "test", "SER", 0);
    QSignalSpy finished(&panel, &ui::AuditionPanel::separationFinished);
    QVERIFY(panel.separate());
    QVERIFY(finished.wait(60000));
    QCOMPARE(finished.takeFirst().at(0).toBool(), false);
    QVERIFY2(panel.statusText().contains("missing.pt"), qPrintable(panel.statusText()));
    QCOMPARE(panel.trackCount(), 0);
    QVERIFY(!panel.setAudioFile(path("nope.wav")));
}

void tst_AuditionPanel::grabsAtItsSize()
{
    ui::AuditionPanel panel;
    separateClip(panel, m_first);
    panel.resize(900, 700);
    const QImage image = panel.grab().toImage();
    QCOMPARE(image.size(), QSize(900, 700));
    // The spectrogram of the mixture is drawn: 129 bins by 126 frames (1 s, hop 64, centred).
    const QImage &spectrogram = panel.trackRow(0)->view()->spectrogramImage();
    QCOMPARE(spectrogram.size(), QSize(126, 129));
}

QTEST_MAIN(tst_AuditionPanel)
#include "tst_audition_panel.moc"
