#include "slurm_jobs.h"

#include "core/store/experiment_store.h"

#include <exception>

namespace seplab::ui {

QList<SlurmTrialJob> slurmJobsOf(const std::vector<store::TrialRecord> &trials)
{
    QList<SlurmTrialJob> jobs;
    for (const store::TrialRecord &trial : trials) {
        if (trial.jobId.empty()
            || (trial.state != store::TrialState::Running
                && trial.state != store::TrialState::Pending))
            continue;
        const QString device = QString::fromStdString(trial.device);
        const QString prefix = QStringLiteral("slurm:");
        jobs.append({QString::fromStdString(trial.name),
                     QString::fromStdString(trial.jobId),
                     device.startsWith(prefix) ? device.mid(prefix.size()) : QString()});
    }
    return jobs;
}

QList<SlurmTrialJob> readSlurmJobs(const QString &path)
{
    if (path.isEmpty())
        return {};
    try {
        const store::ExperimentStore reader
            = store::ExperimentStore::open(path.toStdString(),
                                           store::ExperimentStore::Mode::ReadOnly);
        QList<SlurmTrialJob> jobs;
        for (const store::PlanRecord &plan : reader.plans())
            jobs.append(slurmJobsOf(reader.planTrials(plan.id)));
        return jobs;
    } catch (const std::exception &) {
        return {};
    }
}

} // namespace seplab::ui
