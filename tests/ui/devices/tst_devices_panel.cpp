// The Devices panel: real nvidia-smi output in the table with the sweep's trials per device, the
// plain message on a machine without a GPU, and the asynchronous query through a stand-in
// nvidia-smi.

#include "support/widget_grab.h"
#include "ui/devices/devices_panel.h"

#include <QLabel>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

#include <fstream>

using namespace seplab;

class tst_DevicesPanel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void grabsAtItsSize();
    void showsGpusAndTrials();
    void noGpuIsSaidPlainly();
    void garbledOutputIsReported();
    void queriesNvidiaSmi();
    void missingNvidiaSmiMeansNoGpu();
    void libTorchCountsGpusWithoutNvidiaSmi();

private:
    static QStringList row(const ui::DevicesPanel &panel, int r);
};

QStringList tst_DevicesPanel::row(const ui::DevicesPanel &panel, int r)
{
    QStringList cells;
    for (int c = 0; c < panel.table()->columnCount(); ++c)
        cells << panel.table()->item(r, c)->text();
    return cells;
}

void tst_DevicesPanel::showsGpusAndTrials()
{
    ui::DevicesPanel panel;
    panel.showNvidiaSmiOutput("0, NVIDIA GeForce RTX 3090, 1024, 24576, 37\n"
                              "1, NVIDIA H200, [N/A], 143771, [N/A]\n");
    panel.setTrialsPerDevice({{"cuda:1", 2}, {"cpu", 1}});
    QCOMPARE(panel.table()->rowCount(), 3);
    QCOMPARE(row(panel, 0),
             QStringList({"cuda:0", "NVIDIA GeForce RTX 3090", "1.0 / 24.0 GiB", "37 %", "0"}));
    QCOMPARE(row(panel, 1), QStringList({"cuda:1", "NVIDIA H200", "? / 140.4 GiB", "n/a", "2"}));
    QCOMPARE(row(panel, 2).first(), QString("cpu"));
    QCOMPARE(row(panel, 2).last(), QString("1"));
    QVERIFY(panel.headline().startsWith("2 GPU(s)"));
}

void tst_DevicesPanel::noGpuIsSaidPlainly()
{
    ui::DevicesPanel panel;
    panel.showNoGpu("nvidia-smi is not installed");
    QCOMPARE(panel.headline(),
             QString("No GPU on this machine (nvidia-smi is not installed): trials run on the "
                     "CPU, which has %1 cores.")
                 .arg(QThread::idealThreadCount()));
    QCOMPARE(panel.table()->rowCount(), 1);
    QCOMPARE(row(panel, 0).first(), QString("cpu"));
}

void tst_DevicesPanel::garbledOutputIsReported()
{
    ui::DevicesPanel panel;
    panel.showNvidiaSmiOutput("No devices were found\n");
    QVERIFY2(panel.headline().contains(
                 "nvidia-smi output line 1: expected 5 comma-separated fields, got 1."),
             qPrintable(panel.headline()));
    QCOMPARE(panel.table()->rowCount(), 1);
}

void tst_DevicesPanel::queriesNvidiaSmi()
{
    QTemporaryDir dir;
    const QString fake = dir.filePath("nvidia-smi");
    // Answers only the query the panel must send.
    std::ofstream(fake.toStdString())
        << "#!/bin/sh\n"
           "[ \"$1\" = --query-gpu=index,name,memory.used,memory.total,utilization.gpu ] || exit "
           "9\n"
           "[ \"$2\" = --format=csv,noheader,nounits ] || exit 9\n"
           "echo '0, NVIDIA A100-SXM4-40GB, 2048, 40960, 88'\n";
    QFile::setPermissions(fake, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    qputenv("SEPLAB_NVIDIA_SMI", fake.toLocal8Bit());
    ui::DevicesPanel panel;
    panel.queryNow();
    QTRY_COMPARE_WITH_TIMEOUT(panel.table()->rowCount(), 2, 10000);
    QCOMPARE(row(panel, 0),
             QStringList({"cuda:0", "NVIDIA A100-SXM4-40GB", "2.0 / 40.0 GiB", "88 %", "0"}));
    qunsetenv("SEPLAB_NVIDIA_SMI");
}

void tst_DevicesPanel::missingNvidiaSmiMeansNoGpu()
{
    QTemporaryDir dir;
    qputenv("SEPLAB_NVIDIA_SMI", dir.filePath("absent-nvidia-smi").toLocal8Bit());
    ui::DevicesPanel panel;
    panel.setCudaDeviceCounter([] { return 0; }); // as on a machine without CUDA
    panel.showNvidiaSmiOutput("0, A100, 1, 2, 3\n");
    QCOMPARE(panel.table()->rowCount(), 2);
    panel.queryNow();
    QTRY_COMPARE_WITH_TIMEOUT(panel.table()->rowCount(), 1, 10000);
    QVERIFY2(panel.headline().startsWith("No GPU on this machine (nvidia-smi is not installed; "
                                         "LibTorch sees no CUDA device)"),
             qPrintable(panel.headline()));
    qunsetenv("SEPLAB_NVIDIA_SMI");
}

void tst_DevicesPanel::libTorchCountsGpusWithoutNvidiaSmi()
{
    ui::DevicesPanel panel;
    int asked = 0;
    panel.setCudaDeviceCounter([&asked] {
        ++asked;
        return 2;
    });
    panel.setTrialsPerDevice({{"cuda:1", 3}});
    panel.showLibTorchDevices("nvidia-smi is not installed");
    QCOMPARE(panel.headline(),
             QString("2 GPU(s) seen by LibTorch (nvidia-smi is not installed: no memory or "
                     "utilisation figures)."));
    QCOMPARE(panel.table()->rowCount(), 3);
    QCOMPARE(row(panel, 1), QStringList({"cuda:1", "CUDA device (LibTorch)", "n/a", "n/a", "3"}));
    panel.showLibTorchDevices("nvidia-smi failed: x");
    QCOMPARE(asked, 1); // counted once

    panel.setCudaDeviceCounter([] { return 0; });
    panel.showLibTorchDevices("nvidia-smi is not installed");
    QVERIFY2(panel.headline().startsWith("No GPU on this machine (nvidia-smi is not installed; "
                                         "LibTorch sees no CUDA device): trials run on the CPU"),
             qPrintable(panel.headline()));
    QCOMPARE(panel.table()->rowCount(), 1);
}

void tst_DevicesPanel::grabsAtItsSize()
{
    ui::DevicesPanel panel;
    panel.showNvidiaSmiOutput("0, NVIDIA H200, 1024, 143771, 12\n");
    const QImage image = testsupport::grabAt(panel, {600, 300});
    QCOMPARE(image.size(), QSize(600, 300));
    QVERIFY(testsupport::distinctColours(image) > 20);
}

QTEST_MAIN(tst_DevicesPanel)
#include "tst_devices_panel.moc"
