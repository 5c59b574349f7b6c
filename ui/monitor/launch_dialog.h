#pragma once

// Sweep ▸ Launch…: the plan, the store, the corpus and where trials run: this machine (which GPUs
// and how many trials per GPU, or how many at once on the CPU) or a Slurm cluster (what each
// trial's job asks for). A plan whose executor is Slurm preselects the cluster and fills its
// fields. The problem with the choices is shown as you make them, and Launch stays disabled
// until there is none.

#include "sweep_launch.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QRadioButton;
class QSpinBox;
class QStackedWidget;

namespace seplab::ui {

class SlurmLaunchFields;

class LaunchDialog : public QDialog
{
    Q_OBJECT

public:
    // `gpuCount` GPUs are offered (the Devices panel's count; 0 offers the CPU only).
    explicit LaunchDialog(int gpuCount, const QString &store, QWidget *parent = nullptr);

    // executor is "local" or "slurm", as chosen.
    LaunchOptions options() const;
    // An empty executor keeps what the plan preselected.
    void setOptions(const LaunchOptions &options);
    QString problem() const;

private:
    void refresh();
    void planChanged();
    QWidget *localPage();
    QLineEdit *pathField(const QString &name, bool folder, const QString &filter);

    QLineEdit *m_plan = nullptr;
    QLineEdit *m_store = nullptr;
    QLineEdit *m_data = nullptr;
    QComboBox *m_scale = nullptr;
    QList<QCheckBox *> m_gpus;
    QSpinBox *m_slotsPerGpu = nullptr;
    QSpinBox *m_cpuSlots = nullptr;
    QRadioButton *m_runLocal = nullptr;
    QRadioButton *m_runSlurm = nullptr;
    QStackedWidget *m_where = nullptr;
    SlurmLaunchFields *m_slurm = nullptr;
    int m_gpuCount = 0;
    QString m_readPlan; // the plan file whose executor was last read
    QLabel *m_problem = nullptr;
    QPushButton *m_launch = nullptr;
};

} // namespace seplab::ui
