#include "bench_runner.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

namespace seplab::ui {

BenchRunner::BenchRunner(QObject *parent)
    : QObject(parent)
{}

BenchRunner::~BenchRunner()
{
    stop();
}

bool BenchRunner::isRunning() const
{
    return m_process && m_process->state() != QProcess::NotRunning;
}

void BenchRunner::stop()
{
    if (!m_process)
        return;
    m_process->disconnect(this);
    if (m_process->state() != QProcess::NotRunning) {
        m_process->kill();
        m_process->waitForFinished(2000);
    }
    m_process->deleteLater();
    m_process = nullptr;
}

std::optional<double> BenchRunner::samplesPerSecond(const QByteArray &output)
{
    std::optional<double> found;
    for (const QByteArray &line : output.split('\n')) {
        const QJsonDocument document = QJsonDocument::fromJson(line.trimmed());
        if (!document.isObject())
            continue;
        const QJsonObject object = document.object();
        const double rate = object.value("samples_per_s").toDouble();
        if (object.value("benchmark").toString() == "train" && rate > 0.0)
            found = rate;
    }
    return found;
}

void BenchRunner::start(const QString &program, const QStringList &arguments)
{
    stop();
    m_process = new QProcess(this);
    QProcess *process = m_process;
    connect(process,
            &QProcess::finished,
            this,
            [this, process](int exitCode, QProcess::ExitStatus status) {
                const QByteArray output = process->readAllStandardOutput();
                const QString errors = QString::fromUtf8(process->readAllStandardError()).trimmed();
                m_process = nullptr;
                process->deleteLater();
                const std::optional<double> rate = samplesPerSecond(output);
                if (status == QProcess::NormalExit && exitCode == 0 && rate) {
                    Q_EMIT finished(*rate);
                    return;
                }
                const QString last = errors.section('\n', -1);
                Q_EMIT failed(
                    last.isEmpty()
                        ? tr("the benchmark printed no samples_per_s (exit %1).").arg(exitCode)
                        : last);
            });
    connect(process, &QProcess::errorOccurred, this, [this, process](QProcess::ProcessError error) {
        if (error != QProcess::FailedToStart)
            return;
        m_process = nullptr;
        process->deleteLater();
        Q_EMIT failed(tr("could not start %1: %2").arg(process->program(), process->errorString()));
    });
    process->start(program, arguments);
}

} // namespace seplab::ui
