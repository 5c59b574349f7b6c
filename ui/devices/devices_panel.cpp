#include "devices_panel.h"

#include "core/exec/gpu_inventory.h"
#include "slurm_section.h"

#include <QHeaderView>
#include <QLabel>
#include <QProcess>
#include <QTableWidget>
#include <QThread>
#include <QTimer>
#include <QVBoxLayout>

#include <stdexcept>
#include <torch/cuda.h>

namespace seplab::ui {

namespace {

QString mibText(int used, int total)
{
    if (total < 0)
        return QObject::tr("n/a");
    const QString totalText = QString::number(total / 1024.0, 'f', 1);
    return used < 0 ? QObject::tr("? / %1 GiB").arg(totalText)
                    : QObject::tr("%1 / %2 GiB").arg(used / 1024.0, 0, 'f', 1).arg(totalText);
}

} // namespace

DevicesPanel::DevicesPanel(QWidget *parent)
    : QWidget(parent)
{
    setObjectName("DevicesPanel");
    m_headline = new QLabel;
    m_headline->setObjectName("devicesHeadline");
    m_headline->setWordWrap(true);
    m_table = new QTableWidget(0, 5);
    m_table->setObjectName("devicesTable");
    m_table->setHorizontalHeaderLabels(
        {tr("Device"), tr("Name"), tr("Memory"), tr("Utilisation"), tr("Trials")});
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_slurm = new SlurmSection;
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_headline);
    layout->addWidget(m_table, 1);
    // Where Slurm is missing its section is one line and the GPU table keeps the height.
    layout->addWidget(m_slurm, m_slurm->available() ? 1 : 0);
    connect(m_slurm, &SlurmSection::availabilityChanged, this, [layout, this](bool available) {
        layout->setStretchFactor(m_slurm, available ? 1 : 0);
    });

    m_timer = new QTimer(this);
    m_timer->setInterval(2000);
    connect(m_timer, &QTimer::timeout, this, &DevicesPanel::queryNow);
    m_query = new QProcess(this);
    connect(m_query, &QProcess::finished, this, [this](int exitCode, QProcess::ExitStatus status) {
        const QString output = QString::fromUtf8(m_query->readAllStandardOutput());
        if (status == QProcess::NormalExit && exitCode == 0)
            showNvidiaSmiOutput(output);
        else
            showLibTorchDevices(
                tr("nvidia-smi failed: %1")
                    .arg(QString::fromUtf8(m_query->readAllStandardError()).trimmed()));
    });
    connect(m_query, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart)
            showLibTorchDevices(tr("nvidia-smi is not installed"));
    });
    m_cudaDevices = [] {
        return torch::cuda::is_available() ? int(torch::cuda::device_count()) : 0;
    };
    showNoGpu(tr("not queried yet"));
}

DevicesPanel::~DevicesPanel()
{
    // A query still running must not report into half-destroyed widgets.
    m_query->disconnect(this);
    if (m_query->state() != QProcess::NotRunning) {
        m_query->kill();
        m_query->waitForFinished(1000);
    }
}

void DevicesPanel::setTrialsPerDevice(const QMap<QString, int> &trials)
{
    if (trials == m_trials)
        return;
    m_trials = trials;
    rebuildRows();
}

void DevicesPanel::setSlurmJobs(const QList<SlurmTrialJob> &jobs)
{
    m_slurm->setJobs(jobs);
}

void DevicesPanel::queryNow()
{
    if (m_query->state() != QProcess::NotRunning)
        return;
    QString program = qEnvironmentVariable("SEPLAB_NVIDIA_SMI");
    if (program.isEmpty())
        program = QStringLiteral("nvidia-smi");
    QStringList arguments;
    for (const std::string &argument : exec::nvidiaSmiQueryArguments())
        arguments << QString::fromStdString(argument);
    m_query->start(program, arguments);
}

void DevicesPanel::showNvidiaSmiOutput(const QString &csv)
{
    std::vector<exec::GpuStatus> gpus;
    try {
        gpus = exec::parseNvidiaSmiCsv(csv.toStdString());
    } catch (const std::invalid_argument &error) {
        showNoGpu(QString::fromStdString(error.what()));
        return;
    }
    if (gpus.empty()) {
        showNoGpu(tr("nvidia-smi lists no GPU"));
        return;
    }
    m_gpus.clear();
    for (const exec::GpuStatus &gpu : gpus)
        m_gpus.append(
            {QString("cuda:%1").arg(gpu.index),
             QString::fromStdString(gpu.name),
             mibText(gpu.memoryUsedMiB, gpu.memoryTotalMiB),
             gpu.utilisationPercent < 0 ? tr("n/a") : QString("%1 %").arg(gpu.utilisationPercent)});
    m_headline->setText(tr("%n GPU(s); trials are packed into their slots by the sweep's "
                           "--gpus and --slots-per-gpu.",
                           nullptr,
                           int(gpus.size())));
    rebuildRows();
}

void DevicesPanel::setCudaDeviceCounter(std::function<int()> counter)
{
    m_cudaDevices = std::move(counter);
    m_cudaDeviceCount = -1;
}

void DevicesPanel::showLibTorchDevices(const QString &reason)
{
    if (m_cudaDeviceCount < 0)
        m_cudaDeviceCount = m_cudaDevices ? m_cudaDevices() : 0;
    if (m_cudaDeviceCount == 0) {
        showNoGpu(tr("%1; LibTorch sees no CUDA device").arg(reason));
        return;
    }
    m_gpus.clear();
    for (int i = 0; i < m_cudaDeviceCount; ++i)
        m_gpus.append(
            {QString("cuda:%1").arg(i), tr("CUDA device (LibTorch)"), tr("n/a"), tr("n/a")});
    m_headline->setText(tr("%n GPU(s) seen by LibTorch (%1: no memory or utilisation figures).",
                           nullptr,
                           m_cudaDeviceCount)
                            .arg(reason));
    rebuildRows();
}

void DevicesPanel::showNoGpu(const QString &reason)
{
    m_gpus.clear();
    m_headline->setText(tr("No GPU on this machine (%1): trials run on the CPU, which has %2 "
                           "cores.")
                            .arg(reason)
                            .arg(QThread::idealThreadCount()));
    rebuildRows();
}

QString DevicesPanel::headline() const
{
    return m_headline->text();
}

void DevicesPanel::rebuildRows()
{
    QList<Row> rows = m_gpus;
    rows.append({QStringLiteral("cpu"),
                 tr("%1 cores").arg(QThread::idealThreadCount()),
                 QString(),
                 QString()});
    m_table->setRowCount(int(rows.size()));
    for (int r = 0; r < rows.size(); ++r) {
        const Row &row = rows[r];
        const QStringList cells = {row.device,
                                   row.name,
                                   row.memory,
                                   row.utilisation,
                                   QString::number(m_trials.value(row.device, 0))};
        for (int c = 0; c < cells.size(); ++c) {
            QTableWidgetItem *item = m_table->item(r, c);
            if (!item) {
                item = new QTableWidgetItem;
                m_table->setItem(r, c, item);
            }
            item->setText(cells[c]);
        }
    }
}

void DevicesPanel::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    queryNow();
    m_timer->start();
}

void DevicesPanel::hideEvent(QHideEvent *event)
{
    m_timer->stop();
    QWidget::hideEvent(event);
}

} // namespace seplab::ui
