#pragma once

// Audition's chooser: the model (a store trial's best or last checkpoint, or any checkpoint
// file) and the mixture (a clip of a corpus split as evaluate sees it, or any audio file, with
// its level readout).

#include "core/separation/audition.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QTabWidget;

namespace seplab::ui {

class AudioInfoPanel;

class AuditionChooser : public QWidget
{
    Q_OBJECT

public:
    explicit AuditionChooser(QWidget *parent = nullptr);

    // The workspace store: its trials with a checkpoint fill the trial list.
    void setStorePath(const QString &storePath);
    void refreshTrials();
    QStringList trialLabels() const;
    // Selects a listed trial by its name ("t003"); false when it has no checkpoint listed.
    bool selectTrial(const QString &trialName, bool bestCheckpoint = true);
    // Selects the listed trial with the highest best value and its best.pt; returns its name,
    // empty when no listed trial has a value.
    QString selectBestTrial();
    // Any checkpoint file, outside the store.
    void setCheckpointFile(const QString &path);
    QString checkpointPath() const;
    // "t003 best", or the checkpoint file's name.
    QString trialLabel() const;

    void setCorpusClip(const QString &root, const QString &split, const QString &variant, int index);
    // False, with the reason in the audio info panel, when the file cannot be read.
    bool setAudioFile(const QString &path);
    separation::AuditionSource source() const;
    // The audio-file page is the chosen source (else the corpus clip).
    bool audioFileChosen() const;
    AudioInfoPanel *audioInfoPanel() const { return m_fileInfo; }

Q_SIGNALS:
    // The store could not be read; one sentence.
    void storeError(const QString &message);

private:
    QWidget *buildModelBox();
    QWidget *buildSourceTabs();

    QString m_storePath;
    QString m_otherCheckpoint;
    QComboBox *m_trial = nullptr;
    QComboBox *m_checkpointKind = nullptr;
    QLabel *m_checkpointLabel = nullptr;
    QTabWidget *m_sourceTabs = nullptr;
    QLineEdit *m_corpusRoot = nullptr;
    QComboBox *m_split = nullptr;
    QComboBox *m_variant = nullptr;
    QSpinBox *m_index = nullptr;
    QLineEdit *m_audioFile = nullptr;
    AudioInfoPanel *m_fileInfo = nullptr;
};

} // namespace seplab::ui
