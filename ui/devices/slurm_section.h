#pragma once

// The Devices panel's Slurm section: the nodes of the partitions the followed sweep uses (sinfo)
// and that sweep's queued or running jobs (squeue). Both commands run as child processes every
// 5 s while the section is visible, never blocking the UI thread. Without sinfo the section is
// one plain line.

#include "core/exec/slurm_status.h"
#include "slurm_jobs.h"

#include <QWidget>

#include <map>
#include <string>

class QLabel;
class QProcess;
class QTableWidget;
class QTimer;

namespace seplab::ui {

class SlurmSection : public QWidget
{
    Q_OBJECT

public:
    // Slurm's programs come from $SEPLAB_SLURM_BIN when set, else from PATH.
    explicit SlurmSection(QWidget *parent = nullptr);
    ~SlurmSection() override;

    // The folder holding sinfo and squeue; empty: PATH.
    void setBinDir(const QString &dir);
    // The followed sweep's Slurm trials.
    void setJobs(const QList<SlurmTrialJob> &jobs);
    // Starts sinfo, and squeue when there are jobs, unless they still run from the last time.
    void queryNow();
    // What the commands printed; public so that tests feed real outputs.
    void showSinfoOutput(const QString &text);
    void showSqueueOutput(const QString &text);

    bool available() const { return !m_sinfo.isEmpty(); }
    QString headline() const;
    QTableWidget *nodeTable() const { return m_nodeTable; }
    QTableWidget *jobTable() const { return m_jobTable; }

Q_SIGNALS:
    void availabilityChanged(bool available);

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void findPrograms();
    void rebuildJobRows();
    void updateHeadline();
    QStringList partitions() const;

    QString m_binDir;
    QString m_sinfo; // the programs' paths; empty: not found
    QString m_squeue;
    QLabel *m_headline = nullptr;
    QTableWidget *m_nodeTable = nullptr;
    QTableWidget *m_jobTable = nullptr;
    QTimer *m_timer = nullptr;
    QProcess *m_sinfoQuery = nullptr;
    QProcess *m_squeueQuery = nullptr;
    QList<SlurmTrialJob> m_jobs;
    std::map<std::string, exec::SlurmJobStatus> m_statuses;
    bool m_nodesKnown = false;
    bool m_statusesKnown = false;
    int m_nodeCount = 0;
    QString m_sinfoProblem;
    QString m_squeueProblem;
};

} // namespace seplab::ui
