#pragma once

// Runs separations off the UI thread: no LibTorch call ever happens on it. One worker thread,
// one job at a time; the outcome (estimates, scores and every track's spectrogram, all computed
// on the worker) comes back to the UI thread through the `finished` signal.

#include "core/separation/audition.h"
#include "core/separation/spectrogram.h"

#include <QObject>
#include <QString>
#include <QThread>

#include <memory>
#include <vector>

namespace seplab::ui {

struct AuditionJob
{
    separation::AuditionRequest request;
    QString trialLabel;   // "stage1/t003 best" or the checkpoint's file name
    bool compare = false; // add to the mixture on screen instead of replacing it
    // Without references, a compared separation's speakers follow these estimates (the first
    // separation of the mixture), so estimate 1 is the same voice for every trial.
    std::vector<std::vector<float>> anchor;
};

struct AuditionOutcome
{
    AuditionJob job;
    separation::AuditionResult result;
    // One per track, in the order mixture, references..., estimates...
    std::vector<separation::Spectrogram> spectrograms;
    QString error; // one sentence; empty on success
};

class AuditionRunner : public QObject
{
    Q_OBJECT

public:
    explicit AuditionRunner(QObject *parent = nullptr);
    ~AuditionRunner() override;

    // False (and nothing queued) while a job runs.
    bool submit(AuditionJob job);
    bool isBusy() const { return m_busy; }

    // Runs a job on the calling thread; what the worker thread does.
    static AuditionOutcome execute(const AuditionJob &job);

Q_SIGNALS:
    void finished(std::shared_ptr<const seplab::ui::AuditionOutcome> outcome);

private:
    QThread m_thread;
    QObject *m_context = nullptr; // lives in m_thread; jobs run in its event loop
    bool m_busy = false;
};

} // namespace seplab::ui
