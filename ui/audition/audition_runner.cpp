#include "ui/audition/audition_runner.h"

#include <exception>

namespace seplab::ui {

namespace {

// About 32 ms windows at any rate (256 points at 8 kHz), a quarter-window hop.
int fftSizeFor(int sampleRate)
{
    int size = 64;
    while (size < sampleRate / 32)
        size *= 2;
    return size;
}

void addSpectrogram(AuditionOutcome &outcome, const std::vector<float> &samples, int rate)
{
    const int fft = fftSizeFor(rate);
    if (std::int64_t(samples.size()) <= fft / 2) {
        outcome.spectrograms.emplace_back(); // too short to show; the view draws nothing
        return;
    }
    outcome.spectrograms.push_back(separation::computeSpectrogram(samples, rate, fft, fft / 4));
}

} // namespace

AuditionRunner::AuditionRunner(QObject *parent)
    : QObject(parent)
{
    m_context = new QObject;
    m_context->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_context, &QObject::deleteLater);
    m_thread.setObjectName("audition-worker");
    m_thread.start();
}

AuditionRunner::~AuditionRunner()
{
    // A running separation finishes first; its result is then dropped with this object.
    m_thread.quit();
    m_thread.wait();
}

bool AuditionRunner::submit(AuditionJob job)
{
    if (m_busy)
        return false;
    m_busy = true;
    QMetaObject::invokeMethod(m_context, [this, job = std::move(job)] {
        auto outcome = std::make_shared<const AuditionOutcome>(execute(job));
        QMetaObject::invokeMethod(
            this,
            [this, outcome] {
                m_busy = false;
                Q_EMIT finished(outcome);
            },
            Qt::QueuedConnection);
    });
    return true;
}

AuditionOutcome AuditionRunner::execute(const AuditionJob &job)
{
    AuditionOutcome outcome;
    outcome.job = job;
    try {
        separation::AuditionResult &result = outcome.result;
        result = separation::separateForAudition(job.request);
        if (!result.hasReferences() && !job.anchor.empty()
            && job.anchor.size() == result.estimates.size()) {
            const std::vector<int> order = separation::alignToAnchor(job.anchor, result.estimates);
            std::vector<std::vector<float>> estimates;
            std::vector<int> outputs;
            for (int from : order) {
                estimates.push_back(result.estimates[std::size_t(from)]);
                outputs.push_back(result.modelOutput[std::size_t(from)]);
            }
            result.estimates = std::move(estimates);
            result.modelOutput = std::move(outputs);
        }
        addSpectrogram(outcome, result.mixture, result.sampleRate);
        for (const std::vector<float> &reference : result.references)
            addSpectrogram(outcome, reference, result.sampleRate);
        for (const std::vector<float> &estimate : result.estimates)
            addSpectrogram(outcome, estimate, result.sampleRate);
    } catch (const std::exception &error) {
        outcome.error = QString::fromStdString(error.what());
    }
    return outcome;
}

} // namespace seplab::ui
