// seplab-cli train: one training run, reported through the trial protocol (JSON lines on
// stdout, mirrored into RUN_DIR/events.jsonl) with human progress on stderr. Each trial of a
// sweep is one such process; SIGTERM (the sweep's early termination) ends it cleanly with
// status `stopped` after the current batch.

#include "cli/arg_parser.h"
#include "cli/command.h"
#include "cli/stop_signals.h"
#include "core/train/torch_threads.h"
#include "core/train/train_config.h"
#include "core/train/trainer.h"
#include "core/train/training_data.h"

#include <chrono>
#include <csignal>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <unistd.h>

namespace seplab::cli {

namespace {

std::string defaultRunDir(const train::TrainConfig &config)
{
    const std::time_t now = std::time(nullptr);
    std::tm local{};
    localtime_r(&now, &local);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &local);
    return "runs/" + config.model.modelType + "_" + data::taskName(config.data.task) + "_" + stamp;
}

} // namespace

int runTrain(const std::vector<std::string> &args)
{
    ArgParser parser("train",
                     "Trains a separation model from a training config (the original project's "
                     "YAML layout).\nPrints one JSON line per event on stdout (start, epoch, "
                     "checkpoint, end) and mirrors them\ninto RUN_DIR/events.jsonl; progress goes "
                     "to stderr. SIGTERM or Ctrl-C stops after the\ncurrent batch, writes "
                     "checkpoints/last.pt and exits 0; --resume continues from it.");
    parser.addOption("config",
                     "YAML",
                     "Training config (default with --resume: RUN_DIR/config.yaml).");
    parser.addListOption("set",
                         "KEY=VALUE",
                         "Override a config key: a dotted path (training.lr=1e-3) or a sweep "
                         "name (lr, batch_size, dropout, ...). Repeatable.");
    parser.addOption("data", "DIR", "PolSESS corpus root (overrides data.data_root).");
    parser.addOption("run-dir", "DIR", "Run folder (default runs/<model>_<task>_<time>).");
    parser.addOption("device", "DEV", "cpu, cuda or cuda:N.", "cpu");
    parser.addOption("resume",
                     "RUN_DIR",
                     "Continue the run in RUN_DIR from checkpoints/last.pt to the configured "
                     "total epochs.");
    parser.addOption("threads", "N", "Intra-op CPU threads for LibTorch (default: measured best).");
    parser.addOption("workers", "N", "Loader threads (default data.num_workers).");
    if (!parser.parse(args)) {
        std::cout << parser.help();
        return 0;
    }
    const bool resume = parser.has("resume");
    if (!parser.has("config") && !resume)
        throw UsageError("train: give --config YAML (or --resume RUN_DIR).");
    if (resume && parser.has("run-dir") && parser.value("run-dir") != parser.value("resume"))
        throw UsageError("train: --resume already names the run folder; drop --run-dir.");

    std::string configPath = parser.value("config");
    if (configPath.empty()) {
        configPath = (std::filesystem::path(parser.value("resume")) / "config.yaml").string();
        if (!std::filesystem::is_regular_file(configPath))
            throw std::runtime_error(parser.value("resume")
                                     + ": not a run folder (no config.yaml in it).");
    }
    std::vector<std::string> overrides = parser.values("set");
    if (parser.has("data"))
        overrides.push_back("data.data_root=" + parser.value("data"));
    const train::TrainConfig config = train::loadTrainConfig(configPath, overrides);

    train::TrainerOptions options;
    options.runDir = resume ? parser.value("resume")
                            : (parser.has("run-dir") ? parser.value("run-dir")
                                                     : defaultRunDir(config));
    options.resume = resume;
    options.device = parser.value("device");
    options.protocol = &std::cout;
    options.progress = &std::cerr;
    options.progressBar = isatty(STDERR_FILENO);
    options.dataRoot = config.data.dataRoot;
    if (parser.has("workers"))
        options.loaderThreads = parser.intValue("workers");
    if (options.loaderThreads < -1)
        throw UsageError("train: --workers must be 0 or more.");
    const int threads = parser.has("threads") ? parser.intValue("threads") : 0;
    if (threads < 0)
        throw UsageError("train: --threads must be 1 or more.");
    train::configureTorchThreads(threads);

    train::TrainingData data = train::openTrainingData(config, config.data.dataRoot);
    StopSignals signals;
    options.stopRequested = &signals.requested();
    // A sweep controller that dies leaves its trials writing to a closed pipe: they keep
    // training (events.jsonl and the checkpoints are the record) until `sweep resume` stops
    // them with SIGTERM, instead of dying on SIGPIPE in the middle of an epoch.
    std::signal(SIGPIPE, SIG_IGN);
    train::Trainer trainer(config, std::move(data), options);
    const train::TrainResult result = trainer.run();
    switch (result.status) {
    case train::TrainStatus::Finished:
    case train::TrainStatus::Stopped:
    case train::TrainStatus::EarlyStopped:
        return 0;
    case train::TrainStatus::Diverged:
    case train::TrainStatus::Failed:
        break;
    }
    std::cerr << "seplab-cli train: " << result.error << "\n";
    return 1;
}

} // namespace seplab::cli
