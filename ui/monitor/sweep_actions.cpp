#include "sweep_actions.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QProcess>

#include <csignal>
#include <sys/types.h>

namespace seplab::ui {

QString seplabCliPath()
{
    const QString fromEnvironment = qEnvironmentVariable("SEPLAB_CLI");
    if (!fromEnvironment.isEmpty())
        return fromEnvironment;
    const QString beside = QCoreApplication::applicationDirPath() + "/seplab-cli";
    if (QFileInfo(beside).isExecutable())
        return beside;
    return QStringLiteral("seplab-cli");
}

void stopSweep(const QString &storePath,
               const QString &planName,
               const std::function<void(bool, const QString &)> &done)
{
    auto *process = new QProcess;
    process->setProcessChannelMode(QProcess::MergedChannels);
    QObject::connect(process,
                     &QProcess::finished,
                     process,
                     [process, done](int exitCode, QProcess::ExitStatus status) {
                         const QString output = QString::fromUtf8(process->readAll()).trimmed();
                         done(status == QProcess::NormalExit && exitCode == 0, output);
                         process->deleteLater();
                     });
    QObject::connect(process,
                     &QProcess::errorOccurred,
                     process,
                     [process, done](QProcess::ProcessError error) {
                         if (error != QProcess::FailedToStart)
                             return;
                         done(false,
                              QObject::tr("could not start %1: %2")
                                  .arg(process->program(), process->errorString()));
                         process->deleteLater();
                     });
    process->start(seplabCliPath(), {"sweep", "stop", "--store", storePath, "--plan", planName});
}

QString resumeSweep(const QString &storePath, const QString &planName)
{
    const QString program = seplabCliPath();
    if (!QProcess::startDetached(program,
                                 {"sweep", "resume", "--store", storePath, "--plan", planName}))
        return QObject::tr("could not start %1 sweep resume.").arg(program);
    return {};
}

QString killTrialProcess(int pid, const QString &program)
{
    if (pid <= 0)
        return QObject::tr("the trial has no process.");
    QFile cmdline(QString("/proc/%1/cmdline").arg(pid));
    if (!cmdline.open(QIODevice::ReadOnly))
        return QObject::tr("process %1 is no longer running.").arg(pid);
    const QByteArray argv0 = cmdline.readAll().split('\0').value(0);
    if (QFileInfo(QString::fromLocal8Bit(argv0)).fileName() != QFileInfo(program).fileName())
        return QObject::tr("process %1 is not the trial's %2 any more.")
            .arg(pid)
            .arg(QFileInfo(program).fileName());
    if (::kill(pid, SIGKILL) != 0)
        return QObject::tr("could not kill process %1.").arg(pid);
    return {};
}

} // namespace seplab::ui
