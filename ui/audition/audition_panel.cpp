#include "ui/audition/audition_panel.h"

#include "audio/io/audio_file.h"
#include "audio/playback/transport.h"
#include "core/store/experiment_store.h"
#include "ui/audition/audio_info_panel.h"
#include "ui/audition/audition_runner.h"
#include "ui/audition/track_row.h"
#include "ui/audition/track_view.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollArea>
#include <QShortcut>
#include <QSpinBox>
#include <QStyle>
#include <QTabBar>
#include <QTabWidget>
#include <QTableWidget>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include <exception>
#include <map>
#include <yaml-cpp/yaml.h>

namespace seplab::ui {

struct AuditionPanel::Track
{
    QString name;
    QString scores;
    std::vector<float> samples;
    separation::Spectrogram spectrogram;
};

namespace {

QString decibels(double value)
{
    return QString::number(value, 'f', 2);
}

QString clock(std::int64_t frame, int rate)
{
    if (rate <= 0)
        return QStringLiteral("0:00.000");
    const double seconds = double(frame) / rate;
    const int minutes = int(seconds / 60);
    return QStringLiteral("%1:%2").arg(minutes).arg(seconds - 60 * minutes, 6, 'f', 3, QChar('0'));
}

bool sameSource(const separation::AuditionSource &a, const separation::AuditionSource &b)
{
    return a.audioFile == b.audioFile && a.corpusRoot == b.corpusRoot && a.split == b.split
           && a.variant == b.variant && a.index == b.index;
}

// The folder a trial's run lives in; a relative one is next to the store.
QString runFolder(const store::TrialRecord &trial, const QString &storePath)
{
    QString dir = QString::fromStdString(trial.runDir);
    if (QDir::isRelativePath(dir) && !QFileInfo::exists(dir))
        dir = QFileInfo(storePath).dir().filePath(dir);
    return dir;
}

// A QTabWidget is as tall as its tallest page; this one is as tall as the page shown, so the
// short corpus page does not take the height of the file page's level readout.
class CurrentPageTabWidget : public QTabWidget
{
public:
    using QTabWidget::QTabWidget;
    QSize sizeHint() const override { return fit(QTabWidget::sizeHint()); }
    QSize minimumSizeHint() const override { return fit(QTabWidget::minimumSizeHint()); }

private:
    QSize fit(QSize all) const
    {
        if (!currentWidget())
            return all;
        const int page = currentWidget()->sizeHint().height();
        return {all.width(), tabBar()->sizeHint().height() + page + 2 * frameWidth()};
    }
    int frameWidth() const { return style()->pixelMetric(QStyle::PM_DefaultFrameWidth); }
};

// data.data_root of a run folder's resolved config.yaml; empty when it has none.
QString trainedCorpus(const QString &runFolder)
{
    try {
        const YAML::Node config = YAML::LoadFile((runFolder + "/config.yaml").toStdString());
        if (config["data"] && config["data"]["data_root"])
            return QString::fromStdString(config["data"]["data_root"].as<std::string>());
    } catch (const std::exception &) {
        // No config (an imported checkpoint's folder): the user picks the corpus.
    }
    return {};
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

    auto *model = new QGroupBox(tr("Model"), this);
    auto *modelForm = new QFormLayout(model);
    auto *trialRow = new QHBoxLayout;
    m_trial = new QComboBox(model);
    m_trial->setObjectName("auditionTrial");
    m_trial->setMinimumContentsLength(12);
    m_trial->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_checkpointKind = new QComboBox(model);
    m_checkpointKind->addItems({tr("best.pt"), tr("last.pt")});
    auto *browseCheckpoint = new QToolButton(model);
    browseCheckpoint->setText(tr("File…"));
    browseCheckpoint->setToolTip(tr("Any SepLab checkpoint"));
    trialRow->addWidget(m_trial, 1);
    trialRow->addWidget(m_checkpointKind);
    trialRow->addWidget(browseCheckpoint);
    modelForm->addRow(tr("Trial"), trialRow);
    m_checkpointLabel = new QLabel(model);
    m_checkpointLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_checkpointLabel->setWordWrap(true);
    modelForm->addRow(tr("Checkpoint"), m_checkpointLabel);
    layout->addWidget(model);

    m_sourceTabs = new CurrentPageTabWidget(this);
    auto *corpus = new QWidget(m_sourceTabs);
    auto *corpusForm = new QFormLayout(corpus);
    auto *rootRow = new QHBoxLayout;
    m_corpusRoot = new QLineEdit(corpus);
    m_corpusRoot->setObjectName("auditionCorpusRoot");
    auto *browseRoot = new QToolButton(corpus);
    browseRoot->setText(tr("…"));
    rootRow->addWidget(m_corpusRoot, 1);
    rootRow->addWidget(browseRoot);
    corpusForm->addRow(tr("Corpus"), rootRow);
    auto *clipRow = new QHBoxLayout;
    m_split = new QComboBox(corpus);
    m_split->addItems({"test", "val", "train"});
    m_variant = new QComboBox(corpus);
    m_variant->addItems({"SER", "SR", "ER", "R", "SE", "S", "E", "C"});
    m_variant->setToolTip(tr("MM-IPC variant: which layers stay in the mixture"));
    m_index = new QSpinBox(corpus);
    m_index->setRange(0, 1000000);
    m_index->setPrefix(tr("clip "));
    clipRow->addWidget(m_split);
    clipRow->addWidget(m_variant);
    clipRow->addWidget(m_index, 1);
    corpusForm->addRow(tr("Clip"), clipRow);
    m_sourceTabs->addTab(corpus, tr("Corpus clip"));
    auto *file = new QWidget(m_sourceTabs);
    auto *fileLayout = new QVBoxLayout(file);
    auto *fileRow = new QHBoxLayout;
    m_audioFile = new QLineEdit(file);
    m_audioFile->setObjectName("auditionAudioFile");
    auto *browseFile = new QToolButton(file);
    browseFile->setText(tr("…"));
    fileRow->addWidget(m_audioFile, 1);
    fileRow->addWidget(browseFile);
    fileLayout->addLayout(fileRow);
    m_fileInfo = new AudioInfoPanel(file);
    fileLayout->addWidget(m_fileInfo);
    m_sourceTabs->addTab(file, tr("Audio file"));
    // The tracks get the height; the chooser only what its fields need.
    m_sourceTabs->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Maximum);
    connect(m_sourceTabs, &QTabWidget::currentChanged, m_sourceTabs, &QWidget::updateGeometry);
    layout->addWidget(m_sourceTabs);

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

    layout->addWidget(buildTransportBar());
    layout->addWidget(m_output);

    m_scores = new QTableWidget(0, 3, this);
    m_scores->setObjectName("auditionScores");
    m_scores->setHorizontalHeaderLabels({tr("Trial"), tr("SI-SDR dB"), tr("SI-SDRi dB")});
    m_scores->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_scores->verticalHeader()->hide();
    m_scores->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_scores->setMaximumHeight(96);
    m_scores->setSizeAdjustPolicy(QAbstractScrollArea::AdjustToContents);
    layout->addWidget(m_scores);

    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    auto *tracks = new QWidget(scroll);
    m_trackLayout = new QVBoxLayout(tracks);
    m_trackLayout->setContentsMargins(0, 0, 0, 0);
    m_trackLayout->addStretch();
    scroll->setWidget(tracks);
    layout->addWidget(scroll, 1);

    connect(m_trial, &QComboBox::currentIndexChanged, this, [this] {
        m_checkpointLabel->setText(checkpointPath());
        // A trial knows the corpus it trained on: offer it when none is chosen yet.
        const QStringList data = m_trial->currentData().toStringList();
        if (m_corpusRoot->text().isEmpty() && data.value(2) == "trial")
            m_corpusRoot->setText(trainedCorpus(QFileInfo(data.value(0)).path()));
    });
    connect(m_checkpointKind, &QComboBox::currentIndexChanged, this, [this] {
        m_checkpointLabel->setText(checkpointPath());
    });
    connect(browseCheckpoint, &QToolButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this,
                                                          tr("Checkpoint"),
                                                          QString(),
                                                          tr("Checkpoints (*.pt)"));
        if (!path.isEmpty())
            setCheckpointFile(path);
    });
    connect(browseRoot, &QToolButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("PolSESS corpus root"));
        if (!dir.isEmpty())
            m_corpusRoot->setText(dir);
    });
    connect(browseFile, &QToolButton::clicked, this, [this] {
        const QString path
            = QFileDialog::getOpenFileName(this,
                                           tr("Mixture"),
                                           QString(),
                                           tr("Audio (*.wav *.flac *.ogg);;All files (*)"));
        if (!path.isEmpty())
            setAudioFile(path);
    });
    connect(m_audioFile, &QLineEdit::editingFinished, this, [this] {
        if (!m_audioFile->text().isEmpty() && m_audioFile->text() != m_fileInfo->currentFile())
            setAudioFile(m_audioFile->text());
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

QWidget *AuditionPanel::buildTransportBar()
{
    auto *bar = new QWidget(this);
    auto *outer = new QVBoxLayout(bar);
    outer->setContentsMargins(0, 0, 0, 0);
    auto *layout = new QHBoxLayout;
    outer->addLayout(layout);
    m_play = new QPushButton(tr("Play"), bar);
    m_play->setToolTip(tr("Play / pause (Space)"));
    auto *stop = new QPushButton(tr("Stop"), bar);
    m_loop = new QCheckBox(tr("Loop"), bar);
    m_loop->setObjectName("auditionLoop");
    m_loop->setToolTip(tr("Drag across a track to choose the loop region (L)"));
    m_a = new QComboBox(bar);
    m_b = new QComboBox(bar);
    // Track names are long ("stage3-8k-004 best · estimate 2"); the combos must not set the
    // dock's (and so the window's) minimum width.
    for (QComboBox *choice : {m_a, m_b}) {
        choice->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        choice->setMinimumContentsLength(12);
    }
    auto *ab = new QPushButton(tr("A/B"), bar);
    ab->setToolTip(tr("Switch between tracks A and B at the same playhead (B)"));
    m_position = new QLabel(bar);
    m_position->setObjectName("auditionPosition");
    m_output = new QLabel(QString::fromStdString(m_transport->output().description()), bar);
    m_output->setStyleSheet("color: gray;");
    layout->addWidget(m_play);
    layout->addWidget(stop);
    layout->addWidget(m_loop);
    layout->addSpacing(12);
    layout->addWidget(m_position);
    layout->addStretch();
    // A/B on a line of its own: the track names are long.
    auto *abLine = new QHBoxLayout;
    abLine->addWidget(new QLabel(tr("A"), bar));
    abLine->addWidget(m_a, 1);
    abLine->addWidget(new QLabel(tr("B"), bar));
    abLine->addWidget(m_b, 1);
    abLine->addWidget(ab);
    outer->addLayout(abLine);
    m_output->setToolTip(tr("Where playback goes"));

    const auto togglePlay = [this] {
        if (m_transport->trackCount() == 0)
            return;
        if (m_transport->state() == audio::TransportState::Playing)
            m_transport->pause();
        else
            m_transport->play();
    };
    const auto switchAb = [this] {
        if (m_transport->trackCount() < 2)
            return;
        m_transport->switchAb();
        updateAudibility();
    };
    connect(m_play, &QPushButton::clicked, this, togglePlay);
    connect(stop, &QPushButton::clicked, this, [this] {
        if (m_transport->trackCount() > 0)
            m_transport->stop();
    });
    connect(m_loop, &QCheckBox::toggled, this, [this](bool on) {
        if (m_transport->trackCount() == 0)
            return;
        // Turning the loop on without a region loops the whole clip.
        if (on && !m_transport->loop())
            m_transport->setLoop(0, m_transport->frames());
        else if (!on)
            m_transport->clearLoop();
        for (TrackRow *row : m_rows)
            row->view()->setLoop(m_transport->loop());
    });
    connect(ab, &QPushButton::clicked, this, switchAb);
    const auto pairChanged = [this] {
        if (m_a->currentIndex() >= 0 && m_b->currentIndex() >= 0 && m_transport->trackCount() > 0)
            m_transport->setAbPair(m_a->currentIndex(), m_b->currentIndex());
    };
    connect(m_a, &QComboBox::currentIndexChanged, this, pairChanged);
    connect(m_b, &QComboBox::currentIndexChanged, this, pairChanged);

    auto *space = new QShortcut(QKeySequence(Qt::Key_Space), this);
    space->setContext(Qt::WidgetWithChildrenShortcut);
    connect(space, &QShortcut::activated, this, togglePlay);
    auto *bKey = new QShortcut(QKeySequence(Qt::Key_B), this);
    bKey->setContext(Qt::WidgetWithChildrenShortcut);
    connect(bKey, &QShortcut::activated, this, switchAb);
    auto *lKey = new QShortcut(QKeySequence(Qt::Key_L), this);
    lKey->setContext(Qt::WidgetWithChildrenShortcut);
    connect(lKey, &QShortcut::activated, m_loop, &QCheckBox::toggle);
    return bar;
}

void AuditionPanel::setStorePath(const QString &storePath)
{
    m_storePath = storePath;
    refreshTrials();
}

void AuditionPanel::refreshTrials()
{
    const QString keep = m_trial->currentData().toStringList().value(1);
    m_trial->clear();
    if (!m_otherCheckpoint.isEmpty())
        m_trial->addItem(QFileInfo(m_otherCheckpoint).fileName(),
                         QStringList{m_otherCheckpoint, QString(), QStringLiteral("file")});
    if (!m_storePath.isEmpty()) {
        try {
            const store::ExperimentStore store
                = store::ExperimentStore::open(m_storePath.toStdString(),
                                               store::ExperimentStore::Mode::ReadOnly);
            for (const store::PlanRecord &plan : store.plans()) {
                std::map<std::int64_t, std::string> stageNames;
                for (const store::StageRecord &stage : store.stages(plan.id))
                    stageNames[stage.id] = stage.name;
                for (const store::TrialRecord &trial : store.planTrials(plan.id)) {
                    const QString checkpoints = runFolder(trial, m_storePath) + "/checkpoints";
                    if (!QFileInfo::exists(checkpoints + "/best.pt")
                        && !QFileInfo::exists(checkpoints + "/last.pt"))
                        continue;
                    QString label = QString::fromStdString(stageNames[trial.stageId] + "/"
                                                           + trial.name);
                    if (trial.bestValue)
                        label += QStringLiteral("  (%1)").arg(*trial.bestValue, 0, 'f', 2);
                    m_trial->addItem(label,
                                     QStringList{checkpoints,
                                                 QString::fromStdString(trial.name),
                                                 QStringLiteral("trial"),
                                                 trial.bestValue
                                                     ? QString::number(*trial.bestValue, 'g', 17)
                                                     : QString()});
                }
            }
        } catch (const std::exception &error) {
            setStatus(QString::fromStdString(error.what()), true);
        }
    }
    for (int i = 0; i < m_trial->count(); ++i)
        if (!keep.isEmpty() && m_trial->itemData(i).toStringList().value(1) == keep)
            m_trial->setCurrentIndex(i);
    m_checkpointLabel->setText(checkpointPath());
}

QStringList AuditionPanel::trialLabels() const
{
    QStringList labels;
    for (int i = 0; i < m_trial->count(); ++i)
        labels << m_trial->itemText(i);
    return labels;
}

bool AuditionPanel::selectTrial(const QString &trialName, bool bestCheckpoint)
{
    for (int i = 0; i < m_trial->count(); ++i) {
        if (m_trial->itemData(i).toStringList().value(1) == trialName) {
            m_trial->setCurrentIndex(i);
            m_checkpointKind->setCurrentIndex(bestCheckpoint ? 0 : 1);
            m_checkpointLabel->setText(checkpointPath());
            return true;
        }
    }
    return false;
}

QString AuditionPanel::selectBestTrial()
{
    int best = -1;
    double bestValue = 0.0;
    for (int i = 0; i < m_trial->count(); ++i) {
        bool ok = false;
        const double value = m_trial->itemData(i).toStringList().value(3).toDouble(&ok);
        if (ok && (best < 0 || value > bestValue)) {
            best = i;
            bestValue = value;
        }
    }
    if (best < 0)
        return {};
    m_trial->setCurrentIndex(best);
    m_checkpointKind->setCurrentIndex(0);
    return m_trial->itemData(best).toStringList().value(1);
}

void AuditionPanel::setCheckpointFile(const QString &path)
{
    m_otherCheckpoint = path;
    refreshTrials();
    m_trial->setCurrentIndex(0);
    m_checkpointLabel->setText(checkpointPath());
}

QString AuditionPanel::checkpointPath() const
{
    const QStringList data = m_trial->currentData().toStringList();
    if (data.value(2) == "file")
        return data.value(0);
    if (data.isEmpty())
        return {};
    return data.value(0) + (m_checkpointKind->currentIndex() == 0 ? "/best.pt" : "/last.pt");
}

QString AuditionPanel::chosenTrialLabel() const
{
    const QStringList data = m_trial->currentData().toStringList();
    if (data.value(2) == "file")
        return QFileInfo(data.value(0)).fileName();
    return data.value(1) + (m_checkpointKind->currentIndex() == 0 ? " best" : " last");
}

void AuditionPanel::setCorpusClip(const QString &root,
                                  const QString &split,
                                  const QString &variant,
                                  int index)
{
    m_corpusRoot->setText(root);
    m_split->setCurrentText(split);
    m_variant->setCurrentText(variant);
    m_index->setValue(index);
    m_sourceTabs->setCurrentIndex(0);
}

bool AuditionPanel::setAudioFile(const QString &path)
{
    m_audioFile->setText(path);
    m_sourceTabs->setCurrentIndex(1);
    return m_fileInfo->showFile(path);
}

separation::AuditionSource AuditionPanel::chosenSource() const
{
    separation::AuditionSource source;
    if (m_sourceTabs->currentIndex() == 1) {
        source.audioFile = m_audioFile->text().toStdString();
    } else {
        source.corpusRoot = m_corpusRoot->text().toStdString();
        source.split = m_split->currentText().toStdString();
        source.variant = m_variant->currentText().toStdString();
        source.index = m_index->value();
    }
    return source;
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
    job.request.checkpoint = checkpointPath().toStdString();
    job.request.source = chosenSource();
    job.trialLabel = chosenTrialLabel();
    job.compare = compare;
    if (job.request.checkpoint.empty()) {
        setStatus(tr("Choose a trial with a checkpoint, or a checkpoint file, first."), true);
        return false;
    }
    if (job.request.source.audioFile.empty() && job.request.source.corpusRoot.empty()) {
        setStatus(m_sourceTabs->currentIndex() == 1 ? tr("Choose an audio file to separate.")
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
    setStatus(tr("Separating with %1…").arg(chosenTrialLabel()));
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
        m_scores->setRowCount(0);
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
    addScoreRow(*outcome);
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

void AuditionPanel::addScoreRow(const AuditionOutcome &outcome)
{
    const separation::AuditionResult &result = outcome.result;
    const int sources = int(result.siSdr.size());
    if (m_scores->columnCount() < 3 + sources) {
        m_scores->setColumnCount(3 + sources);
        for (int j = 0; j < sources; ++j)
            m_scores->setHorizontalHeaderItem(3 + j,
                                              new QTableWidgetItem(tr("s%1 SI-SDR").arg(j + 1)));
    }
    const int row = m_scores->rowCount();
    m_scores->insertRow(row);
    m_scores->setItem(row, 0, new QTableWidgetItem(outcome.job.trialLabel));
    const auto cell = [](double value, bool known) {
        return new QTableWidgetItem(known ? decibels(value) : QStringLiteral("–"));
    };
    m_scores->setItem(row, 1, cell(result.meanSiSdr, result.hasReferences()));
    m_scores->setItem(row, 2, cell(result.meanSiSdri, result.hasReferences()));
    for (int j = 0; j < sources; ++j)
        m_scores->setItem(row, 3 + j, cell(result.siSdr[std::size_t(j)], true));
}

void AuditionPanel::rebuildTracks()
{
    for (TrackRow *row : m_rows)
        delete row;
    m_rows.clear();
    const std::int64_t keepPosition = m_transport->position();
    std::vector<audio::PlaybackTrack> playback;
    std::int64_t frames = 0;
    for (const Track &track : m_tracks) {
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
    for (std::size_t i = 0; i < m_tracks.size(); ++i) {
        const Track &track = m_tracks[i];
        auto *row = new TrackRow(track.name, track.scores, this);
        row->view()->setSignal(track.samples, track.spectrogram, frames);
        const int index = int(i);
        connect(row, &TrackRow::listenRequested, this, [this, index] {
            m_transport->listenTo(index);
            updateAudibility();
        });
        connect(row, &TrackRow::muteToggled, this, [this, index](bool muted) {
            m_transport->setMuted(index, muted);
            updateAudibility();
        });
        connect(row, &TrackRow::soloToggled, this, [this, index](bool soloed) {
            m_transport->setSoloed(index, soloed);
            updateAudibility();
        });
        connect(row->view(), &TrackView::seekRequested, this, [this](std::int64_t frame) {
            m_transport->seek(frame);
        });
        connect(row->view(), &TrackView::loopSelected, this, [this](std::int64_t a, std::int64_t b) {
            m_transport->setLoop(a, b);
            m_transport->seek(a);
            m_loop->setChecked(true);
            for (TrackRow *other : m_rows)
                other->view()->setLoop(m_transport->loop());
        });
        m_trackLayout->insertWidget(m_trackLayout->count() - 1, row);
        m_rows.push_back(row);
    }
    m_loop->setChecked(false);
    syncAbChoices();
    updateAudibility();
}

void AuditionPanel::syncAbChoices()
{
    const QSignalBlocker blockA(m_a), blockB(m_b);
    m_a->clear();
    m_b->clear();
    for (const Track &track : m_tracks) {
        m_a->addItem(track.name);
        m_b->addItem(track.name);
    }
    // The natural first comparison: the first estimate against its reference, or, without
    // references, the first estimates of the first two separations (else estimates 1 and 2).
    const int references = m_hasReferences ? int(m_anchor.size()) : 0;
    const int firstEstimate = 1 + references;
    int a = firstEstimate, b = m_hasReferences ? 1 : firstEstimate + 1;
    if (!m_hasReferences && int(m_tracks.size()) > firstEstimate + int(m_anchor.size()))
        b = firstEstimate + int(m_anchor.size());
    a = std::min(a, int(m_tracks.size()) - 1);
    b = std::min(b, int(m_tracks.size()) - 1);
    if (a < 0)
        return;
    m_a->setCurrentIndex(a);
    m_b->setCurrentIndex(b);
    m_transport->setAbPair(a, b);
}

void AuditionPanel::updateAudibility()
{
    for (int i = 0; i < int(m_rows.size()); ++i) {
        m_rows[std::size_t(i)]->setMuted(m_transport->isMuted(i));
        m_rows[std::size_t(i)]->setSoloed(m_transport->isSoloed(i));
        m_rows[std::size_t(i)]->view()->setAudible(m_transport->isAudible(i));
    }
}

void AuditionPanel::updatePlayhead()
{
    if (m_transport->trackCount() == 0) {
        m_position->clear();
        return;
    }
    const std::int64_t position = m_transport->position();
    for (TrackRow *row : m_rows)
        row->view()->setPlayhead(position);
    m_position->setText(clock(position, m_rate) + " / " + clock(m_transport->frames(), m_rate));
    m_play->setText(m_transport->state() == audio::TransportState::Playing ? tr("Pause")
                                                                           : tr("Play"));
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
        for (const Track &track : m_tracks) {
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
