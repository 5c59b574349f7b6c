#pragma once

// Devices: the GPUs nvidia-smi reports (memory, utilisation) with the number of trials of the
// followed sweep running on each, and the CPU. nvidia-smi runs as a child process every 2 s
// while the panel is visible, never blocking the UI thread. A machine without a GPU is said so
// in plain words.

#include <QMap>
#include <QWidget>

class QLabel;
class QProcess;
class QTableWidget;
class QTimer;

namespace seplab::ui {

class DevicesPanel : public QWidget
{
    Q_OBJECT

public:
    explicit DevicesPanel(QWidget *parent = nullptr);
    ~DevicesPanel() override;

    // Running trials per device name as the store has them ("cuda:0", "cpu").
    void setTrialsPerDevice(const QMap<QString, int> &trials);
    // Starts one nvidia-smi query now ($SEPLAB_NVIDIA_SMI overrides the program).
    void queryNow();
    // What a query's output or failure shows; public so that tests feed real outputs.
    void showNvidiaSmiOutput(const QString &csv);
    void showNoGpu(const QString &reason);

    QTableWidget *table() const { return m_table; }
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
    QTimer *m_timer = nullptr;
    QProcess *m_query = nullptr;
    QList<Row> m_gpus;
    QMap<QString, int> m_trials;
};

} // namespace seplab::ui
