#include "sweep_launch.h"

#include "sweep_actions.h"

#include <QDir>
#include <QFileInfo>
#include <QProcess>

namespace seplab::ui {

QStringList sweepRunArguments(const LaunchOptions &options)
{
    QStringList args = {"sweep", "run", options.plan, "--store", options.store};
    if (!options.scale.isEmpty())
        args << "--scale" << options.scale;
    if (!options.data.isEmpty())
        args << "--data" << options.data;
    if (!options.baseConfig.isEmpty())
        args << "--base-config" << options.baseConfig;
    if (options.trials > 0)
        args << "--trials" << QString::number(options.trials);
    if (!options.runs.isEmpty())
        args << "--runs" << options.runs;
    if (!options.gpus.isEmpty()) {
        QStringList ids;
        for (int gpu : options.gpus)
            ids << QString::number(gpu);
        args << "--gpus" << ids.join(',') << "--slots-per-gpu"
             << QString::number(options.slotsPerGpu);
    } else {
        args << "--cpu-slots" << QString::number(options.cpuSlots);
    }
    return args;
}

QString launchProblem(const LaunchOptions &options)
{
    if (options.plan.isEmpty())
        return QObject::tr("choose a plan or W&B sweep file.");
    if (!QFileInfo(options.plan).isFile())
        return QObject::tr("%1: no such plan file.").arg(options.plan);
    if (options.store.isEmpty())
        return QObject::tr("choose the experiment store to write.");
    if (!options.data.isEmpty() && !QFileInfo(options.data).isDir())
        return QObject::tr("%1: no such corpus folder.").arg(options.data);
    if (!options.baseConfig.isEmpty() && !QFileInfo(options.baseConfig).isFile())
        return QObject::tr("%1: no such training config.").arg(options.baseConfig);
    if (options.slotsPerGpu < 1 || options.cpuSlots < 1)
        return QObject::tr("slots must be at least 1.");
    return {};
}

QString controllerLogPath(const QString &store)
{
    return store + ".controller.log";
}

QString launchSweep(const LaunchOptions &options, qint64 *pid)
{
    const QString problem = launchProblem(options);
    if (!problem.isEmpty())
        return problem;
    QDir().mkpath(QFileInfo(options.store).absolutePath());
    QProcess process;
    process.setProgram(seplabCliPath());
    process.setArguments(sweepRunArguments(options));
    process.setStandardOutputFile(controllerLogPath(options.store), QIODevice::Append);
    process.setStandardErrorFile(controllerLogPath(options.store), QIODevice::Append);
    if (!process.startDetached(pid))
        return QObject::tr("could not start %1: %2").arg(process.program(), process.errorString());
    return {};
}

} // namespace seplab::ui
