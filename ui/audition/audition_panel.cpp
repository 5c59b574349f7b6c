#include "ui/audition/audition_panel.h"

#include "audio/io/audio_file.h"
#include "audio/playback/transport.h"
#include "ui/audition/audition_chooser.h"
#include "ui/audition/audition_runner.h"
#include "ui/audition/audition_tracks.h"
#include "ui/audition/transport_bar.h"

#include <QDir>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QRegularExpression>
#include <QTimer>
#include <QVBoxLayout>

#include <exception>

namespace seplab::ui {

namespace {

QString decibels(double value)
{
    return QString::number(value, 'f', 2);
}

bool sameSource(const separation::AuditionSource &a, const separation::AuditionSource &b)
{
    return a.audioFile == b.audioFile && a.corpusRoot == b.corpusRoot && a.split == b.split
           && a.variant == b.variant && a.index == b.index;
}

} // namespace

AuditionPanel::AuditionPanel(QWidget *parent)
    : QWidget(parent)
    , m_transport(std::make_unique<audio::Transport>(audio::openDefaultAudioOutput()))
    , m_runner(new AuditionRunner(this))
{
    buildLayout();
    connect(m_runner, &AuditionRunner::finished, this, &AuditionPanel::onFinished);
    m_playheadTimer = new QTimer(this);
    m_playheadTimer->setInterval(33); // ~30 Hz: smooth enough for a playhead, cheap to draw
    connect(m_playheadTimer, &QTimer::timeout, this, &AuditionPanel::updatePlayhead);
    m_playheadTimer->start();
}

AuditionPanel::~AuditionPanel() = default;

void AuditionPanel::buildLayout()
{
    auto *layout = new QVBoxLayout(this);

    m_chooser = new AuditionChooser(this);
    layout->addWidget(m_chooser);

    auto *actions = new QHBoxLayout;
    m_separate = new QPushButton(tr("Separate"), this);
    m_separate->setToolTip(tr("Separate the mixture with this checkpoint (replaces the tracks)"));
    m_compare = new QPushButton(tr("Compare"), this);
    m_compare->setToolTip(tr("Add this checkpoint's estimates of the same mixture"));
    m_export = new QPushButton(tr("Export WAVs…"), this);
    actions->addWidget(m_separate);
    actions->addWidget(m_compare);
    actions->addWidget(m_export);
    actions->addStretch();
    layout->addLayout(actions);
    m_status = new QLabel(this);
    m_status->setObjectName("auditionStatus");
    m_status->setWordWrap(true);
    layout->addWidget(m_status);

    m_transportBar = new TransportBar(*m_transport, this);
    m_transportBar->installShortcuts(this);
    layout->addWidget(m_transportBar);

    m_tracksView = new AuditionTracks(*m_transport, this);
    m_tracksView->installShortcuts(this);
    layout->addWidget(m_tracksView, 1);

    connect(m_chooser, &AuditionChooser::storeError, this, [this](const QString &message) {
        setStatus(message, true);
    });
    connect(m_transportBar,
            &TransportBar::audibilityChanged,
            m_tracksView,
            &AuditionTracks::showAudibility);
    connect(m_transportBar, &TransportBar::loopChanged, m_tracksView, &AuditionTracks::showLoop);
    connect(m_tracksView, &AuditionTracks::loopSelected, this, [this] {
        m_transportBar->setLoopChecked(true);
    });
    connect(m_separate, &QPushButton::clicked, this, &AuditionPanel::separate);
    connect(m_compare, &QPushButton::clicked, this, &AuditionPanel::compare);
    connect(m_export, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Export separated WAVs to"));
        if (!dir.isEmpty())
            exportWavs(dir);
    });
    m_compare->setEnabled(false);
    m_export->setEnabled(false);
}

void AuditionPanel::setStorePath(const QString &storePath)
{
    m_chooser->setStorePath(storePath);
}

void AuditionPanel::refreshTrials()
{
    m_chooser->refreshTrials();
}

QStringList AuditionPanel::trialLabels() const
{
    return m_chooser->trialLabels();
}

bool AuditionPanel::selectTrial(const QString &trialName, bool bestCheckpoint)
{
    return m_chooser->selectTrial(trialName, bestCheckpoint);
}

QString AuditionPanel::selectBestTrial()
{
    return m_chooser->selectBestTrial();
}

void AuditionPanel::setCheckpointFile(const QString &path)
{
    m_chooser->setCheckpointFile(path);
}

QString AuditionPanel::checkpointPath() const
{
    return m_chooser->checkpointPath();
}

void AuditionPanel::setCorpusClip(const QString &root,
                                  const QString &split,
                                  const QString &variant,
                                  int index)
{
    m_chooser->setCorpusClip(root, split, variant, index);
}

bool AuditionPanel::setAudioFile(const QString &path)
{
    return m_chooser->setAudioFile(path);
}

AudioInfoPanel *AuditionPanel::audioInfoPanel() const
{
    return m_chooser->audioInfoPanel();
}

int AuditionPanel::trackCount() const
{
    return m_tracksView->rowCount();
}

TrackRow *AuditionPanel::trackRow(int index) const
{
    return m_tracksView->row(index);
}

QTableWidget *AuditionPanel::scoreTable() const
{
    return m_tracksView->scoreTable();
}

bool AuditionPanel::isBusy() const
{
    return m_runner->isBusy();
}

bool AuditionPanel::separate()
{
    return startJob(false);
}

bool AuditionPanel::compare()
{
    return startJob(true);
}

bool AuditionPanel::startJob(bool compare)
{
    if (m_runner->isBusy()) {
        setStatus(tr("A separation is running; wait for it to finish."), true);
        return false;
    }
    AuditionJob job;
    job.request.checkpoint = m_chooser->checkpointPath().toStdString();
    job.request.source = m_chooser->source();
    job.trialLabel = m_chooser->trialLabel();
    job.compare = compare;
    if (job.request.checkpoint.empty()) {
        setStatus(tr("Choose a trial with a checkpoint, or a checkpoint file, first."), true);
        return false;
    }
    if (job.request.source.audioFile.empty() && job.request.source.corpusRoot.empty()) {
        setStatus(m_chooser->audioFileChosen() ? tr("Choose an audio file to separate.")
                                               : tr("Choose the corpus folder of the clip."),
                  true);
        return false;
    }
    if (compare) {
        if (!m_shownSource || !sameSource(*m_shownSource, job.request.source)) {
            setStatus(tr("Compare adds estimates of the mixture on screen: separate this mixture "
                         "first."),
                      true);
            return false;
        }
        const int needed = m_transport->trackCount() + int(m_anchor.size());
        if (needed > audio::kMaxPlaybackTracks) {
            setStatus(tr("%1 tracks would play together, but at most %2 can: separate again to "
                         "start over.")
                          .arg(needed)
                          .arg(audio::kMaxPlaybackTracks),
                      true);
            return false;
        }
        job.anchor = m_anchor;
    }
    m_runner->submit(std::move(job));
    m_separate->setEnabled(false);
    m_compare->setEnabled(false);
    setStatus(tr("Separating with %1…").arg(m_chooser->trialLabel()));
    return true;
}

void AuditionPanel::onFinished(const std::shared_ptr<const AuditionOutcome> &outcome)
{
    m_separate->setEnabled(true);
    m_compare->setEnabled(m_shownSource != nullptr);
    if (!outcome->error.isEmpty()) {
        setStatus(outcome->error, true);
        Q_EMIT separationFinished(false);
        return;
    }
    const separation::AuditionResult &result = outcome->result;
    const QString trial = outcome->job.trialLabel;
    std::size_t spectrogram = 0;
    if (!outcome->job.compare) {
        m_tracks.clear();
        m_tracksView->clearScores();
        m_rate = result.sampleRate;
        m_hasReferences = result.hasReferences();
        m_shownSource = std::make_unique<separation::AuditionSource>(outcome->job.request.source);
        m_anchor = result.estimates;
        m_tracks.push_back({tr("Mixture"),
                            QString::fromStdString(result.label),
                            result.mixture,
                            outcome->spectrograms.at(spectrogram)});
        for (std::size_t j = 0; j < result.references.size(); ++j)
            m_tracks.push_back({tr("Reference %1").arg(j + 1),
                                QString(),
                                result.references[j],
                                outcome->spectrograms.at(1 + j)});
    }
    spectrogram = 1 + result.references.size();
    for (std::size_t j = 0; j < result.estimates.size(); ++j) {
        QString scores = tr("model output %1").arg(result.modelOutput[j] + 1);
        if (result.hasReferences())
            scores = tr("SI-SDR %1 · SI-SDRi %2 dB")
                         .arg(decibels(result.siSdr[j]), decibels(result.siSdri[j]));
        m_tracks.push_back({tr("%1 · estimate %2").arg(trial).arg(j + 1),
                            scores,
                            result.estimates[j],
                            outcome->spectrograms.at(spectrogram + j)});
    }
    m_tracksView->addScoreRow(*outcome);
    rebuildTracks();
    m_export->setEnabled(true);
    setStatus(tr("%1: separated %2 in %3 s%4")
                  .arg(trial, QString::fromStdString(result.label))
                  .arg(result.separationSeconds, 0, 'f', 2)
                  .arg(result.hasReferences()
                           ? tr(", SI-SDR %1 dB, SI-SDRi %2 dB")
                                 .arg(decibels(result.meanSiSdr), decibels(result.meanSiSdri))
                           : QString()));
    Q_EMIT separationFinished(true);
}

void AuditionPanel::rebuildTracks()
{
    const std::int64_t keepPosition = m_transport->position();
    std::vector<audio::PlaybackTrack> playback;
    std::int64_t frames = 0;
    for (const AuditionTrack &track : m_tracks) {
        playback.push_back({track.name.toStdString(), track.samples});
        frames = std::max<std::int64_t>(frames, std::int64_t(track.samples.size()));
    }
    try {
        m_transport->setTracks(std::move(playback), m_rate);
    } catch (const std::exception &error) {
        setStatus(QString::fromStdString(error.what()), true);
    }
    // A compared trial joins at the same playhead, so A/B against it starts where one was.
    m_transport->seek(keepPosition);
    m_tracksView->setTracks(m_tracks, frames);
    m_transportBar->setLoopChecked(false);
    syncAbChoices();
    m_tracksView->showAudibility();
}

void AuditionPanel::syncAbChoices()
{
    QStringList names;
    for (const AuditionTrack &track : m_tracks)
        names << track.name;
    // The natural first comparison: the first estimate against its reference, or, without
    // references, the first estimates of the first two separations (else estimates 1 and 2).
    const int references = m_hasReferences ? int(m_anchor.size()) : 0;
    const int firstEstimate = 1 + references;
    int a = firstEstimate, b = m_hasReferences ? 1 : firstEstimate + 1;
    if (!m_hasReferences && int(m_tracks.size()) > firstEstimate + int(m_anchor.size()))
        b = firstEstimate + int(m_anchor.size());
    a = std::min(a, int(m_tracks.size()) - 1);
    b = std::min(b, int(m_tracks.size()) - 1);
    m_transportBar->setAbChoices(names, a, b);
}

void AuditionPanel::updatePlayhead()
{
    if (m_transport->trackCount() == 0) {
        m_transportBar->clearPosition();
        return;
    }
    const std::int64_t position = m_transport->audiblePosition();
    m_tracksView->showPlayhead(position);
    m_transportBar->showPosition(position, m_rate);
}

bool AuditionPanel::exportWavs(const QString &folder)
{
    if (m_tracks.empty()) {
        setStatus(tr("Nothing to export: separate a mixture first."), true);
        return false;
    }
    if (!QDir().mkpath(folder)) {
        setStatus(tr("%1: cannot create the folder.").arg(folder), true);
        return false;
    }
    try {
        for (const AuditionTrack &track : m_tracks) {
            // "t003 best · estimate 1" -> "t003_best_estimate_1.wav"
            QString name = track.name.toLower();
            name.replace(QRegularExpression("[^a-z0-9]+"), "_");
            name.remove(QRegularExpression("^_+|_+$"));
            audio::writeWav(QDir(folder).filePath(name + ".wav").toStdString(),
                            track.samples,
                            1,
                            m_rate);
        }
    } catch (const std::exception &error) {
        setStatus(QString::fromStdString(error.what()), true);
        return false;
    }
    setStatus(tr("Wrote %1 WAV files to %2.").arg(m_tracks.size()).arg(folder));
    return true;
}

QString AuditionPanel::statusText() const
{
    return m_status->text();
}

void AuditionPanel::setStatus(const QString &text, bool error)
{
    m_status->setText(text);
    m_status->setStyleSheet(error ? "color: #b00020;" : QString());
    Q_EMIT statusMessage(text);
}

} // namespace seplab::ui
