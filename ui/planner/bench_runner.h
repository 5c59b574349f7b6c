#pragma once

// The stage planner's quick benchmark, for a budget when the store has measured no epoch yet:
// `seplab-cli bench train ...` runs as a QProcess in the background (the UI thread never waits
// for it), and its JSON line's samples_per_s is reported.

#include <QObject>
#include <QStringList>

#include <optional>

class QProcess;

namespace seplab::ui {

class BenchRunner : public QObject
{
    Q_OBJECT

public:
    explicit BenchRunner(QObject *parent = nullptr);
    ~BenchRunner() override; // a benchmark still running is killed

    // Starts `program arguments`; a benchmark already running is killed first.
    void start(const QString &program, const QStringList &arguments);
    bool isRunning() const;

    // samples_per_s of the last `"benchmark": "train"` JSON line of `output` when positive.
    static std::optional<double> samplesPerSecond(const QByteArray &output);

Q_SIGNALS:
    void finished(double samplesPerSecond);
    void failed(const QString &problem);

private:
    void stop();

    QProcess *m_process = nullptr;
};

} // namespace seplab::ui
