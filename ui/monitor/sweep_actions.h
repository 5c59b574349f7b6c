#pragma once

// What the monitor's buttons do. The GUI never writes the store (DESIGN.md): it asks the
// controller through the same commands a terminal user types, so a sweep behaves the same
// whoever stops it.
//   stop    `seplab-cli sweep stop`: the controller SIGTERMs its trials, which write last.pt
//   resume  `seplab-cli sweep resume`, detached: it outlives the GUI
//   kill    SIGKILL to one running trial that hangs; the controller records it failed

#include <QString>

#include <functional>

namespace seplab::ui {

// $SEPLAB_CLI when set, else seplab-cli beside this executable, else the one on PATH.
QString seplabCliPath();

// Runs `seplab-cli sweep stop` and calls `done` with its exit status and its output.
void stopSweep(const QString &storePath,
               const QString &planName,
               const std::function<void(bool ok, const QString &message)> &done);

// Starts `seplab-cli sweep resume` detached; returns an error sentence, empty on success.
QString resumeSweep(const QString &storePath, const QString &planName);

// SIGKILLs `pid` if it is alive and still runs `program` (its argv[0], compared by file name,
// so a reused pid is never hit). Returns an error sentence, empty on success.
QString killTrialProcess(int pid, const QString &program);

} // namespace seplab::ui
