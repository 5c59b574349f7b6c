#include "ui/planner/sweep_resume.h"

#include "core/store/experiment_store.h"
#include "core/sweep/sweep_controller.h"
#include "ui/monitor/sweep_actions.h"
#include "ui/monitor/sweep_launch.h"

#include <QObject>
#include <QProcess>

#include <exception>
#include <optional>

namespace seplab::ui {

bool startSweepResume(const QString &storePath,
                      const QString &planName,
                      const QString &planFile,
                      QString *error)
{
    // The checks `sweep resume` makes too, so that the usual mistakes show here and not only in
    // the controller's log.
    try {
        const store::ExperimentStore store
            = store::ExperimentStore::open(storePath.toStdString(),
                                           store::ExperimentStore::Mode::ReadOnly);
        const std::optional<store::PlanRecord> record = store.planByName(planName.toStdString());
        if (!record) {
            *error = QObject::tr("%1 has no plan named '%2' to continue; launch it instead.")
                         .arg(storePath, planName);
            return false;
        }
        if (record->state == "finished") {
            *error = QObject::tr("Plan '%1' has finished; there is no stage left to continue.")
                         .arg(planName);
            return false;
        }
        if (record->state == "running" && sweep::processAliveWith(record->controllerPid, "seplab")) {
            *error = QObject::tr(
                         "Plan '%1' is still running; it stops by itself before a stage marked for "
                         "review, or stop it first.")
                         .arg(planName);
            return false;
        }
    } catch (const std::exception &problem) {
        *error = QString::fromStdString(problem.what());
        return false;
    }
    QProcess process;
    process.setProgram(seplabCliPath());
    process.setArguments(
        {"sweep", "resume", "--store", storePath, "--plan", planName, "--plan-file", planFile});
    process.setStandardOutputFile(controllerLogPath(storePath), QIODevice::Append);
    process.setStandardErrorFile(controllerLogPath(storePath), QIODevice::Append);
    if (!process.startDetached()) {
        *error = QObject::tr("could not start %1: %2").arg(process.program(), process.errorString());
        return false;
    }
    return true;
}

} // namespace seplab::ui
