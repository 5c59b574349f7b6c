#pragma once

// Launching a sweep from the workbench: the controller runs as its own `seplab-cli sweep run`
// process, detached, writing the store that the monitor follows, so that closing the window
// never stops it (DESIGN.md). Its progress lines go to <store>.controller.log beside the store.

#include <QList>
#include <QString>
#include <QStringList>

namespace seplab::ui {

struct LaunchOptions
{
    QString plan;       // a plan or W&B sweep YAML
    QString store;      // the experiment store to write
    QString scale;      // "" or a scale the plan names ("tiny")
    QString data;       // corpus root; empty: the plan's
    QString baseConfig; // empty: the plan's
    QString runs;       // empty: <store folder>/runs
    QList<int> gpus;    // empty: the CPU
    int slotsPerGpu = 1;
    int cpuSlots = 1;
    int trials = 0; // trials per search stage; 0: the plan's

    // Where trials run: "" the plan's executor, "local" this machine's slots (gpus, cpuSlots),
    // "slurm" one sbatch job per trial. The Slurm fields replace the plan's `executor:` keys;
    // empty (or 0) ones leave the plan's value.
    QString executor;
    QString partition;
    QString gres; // "gpu:1"
    QString time; // "04:00:00"
    QString mem;  // "16G"
    int cpusPerTask = 0;
    QString account;
    QString qos;
    int maxJobsInQueue = 0;
};

// `seplab-cli` arguments for the options, in the order `sweep run --help` lists them. A Slurm
// launch passes no --gpus or --cpu-slots: the cluster, not this machine, places the trials.
QStringList sweepRunArguments(const LaunchOptions &options);

// The first problem with the options, as one sentence; empty when they can be launched. A
// Slurm launch needs sinfo on PATH: the controller submits from this machine.
QString launchProblem(const LaunchOptions &options);

// Where the controller's progress lines go.
QString controllerLogPath(const QString &store);

// Starts the controller detached; returns an error sentence, empty on success.
QString launchSweep(const LaunchOptions &options, qint64 *pid = nullptr);

} // namespace seplab::ui
