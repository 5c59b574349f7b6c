// nvidia-smi's CSV as the Devices panel reads it: real output of a two-GPU box and of a MIG
// instance, and the errors for lines that are not nvidia-smi's.

#include "core/exec/gpu_inventory.h"

#include <QtTest>

using namespace seplab::exec;

class tst_GpuInventory : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void queryAsksForTheParsedFields();
    void parsesTwoGpus();
    void notAvailableFieldsBecomeMinusOne();
    void skipsBlankLines();
    void wrongFieldCountNamesTheLine();
    void nonNumericIndexNamesTheLine();
    void nonNumericMemoryNamesTheField();
};

void tst_GpuInventory::queryAsksForTheParsedFields()
{
    const auto args = nvidiaSmiQueryArguments();
    QCOMPARE(args.size(), std::size_t(2));
    QCOMPARE(args[0],
             std::string("--query-gpu=index,name,memory.used,memory.total,utilization.gpu"));
    QCOMPARE(args[1], std::string("--format=csv,noheader,nounits"));
}

void tst_GpuInventory::parsesTwoGpus()
{
    const auto gpus = parseNvidiaSmiCsv("0, NVIDIA GeForce RTX 3090, 1024, 24576, 37\n"
                                        "1, NVIDIA H200, 0, 143771, 0\n");
    QCOMPARE(gpus.size(), std::size_t(2));
    QCOMPARE(gpus[0].index, 0);
    QCOMPARE(gpus[0].name, std::string("NVIDIA GeForce RTX 3090"));
    QCOMPARE(gpus[0].memoryUsedMiB, 1024);
    QCOMPARE(gpus[0].memoryTotalMiB, 24576);
    QCOMPARE(gpus[0].utilisationPercent, 37);
    QCOMPARE(gpus[1].index, 1);
    QCOMPARE(gpus[1].name, std::string("NVIDIA H200"));
    QCOMPARE(gpus[1].memoryUsedMiB, 0);
    QCOMPARE(gpus[1].memoryTotalMiB, 143771);
    QCOMPARE(gpus[1].utilisationPercent, 0);
}

void tst_GpuInventory::notAvailableFieldsBecomeMinusOne()
{
    const auto gpus = parseNvidiaSmiCsv("0, NVIDIA H100 80GB HBM3, 13, 81559, [N/A]\r\n"
                                        "1, Tesla K80, [Not Supported], 11441, 5\r\n");
    QCOMPARE(gpus.size(), std::size_t(2));
    QCOMPARE(gpus[0].utilisationPercent, -1);
    QCOMPARE(gpus[0].memoryTotalMiB, 81559);
    QCOMPARE(gpus[1].memoryUsedMiB, -1);
    QCOMPARE(gpus[1].utilisationPercent, 5);
}

void tst_GpuInventory::skipsBlankLines()
{
    QCOMPARE(parseNvidiaSmiCsv("").size(), std::size_t(0));
    QCOMPARE(parseNvidiaSmiCsv("\n  \n3, A100, 1, 2, 3\n\n").size(), std::size_t(1));
    QCOMPARE(parseNvidiaSmiCsv("\n  \n3, A100, 1, 2, 3\n\n")[0].index, 3);
}

void tst_GpuInventory::wrongFieldCountNamesTheLine()
{
    try {
        parseNvidiaSmiCsv("0, A100, 1, 2, 3\nNo devices were found\n");
        QFAIL("no error");
    } catch (const std::invalid_argument &error) {
        QCOMPARE(std::string(error.what()),
                 std::string("nvidia-smi output line 2: expected 5 comma-separated fields, "
                             "got 1."));
    }
}

void tst_GpuInventory::nonNumericIndexNamesTheLine()
{
    try {
        parseNvidiaSmiCsv("GPU-3f2a, A100, 1, 2, 3\n");
        QFAIL("no error");
    } catch (const std::invalid_argument &error) {
        QCOMPARE(std::string(error.what()),
                 std::string("nvidia-smi output line 1: the GPU index 'GPU-3f2a' is not a "
                             "number."));
    }
}

void tst_GpuInventory::nonNumericMemoryNamesTheField()
{
    try {
        parseNvidiaSmiCsv("0, A100, 12 MiB, 2, 3\n");
        QFAIL("no error");
    } catch (const std::invalid_argument &error) {
        QCOMPARE(std::string(error.what()),
                 std::string("nvidia-smi output line 1: '12 MiB' is not a number."));
    }
}

QTEST_APPLESS_MAIN(tst_GpuInventory)
#include "tst_gpu_inventory.moc"
