#pragma once

// The launch dialog's Slurm page: what each trial's job asks of the cluster (partition, GRES,
// time limit, memory, CPUs, account, QoS) and how many jobs may wait or run at once. Empty
// fields leave the plan's value (or Slurm's default); a plan with a Slurm executor fills them.

#include <QWidget>

class QLineEdit;
class QSpinBox;

namespace seplab::exec {
struct SlurmOptions;
}

namespace seplab::ui {

struct LaunchOptions;

class SlurmLaunchFields : public QWidget
{
    Q_OBJECT

public:
    explicit SlurmLaunchFields(QWidget *parent = nullptr);

    // Copies the fields into `options`' Slurm members.
    void readInto(LaunchOptions &options) const;
    // Shows `options`' Slurm members (a 0 max-jobs shows the default, 8).
    void setFrom(const LaunchOptions &options);
    // Shows what a plan's `executor:` asks for.
    void prefill(const exec::SlurmOptions &slurm);

Q_SIGNALS:
    void changed();

private:
    QLineEdit *field(const QString &name, const QString &placeholder);

    QLineEdit *m_partition = nullptr;
    QLineEdit *m_gres = nullptr;
    QLineEdit *m_time = nullptr;
    QLineEdit *m_mem = nullptr;
    QSpinBox *m_cpusPerTask = nullptr;
    QLineEdit *m_account = nullptr;
    QLineEdit *m_qos = nullptr;
    QSpinBox *m_maxJobs = nullptr;
};

} // namespace seplab::ui
