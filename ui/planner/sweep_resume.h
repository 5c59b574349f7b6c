#pragma once

// Continuing a stored sweep with an edited plan: the checks `seplab-cli sweep resume` makes
// (so the usual mistakes show in the planner, not only in the controller's log), then
// `sweep resume --plan-file` started detached, its lines appended to the store's controller log.

#include <QString>

namespace seplab::ui {

// Resumes plan `planName` of the store at `storePath` with the plan file `planFile`. False and
// one sentence in `error` when the store has no such plan, it has finished, its controller
// still runs, or the command cannot start.
bool startSweepResume(const QString &storePath,
                      const QString &planName,
                      const QString &planFile,
                      QString *error);

} // namespace seplab::ui
