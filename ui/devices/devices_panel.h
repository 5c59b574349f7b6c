#pragma once

// Devices: the GPUs nvidia-smi reports (memory, utilisation) with the number of trials of the
// followed sweep running on each, and the CPU. nvidia-smi runs as a child process every 2 s
// while the panel is visible, never blocking the UI thread. Without nvidia-smi, the CUDA
// devices LibTorch sees are listed (no memory or utilisation figures then). A machine without a
// GPU is said so in plain words. Below the GPUs, the Slurm section (SlurmSection): the cluster's
// nodes and the followed sweep's Slurm jobs, or one line where sinfo is missing.

#include "slurm_jobs.h"

#include <QMap>
#include <QWidget>

#include <functional>

class QLabel;
class QProcess;
class QTableWidget;
class QTimer;

namespace seplab::ui {

class SlurmSection;

class DevicesPanel : public QWidget
{
    Q_OBJECT

public:
    explicit DevicesPanel(QWidget *parent = nullptr);
    ~DevicesPanel() override;

    // Running trials per device name as the store has them ("cuda:0", "cpu").
    void setTrialsPerDevice(const QMap<QString, int> &trials);
    // The followed sweep's trials that Slurm queues or runs (readSlurmJobs).
    void setSlurmJobs(const QList<SlurmTrialJob> &jobs);
    // Starts one nvidia-smi query now ($SEPLAB_NVIDIA_SMI overrides the program).
    void queryNow();
    // What a query's output or failure shows; public so that tests feed real outputs.
    void showNvidiaSmiOutput(const QString &csv);
    void showNoGpu(const QString &reason);
    // nvidia-smi could not answer (`reason`): list the CUDA devices LibTorch counts, or say
    // there is no GPU.
    void showLibTorchDevices(const QString &reason);
    // Where the LibTorch count comes from (tests stand in for a CUDA machine).
    void setCudaDeviceCounter(std::function<int()> counter);

    QTableWidget *table() const { return m_table; }
    SlurmSection *slurm() const { return m_slurm; }
    // GPUs the last nvidia-smi query listed.
    int gpuCount() const { return int(m_gpus.size()); }
    QString headline() const;

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void rebuildRows();

    struct Row
    {
        QString device; // "cuda:0", "cpu"
        QString name;
        QString memory;
        QString utilisation;
    };
    QLabel *m_headline = nullptr;
    QTableWidget *m_table = nullptr;
    SlurmSection *m_slurm = nullptr;
    QTimer *m_timer = nullptr;
    QProcess *m_query = nullptr;
    QList<Row> m_gpus;
    QMap<QString, int> m_trials;
    std::function<int()> m_cudaDevices;
    int m_cudaDeviceCount = -1; // asked once: the first call may initialise CUDA
};

} // namespace seplab::ui
