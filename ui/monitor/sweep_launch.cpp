#include "sweep_launch.h"

#include "sweep_actions.h"

#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>

namespace seplab::ui {

namespace {

QString slurmProblem(const LaunchOptions &options)
{
    if (QStandardPaths::findExecutable(QStringLiteral("sinfo")).isEmpty())
        return QObject::tr("Slurm's sinfo is not on this machine's PATH; launch Slurm sweeps "
                           "from a login node of the cluster.");
    // seplab-cli refuses these too; saying it here keeps Launch disabled instead.
    const QList<std::pair<QString, QString>> words = {{QObject::tr("partition"), options.partition},
                                                      {QObject::tr("GRES"), options.gres},
                                                      {QObject::tr("time limit"), options.time},
                                                      {QObject::tr("memory"), options.mem},
                                                      {QObject::tr("account"), options.account},
                                                      {QObject::tr("QoS"), options.qos}};
    for (const auto &[field, value] : words)
        if (value.contains(QRegularExpression("\\s")))
            return QObject::tr("the Slurm %1 must be one word, not '%2'.").arg(field, value);
    return {};
}

} // namespace

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
    if (options.executor == "slurm") {
        args << "--executor"
             << "slurm";
        const QList<std::pair<const char *, QString>> words = {{"--partition", options.partition},
                                                               {"--gres", options.gres},
                                                               {"--time", options.time},
                                                               {"--mem", options.mem}};
        for (const auto &[flag, value] : words)
            if (!value.isEmpty())
                args << flag << value;
        if (options.cpusPerTask > 0)
            args << "--cpus-per-task" << QString::number(options.cpusPerTask);
        if (!options.account.isEmpty())
            args << "--account" << options.account;
        if (!options.qos.isEmpty())
            args << "--qos" << options.qos;
        if (options.maxJobsInQueue > 0)
            args << "--max-jobs-in-queue" << QString::number(options.maxJobsInQueue);
        return args;
    }
    if (!options.gpus.isEmpty()) {
        QStringList ids;
        for (int gpu : options.gpus)
            ids << QString::number(gpu);
        args << "--gpus" << ids.join(',') << "--slots-per-gpu"
             << QString::number(options.slotsPerGpu);
    } else {
        args << "--cpu-slots" << QString::number(options.cpuSlots);
    }
    if (options.executor == "local")
        args << "--executor"
             << "local";
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
    if (options.executor == "slurm")
        return slurmProblem(options);
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
