// How long the monitor holds the UI thread while a sweep streams. A writer thread plays the
// controller for N trials, writing one epoch of every trial (val_sisdr, val_sisdri, train_loss,
// train_sisdr, lr, seconds) every `--period-ms` — far faster than real training — while the
// monitor panel follows the store with its own 5 Hz timer. A 2 ms probe timer on the UI thread
// measures the longest gap between its ticks after the first 500 ms (start-up): that is the
// stall a user would feel.
//
//   seplab-bench-monitor [--trials 16] [--seconds 10] [--period-ms 25]
//
// Prints figures; asserts nothing (DESIGN.md: tests never time anything).

#include "core/store/experiment_store.h"
#include "ui/monitor/monitor_panel.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <thread>

using namespace seplab;

namespace {

int argument(int argc, char **argv, const char *name, int fallback)
{
    for (int i = 1; i + 1 < argc; ++i)
        if (std::strcmp(argv[i], name) == 0)
            return std::atoi(argv[i + 1]);
    return fallback;
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    const int trials = argument(argc, argv, "--trials", 16);
    const int seconds = argument(argc, argv, "--seconds", 10);
    const int periodMs = argument(argc, argv, "--period-ms", 25);

    QTemporaryDir dir;
    const std::string path = dir.filePath("bench.db").toStdString();
    std::vector<std::int64_t> ids;
    {
        auto writer = store::ExperimentStore::open(path, store::ExperimentStore::Mode::ReadWrite);
        store::PlanRecord plan;
        plan.name = "bench";
        plan.state = "running";
        store::StageRecord stage;
        stage.planId = writer.addPlan(plan);
        stage.name = "stream";
        stage.kind = "search";
        stage.state = "running";
        stage.spec = {{"metric", {{"name", "val_sisdr"}, {"goal", "maximize"}}},
                      {"bands", {10, 30, 90, 270}}};
        const std::int64_t stageId = writer.addStage(stage);
        for (int t = 0; t < trials; ++t) {
            store::TrialRecord trial;
            trial.stageId = stageId;
            trial.number = t;
            trial.name = "t" + std::to_string(t);
            trial.state = store::TrialState::Running;
            trial.params = {{"lr", 1e-3 * (t + 1)}, {"weight_decay", 1e-5}};
            trial.device = "cuda:" + std::to_string(t % 2);
            trial.startedAt = store::nowSeconds();
            ids.push_back(writer.addTrial(trial));
        }
    }

    std::atomic<bool> done{false};
    std::atomic<int> epochsWritten{0};
    std::thread controller([&] {
        auto writer = store::ExperimentStore::open(path, store::ExperimentStore::Mode::ReadWrite);
        for (int epoch = 1; !done; ++epoch) {
            writer.transaction([&] {
                std::vector<store::MetricRecord> rows;
                for (std::size_t t = 0; t < ids.size(); ++t) {
                    const double value = 8.0 * (1.0 - std::exp(-epoch / (20.0 + 3.0 * t)))
                                         + 0.3 * std::sin(epoch * 0.7 + t);
                    for (const auto &[name, v] :
                         std::vector<std::pair<const char *, double>>{{"val_sisdr", value},
                                                                      {"val_sisdri", value + 2.0},
                                                                      {"train_loss", -value},
                                                                      {"train_sisdr", value + 1.0},
                                                                      {"lr", 1e-3},
                                                                      {"seconds", 60.0}}) {
                        store::MetricRecord row;
                        row.trialId = ids[t];
                        row.step = epoch;
                        row.name = name;
                        row.value = v;
                        row.time = store::nowSeconds();
                        rows.push_back(row);
                    }
                    store::TrialRecord trial = *writer.trial(ids[t]);
                    trial.epochs = epoch;
                    trial.bestValue = std::max(trial.bestValue.value_or(-1e9), value);
                    writer.updateTrial(trial);
                }
                writer.addMetrics(rows);
            });
            epochsWritten = epoch;
            std::this_thread::sleep_for(std::chrono::milliseconds(periodMs));
        }
    });

    ui::MonitorPanel panel;
    panel.resize(1200, 800);
    panel.show();
    QString error;
    if (!panel.openStore(QString::fromStdString(path), &error)) {
        std::fprintf(stderr, "seplab-bench-monitor: %s\n", qPrintable(error));
        return 1;
    }

    QElapsedTimer sinceTick;
    sinceTick.start();
    double longestGapMs = 0.0;
    std::vector<double> gaps;
    QElapsedTimer sinceStart;
    sinceStart.start();
    std::vector<std::pair<double, double>> longGaps; // (at ms, gap ms) over 30 ms
    QTimer probe;
    probe.setInterval(2);
    QObject::connect(&probe, &QTimer::timeout, [&] {
        const double gap = sinceTick.nsecsElapsed() / 1e6;
        sinceTick.restart();
        gaps.push_back(gap);
        if (gap > 30.0)
            longGaps.emplace_back(sinceStart.nsecsElapsed() / 1e6, gap);
        longestGapMs = std::max(longestGapMs, gap);
    });
    // The window's first layout and paint are start-up, not streaming: probe after 500 ms.
    QTimer::singleShot(500, &probe, [&] {
        sinceTick.restart();
        probe.start();
    });
    QTimer::singleShot(seconds * 1000, &app, [&] { app.quit(); });
    app.exec();
    done = true;
    controller.join();
    panel.refreshNow(); // one last full poll, as a GUI opened late would do
    std::sort(gaps.begin(), gaps.end());

    std::printf("monitor stream bench: %d trials, %d s, one epoch of every trial each %d ms\n",
                trials,
                seconds,
                periodMs);
    std::printf("  epochs written per trial   %d (%d metric rows)\n",
                int(epochsWritten),
                int(epochsWritten) * trials * 6);
    std::printf("  longest monitor refresh    %.1f ms\n", panel.longestRefreshMs());
    std::printf("  UI-thread gap (2 ms probe) median %.1f ms, p99 %.1f ms, max %.1f ms\n",
                gaps.empty() ? 0.0 : gaps[gaps.size() / 2],
                gaps.empty() ? 0.0 : gaps[std::size_t(double(gaps.size()) * 0.99)],
                longestGapMs);
    for (const auto &[at, gap] : longGaps)
        std::printf("  gap of %.1f ms at %.0f ms\n", gap, at);
    return 0;
}
