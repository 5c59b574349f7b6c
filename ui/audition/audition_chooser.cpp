#include "ui/audition/audition_chooser.h"

#include "core/store/experiment_store.h"
#include "ui/audition/audio_info_panel.h"

#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QStyle>
#include <QTabBar>
#include <QTabWidget>
#include <QToolButton>
#include <QVBoxLayout>

#include <exception>
#include <map>
#include <yaml-cpp/yaml.h>

namespace seplab::ui {

namespace {

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

AuditionChooser::AuditionChooser(QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(buildModelBox());
    layout->addWidget(buildSourceTabs());
    // The tracks get the height; the chooser only what its fields need.
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Maximum);
}

QWidget *AuditionChooser::buildModelBox()
{
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
    return model;
}

QWidget *AuditionChooser::buildSourceTabs()
{
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
    m_sourceTabs->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Maximum);
    connect(m_sourceTabs, &QTabWidget::currentChanged, m_sourceTabs, &QWidget::updateGeometry);

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
    return m_sourceTabs;
}

void AuditionChooser::setStorePath(const QString &storePath)
{
    m_storePath = storePath;
    refreshTrials();
}

void AuditionChooser::refreshTrials()
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
            Q_EMIT storeError(QString::fromStdString(error.what()));
        }
    }
    for (int i = 0; i < m_trial->count(); ++i)
        if (!keep.isEmpty() && m_trial->itemData(i).toStringList().value(1) == keep)
            m_trial->setCurrentIndex(i);
    m_checkpointLabel->setText(checkpointPath());
}

QStringList AuditionChooser::trialLabels() const
{
    QStringList labels;
    for (int i = 0; i < m_trial->count(); ++i)
        labels << m_trial->itemText(i);
    return labels;
}

bool AuditionChooser::selectTrial(const QString &trialName, bool bestCheckpoint)
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

QString AuditionChooser::selectBestTrial()
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

void AuditionChooser::setCheckpointFile(const QString &path)
{
    m_otherCheckpoint = path;
    refreshTrials();
    m_trial->setCurrentIndex(0);
    m_checkpointLabel->setText(checkpointPath());
}

QString AuditionChooser::checkpointPath() const
{
    const QStringList data = m_trial->currentData().toStringList();
    if (data.value(2) == "file")
        return data.value(0);
    if (data.isEmpty())
        return {};
    return data.value(0) + (m_checkpointKind->currentIndex() == 0 ? "/best.pt" : "/last.pt");
}

QString AuditionChooser::trialLabel() const
{
    const QStringList data = m_trial->currentData().toStringList();
    if (data.value(2) == "file")
        return QFileInfo(data.value(0)).fileName();
    return data.value(1) + (m_checkpointKind->currentIndex() == 0 ? " best" : " last");
}

void AuditionChooser::setCorpusClip(const QString &root,
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

bool AuditionChooser::setAudioFile(const QString &path)
{
    m_audioFile->setText(path);
    m_sourceTabs->setCurrentIndex(1);
    return m_fileInfo->showFile(path);
}

separation::AuditionSource AuditionChooser::source() const
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

bool AuditionChooser::audioFileChosen() const
{
    return m_sourceTabs->currentIndex() == 1;
}

} // namespace seplab::ui
