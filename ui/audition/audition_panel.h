#pragma once

// Audition: pick a trial and a checkpoint (best or last, or any checkpoint file), then a corpus
// clip or any audio file; separate it on a worker thread; see waveforms and spectrograms of the
// mixture, the references and each estimate (estimates paired to references by PIT, with
// SI-SDR and SI-SDRi per source); listen with one shared playhead, a loop region, mute, solo
// and instant A/B switching, also between two trials' estimates of the same mixture; export
// the separated WAVs. The panel runs the jobs and holds the tracks; the chooser
// (audition_chooser.h), the transport bar (transport_bar.h) and the tracks with their scores
// (audition_tracks.h) are its parts.

#include "core/separation/audition.h"

#include <QWidget>

#include <memory>
#include <vector>

class QLabel;
class QPushButton;
class QTableWidget;
class QTimer;

namespace seplab::audio {
class Transport;
}

namespace seplab::ui {

class AudioInfoPanel;
class AuditionChooser;
class AuditionRunner;
class AuditionTracks;
struct AuditionOutcome;
struct AuditionTrack;
class TrackRow;
class TransportBar;

class AuditionPanel : public QWidget
{
    Q_OBJECT

public:
    // Plays through openDefaultAudioOutput() (the null output without a device).
    explicit AuditionPanel(QWidget *parent = nullptr);
    ~AuditionPanel() override;

    // The workspace store: its trials with a checkpoint fill the trial list.
    void setStorePath(const QString &storePath);
    void refreshTrials();
    QStringList trialLabels() const;
    // Selects a listed trial by its name ("t003"); false when it has no checkpoint listed.
    bool selectTrial(const QString &trialName, bool bestCheckpoint = true);
    // Selects the listed trial with the highest best value (SI-SDR: higher is better) and its
    // best.pt; returns its name, empty when no listed trial has a value.
    QString selectBestTrial();
    // Any checkpoint file, outside the store.
    void setCheckpointFile(const QString &path);
    QString checkpointPath() const;

    // The mixture: clip `index` of a corpus split as evaluate sees it, or an audio file (false,
    // with the reason shown, when it cannot be read).
    void setCorpusClip(const QString &root, const QString &split, const QString &variant, int index);
    bool setAudioFile(const QString &path);

    // Start a separation of the chosen mixture with the chosen checkpoint, replacing what is
    // shown (separate) or adding its estimates beside the current ones (compare, same mixture).
    // False, with the reason in the status line, when a job runs or the choice is incomplete.
    bool separate();
    bool compare();
    bool isBusy() const;

    // Writes every track as float32 WAV at the model's rate into `folder`; false (and why) when
    // there is nothing to export or a file cannot be written.
    bool exportWavs(const QString &folder);

    int trackCount() const;
    TrackRow *trackRow(int index) const;
    // The score table: a row per separation (trial, mean SI-SDR, mean SI-SDRi, then SI-SDR per
    // paired source), as displayed.
    QTableWidget *scoreTable() const;
    QString statusText() const;
    audio::Transport &transport() const { return *m_transport; }
    AudioInfoPanel *audioInfoPanel() const;

Q_SIGNALS:
    void separationFinished(bool ok);
    void statusMessage(const QString &message);

private:
    void buildLayout();
    bool startJob(bool compare);
    void onFinished(const std::shared_ptr<const AuditionOutcome> &outcome);
    void rebuildTracks();
    void updatePlayhead();
    void syncAbChoices();
    void setStatus(const QString &text, bool error = false);

    std::vector<AuditionTrack> m_tracks;
    std::vector<std::vector<float>> m_anchor;
    std::unique_ptr<separation::AuditionSource> m_shownSource;
    int m_rate = 0;
    bool m_hasReferences = false;

    std::unique_ptr<audio::Transport> m_transport;
    AuditionRunner *m_runner = nullptr;

    AuditionChooser *m_chooser = nullptr;
    QPushButton *m_separate = nullptr;
    QPushButton *m_compare = nullptr;
    QPushButton *m_export = nullptr;
    QLabel *m_status = nullptr;
    TransportBar *m_transportBar = nullptr;
    AuditionTracks *m_tracksView = nullptr;
    QTimer *m_playheadTimer = nullptr;
};

} // namespace seplab::ui
