#pragma once

// The followed sweep's trials that Slurm holds: the Devices panel asks squeue about these job
// ids. Read from the store (read-only), like the monitor's trials per device.

#include "core/store/store_records.h"

#include <QList>
#include <QString>

#include <vector>

namespace seplab::ui {

struct SlurmTrialJob
{
    QString trial;     // "t003"
    QString jobId;     // "4711"
    QString partition; // from the trial's device "slurm:<partition>"; empty: the default one
    bool operator==(const SlurmTrialJob &other) const
    {
        return trial == other.trial && jobId == other.jobId && partition == other.partition;
    }
};

// The running or pending trials that have a Slurm job id, in the order given.
QList<SlurmTrialJob> slurmJobsOf(const std::vector<store::TrialRecord> &trials);

// slurmJobsOf() over every plan of the store at `path`; nothing when `path` is empty or the
// store cannot be read (the monitor reports that).
QList<SlurmTrialJob> readSlurmJobs(const QString &path);

} // namespace seplab::ui
