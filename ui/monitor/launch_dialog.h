#pragma once

// Sweep ▸ Launch…: the plan, the store, the corpus and where trials run (which GPUs and how many
// trials per GPU, or how many at once on the CPU). The problem with the choices is shown as you
// make them, and Launch stays disabled until there is none.

#include "sweep_launch.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace seplab::ui {

class LaunchDialog : public QDialog
{
    Q_OBJECT

public:
    // `gpuCount` GPUs are offered (the Devices panel's count; 0 offers the CPU only).
    explicit LaunchDialog(int gpuCount, const QString &store, QWidget *parent = nullptr);

    LaunchOptions options() const;
    void setOptions(const LaunchOptions &options);
    QString problem() const;

private:
    void refresh();
    QLineEdit *pathField(const QString &name, bool folder, const QString &filter);

    QLineEdit *m_plan = nullptr;
    QLineEdit *m_store = nullptr;
    QLineEdit *m_data = nullptr;
    QComboBox *m_scale = nullptr;
    QList<QCheckBox *> m_gpus;
    QSpinBox *m_slotsPerGpu = nullptr;
    QSpinBox *m_cpuSlots = nullptr;
    QLabel *m_problem = nullptr;
    QPushButton *m_launch = nullptr;
};

} // namespace seplab::ui
