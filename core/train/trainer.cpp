#include "core/train/trainer.h"

#include "core/data/loading/data_loader.h"
#include "core/models/separator.h"
#include "core/train/checkpoint.h"
#include "core/train/plateau_scheduler.h"
#include "core/train/progress_bar.h"
#include "core/train/train_step.h"
#include "core/train/trainer_state.h"
#include "core/train/trial_reporter.h"
#include "core/train/validation.h"
#include "core/train/yaml_json.h"
#include "seplab_version.h"

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>
#include <set>
#include <sstream>
#include <torch/torch.h>
#include <yaml-cpp/yaml.h>

namespace seplab::train {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

std::string statusName(TrainStatus status)
{
    switch (status) {
    case TrainStatus::Finished:
        return "finished";
    case TrainStatus::Stopped:
        return "stopped";
    case TrainStatus::EarlyStopped:
        return "early_stopped";
    case TrainStatus::Diverged:
        return "diverged";
    case TrainStatus::Failed:
        break;
    }
    return "failed";
}

namespace {

double secondsSince(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// The original's AMP rule (spec models.md §2): bf16 without a scaler for the Mamba family and
// MossFormer2, fp16 with a loss scaler for the rest.
c10::ScalarType autocastDtypeFor(const std::string &modelType, const std::string &ampDtype)
{
    if (ampDtype == "fp16")
        return c10::ScalarType::Half;
    if (ampDtype == "bf16")
        return c10::ScalarType::BFloat16;
    static const std::set<std::string> bf16Models = {"spmamba",
                                                     "mamba_tasnet",
                                                     "dpmamba",
                                                     "mossformer2"};
    return bf16Models.count(modelType) ? c10::ScalarType::BFloat16 : c10::ScalarType::Half;
}

} // namespace

std::string ampModeFor(const TrainConfig &config, const std::string &device)
{
    if (!config.training.useAmp || !torch::Device(device).is_cuda())
        return "none";
    return autocastDtypeFor(config.model.modelType, config.training.ampDtype)
                   == c10::ScalarType::BFloat16
               ? "bf16"
               : "fp16";
}

namespace {

// The model section as the model is built from it. With AMP the original patches the module
// EPS of ConvTasNet's norms to amp_eps (its only effect; spec models.md §1.2).
nlohmann::json modelParamsFor(const TrainConfig &config)
{
    nlohmann::json params = config.model.params;
    if (config.model.modelType == "convtasnet" && config.training.useAmp
        && !params.contains("norm_eps"))
        params["norm_eps"] = config.training.ampEps;
    return params;
}

void writeTextAtomically(const std::string &path, const std::string &text)
{
    const std::string temporary = path + ".tmp";
    {
        std::ofstream file(temporary, std::ios::trunc);
        file << text;
        if (!file.flush())
            throw std::runtime_error(path + ": could not be written.");
    }
    replaceFileAtomically(temporary, path);
}

} // namespace

struct Trainer::Impl
{
    TrainConfig config;
    TrainingData data;
    TrainerOptions options;

    torch::Device device{torch::kCPU};
    models::SeparatorPtr model;
    std::unique_ptr<torch::optim::Adam> optimizer;
    std::unique_ptr<TrainStep> step;
    std::unique_ptr<PlateauScheduler> scheduler;
    std::unique_ptr<data::DataLoader> loader;
    std::unique_ptr<TrialReporter> reporter;
    std::unique_ptr<RunLog> log;
    LoopState state;
    std::string resolvedYaml;
    int currentStage = -2; // curriculum stage applied to the training set; -2: none yet
    int resumedFrom = -1;

    Impl(TrainConfig c, TrainingData d, TrainerOptions o)
        : config(std::move(c))
        , data(std::move(d))
        , options(std::move(o))
    {}

    std::string checkpointPath(const std::string &name) const
    {
        return (fs::path(options.runDir) / "checkpoints" / name).string();
    }

    int loaderThreads() const
    {
        return options.loaderThreads >= 0 ? options.loaderThreads : config.data.numWorkers;
    }

    double currentLr() const
    {
        return static_cast<const torch::optim::AdamOptions &>(
                   optimizer->param_groups().front().options())
            .lr();
    }

    void setLr(double lr)
    {
        for (torch::optim::OptimizerParamGroup &group : optimizer->param_groups())
            static_cast<torch::optim::AdamOptions &>(group.options()).lr(lr);
    }

    void setUp();
    void restore();
    void emitStart();
    void applyCurriculum(int epoch);
    // Returns false when a stop was requested (the epoch is left in state.inProgress).
    std::optional<TrainStatus> trainEpoch(int epoch);
    void saveLast();
    void saveCheckpoint(const std::string &path);
    TrainResult finish(TrainStatus status, const std::string &error = {});
};

void Trainer::Impl::setUp()
{
    if (config.data.batchSize < 1)
        throw std::runtime_error("data.batch_size must be at least 1.");
    fs::create_directories(fs::path(options.runDir) / "checkpoints");
    reporter = std::make_unique<TrialReporter>(options.protocol,
                                               (fs::path(options.runDir) / "events.jsonl").string());
    log = std::make_unique<RunLog>(options.progress,
                                   (fs::path(options.runDir) / "log.txt").string());

    device = torch::Device(options.device);
    if (device.is_cuda() && !torch::cuda::is_available())
        throw std::runtime_error("--device " + options.device + ": CUDA is not available here.");

    // Seeded everything, as the original's set_seed: the model's initialisation comes from the
    // torch generator; data order and variants from (seed, epoch, index) in the loader.
    torch::manual_seed(config.training.seed);
    at::globalContext().setDeterministicCuDNN(true);
    at::globalContext().setBenchmarkCuDNN(false);
    at::globalContext().setFloat32MatmulPrecision("high");

    try {
        model = models::createModel(config.model.modelType, modelParamsFor(config));
    } catch (const std::invalid_argument &error) {
        throw std::runtime_error(config.source + ": model." + config.model.modelType + ": "
                                 + error.what());
    }
    model->to(device);
    model->train();
    if (model->sources() != data.train->sources())
        throw std::runtime_error(config.source + ": the model separates "
                                 + std::to_string(model->sources()) + " source(s) but the task has "
                                 + std::to_string(data.train->sources()) + ".");

    optimizer = std::make_unique<torch::optim::Adam>(model->parameters(),
                                                     torch::optim::AdamOptions(config.training.lr)
                                                         .betas({0.9, 0.999})
                                                         .eps(1e-8)
                                                         .weight_decay(config.training.weightDecay));
    StepSettings settings;
    settings.gradClipNorm = config.training.gradClipNorm;
    settings.accumulationSteps = config.training.gradAccumulationSteps;
    settings.autocast = config.training.useAmp && device.is_cuda();
    settings.autocastDtype = autocastDtypeFor(config.model.modelType, config.training.ampDtype);
    settings.lossScaling = settings.autocast && settings.autocastDtype == c10::ScalarType::Half;
    step = std::make_unique<TrainStep>(*model, *optimizer, settings);
    scheduler = std::make_unique<PlateauScheduler>(config.training.lrFactor,
                                                   config.training.lrPatience);

    data::LoaderOptions loaderOptions;
    loaderOptions.batchSize = config.data.batchSize;
    loaderOptions.shuffle = true;
    loaderOptions.seed = config.training.seed;
    loaderOptions.threads = loaderThreads();
    loaderOptions.prefetchBatches = std::max(1,
                                             config.data.prefetchFactor
                                                 * std::max(1, loaderThreads()));
    loaderOptions.segmentSamples = static_cast<std::int64_t>(
        std::llround(config.data.segmentSeconds * data.train->sampleRate()));
    loaderOptions.lengthMode = loaderOptions.segmentSamples > 0 ? data::LengthMode::RandomCrop
                                                                : data::LengthMode::PadToLongest;
    loader = std::make_unique<data::DataLoader>(data.train, loaderOptions);

    state.lr = config.training.lr;
    if (options.resume)
        restore();

    resolvedYaml = resolvedConfigYaml(config, model->params());
    writeTextAtomically((fs::path(options.runDir) / "config.yaml").string(), resolvedYaml);
}

void Trainer::Impl::restore()
{
    const std::string path = checkpointPath("last.pt");
    const CheckpointMeta meta = readCheckpointMeta(path);
    if (meta.trainerState.is_null())
        throw std::runtime_error(path + ": holds weights only (imported), not a training state.");
    loadModelWeights(path, *model);
    model->to(device);
    loadOptimizerState(path, *optimizer);
    state = loopStateFromJson(meta.trainerState);
    scheduler->restore(meta.trainerState.at("scheduler"));
    if (step->scaler() && meta.trainerState.contains("scaler")
        && !meta.trainerState["scaler"].is_null())
        step->scaler()->restore(meta.trainerState.at("scaler"));
    restoreGeneratorState(meta.trainerState.at("rng_cpu").get<std::string>());
    // The optimiser archive of LibTorch 1.13 does not carry the learning rate; the record does
    // (it may have been reduced by the scheduler).
    setLr(meta.trainerState.at("lr").get<double>());
    resumedFrom = state.epochsCompleted;
}

void Trainer::Impl::emitStart()
{
    nlohmann::json params = {{"model_type", config.model.modelType},
                             {"lr", config.training.lr},
                             {"weight_decay", config.training.weightDecay},
                             {"grad_clip_norm", config.training.gradClipNorm},
                             {"lr_factor", config.training.lrFactor},
                             {"lr_patience", config.training.lrPatience},
                             {"num_epochs", config.training.numEpochs},
                             {"batch_size", config.data.batchSize},
                             {"seed", config.training.seed}};
    const StepSettings &settings = step->settings();
    std::string amp = "none";
    if (settings.autocast)
        amp = settings.autocastDtype == c10::ScalarType::Half ? "fp16" : "bf16";
    nlohmann::json start = {{"event", "start"},
                            {"seplab_version", SEPLAB_VERSION},
                            {"run_dir", options.runDir},
                            {"device", options.device},
                            {"amp", amp},
                            {"config", yamlToJson(YAML::Load(resolvedYaml))},
                            {"params", params},
                            {"model_params", models::parameterCount(*model)},
                            {"train_samples", data.train->size()},
                            {"train_data", data.train->describe()},
                            {"manifest_hash", data.train->manifestHash()},
                            {"resumed_from_epoch",
                             resumedFrom >= 0 ? nlohmann::json(resumedFrom)
                                              : nlohmann::json(nullptr)}};
    std::size_t valSamples = 0;
    for (const ValidationSet &set : data.validation)
        valSamples += set.dataset->size();
    start["val_samples"] = valSamples;
    if (!data.validation.empty())
        start["val_manifest_hash"] = data.validation.front().dataset->manifestHash();
    reporter->emit(start);
    log->line("SepLab " + std::string(SEPLAB_VERSION) + ": training " + config.model.modelType
              + " (" + std::to_string(models::parameterCount(*model)) + " parameters) on "
              + options.device + ", AMP " + amp + "; " + data.train->describe());
    for (const std::string &warning : config.warnings)
        log->line("warning: " + warning);
}

void Trainer::Impl::applyCurriculum(int epoch)
{
    const data::Curriculum &curriculum = config.training.curriculum;
    if (curriculum.empty() || !data.setTrainVariants)
        return;
    const int stage = curriculum.stageAt(epoch);
    if (stage == currentStage)
        return;
    data.setTrainVariants(curriculum.variantsAt(epoch));
    currentStage = stage;
    log->line("epoch " + std::to_string(epoch) + ": curriculum variants "
              + data::variantNames(curriculum.variantsAt(epoch)) + " ("
              + std::to_string(data.train->size()) + " training clips)");
}

std::optional<TrainStatus> Trainer::Impl::trainEpoch(int epoch)
{
    EpochProgress progress;
    if (state.inProgress && state.inProgress->epoch == epoch)
        progress = *state.inProgress;
    progress.epoch = epoch;
    state.inProgress.reset();

    model->train();
    loader->startEpoch(epoch);
    const std::size_t batches = loader->batchesPerEpoch();
    // A resumed epoch continues after the batches it had already trained on; the loader's order
    // depends only on (seed, epoch), so skipping them lands on the very next batch.
    for (std::size_t i = 0; i < progress.batchesDone; ++i)
        loader->next();

    const int window = config.training.gradAccumulationSteps;
    ProgressBar bar(options.progress,
                    options.progressBar,
                    "epoch " + std::to_string(epoch) + "/"
                        + std::to_string(config.training.numEpochs));
    const auto started = Clock::now()
                         - std::chrono::duration_cast<Clock::duration>(
                             std::chrono::duration<double>(progress.trainSeconds));
    while (std::optional<data::Batch> batch = loader->next()) {
        const std::size_t index = progress.batchesDone;
        const bool lastOfWindow = (index + 1) % std::size_t(window) == 0 || index + 1 == batches;
        const at::Tensor mix = batch->mix.to(device);
        const at::Tensor targets = batch->targets.to(device);
        const StepOutcome outcome = step->run(mix, targets, lastOfWindow);
        ++progress.batchesDone;
        if (!outcome.finite) {
            ++progress.nanBatches;
            if (++state.consecutiveNan >= options.maxConsecutiveNan) {
                progress.trainSeconds = secondsSince(started);
                state.inProgress = progress;
                return TrainStatus::Diverged;
            }
        } else {
            state.consecutiveNan = 0;
            const double size = double(batch->mix.size(0));
            progress.lossSum += outcome.loss * size;
            progress.samples += static_cast<std::size_t>(size);
        }
        if (outcome.stepped)
            ++state.optimizerSteps;
        bar.update(progress.batchesDone,
                   batches,
                   progress.samples ? progress.lossSum / double(progress.samples) : 0.0);
        // Stops only where an accumulation window closes, so no gradient is lost.
        if (lastOfWindow && options.stopRequested && options.stopRequested->load()
            && progress.batchesDone < batches) {
            bar.finish();
            progress.trainSeconds = secondsSince(started);
            state.inProgress = progress;
            return TrainStatus::Stopped;
        }
    }
    bar.finish();
    progress.trainSeconds = secondsSince(started);
    state.inProgress = progress; // read by run() for the epoch's figures, then cleared
    return std::nullopt;
}

void Trainer::Impl::saveCheckpoint(const std::string &path)
{
    CheckpointMeta meta;
    meta.modelType = model->typeName();
    meta.modelParams = model->params();
    meta.sampleRate = data.train->sampleRate();
    meta.task = data::taskName(config.data.task);
    meta.configYaml = resolvedYaml;
    meta.trainerState = loopStateToJson(state);
    meta.trainerState["scheduler"] = scheduler->state();
    meta.trainerState["scaler"] = step->scaler() ? step->scaler()->state()
                                                 : nlohmann::json(nullptr);
    meta.trainerState["rng_cpu"] = generatorState();
    meta.trainerState["lr"] = currentLr();
    // Checkpoints hold CPU tensors so that any machine can open them.
    model->to(torch::kCPU);
    try {
        train::saveCheckpoint(path, *model, meta, optimizer.get());
    } catch (...) {
        model->to(device);
        throw;
    }
    model->to(device);
}

void Trainer::Impl::saveLast()
{
    saveCheckpoint(checkpointPath("last.pt"));
    reporter->emit({{"event", "checkpoint"},
                    {"kind", "last"},
                    {"epoch", state.epochsCompleted},
                    {"path", checkpointPath("last.pt")}});
}

TrainResult Trainer::Impl::finish(TrainStatus status, const std::string &error)
{
    TrainResult result;
    result.status = status;
    result.epochsCompleted = state.epochsCompleted;
    result.bestValSiSdr = std::isinf(state.best) ? std::nan("") : state.best;
    result.error = error;
    nlohmann::json end = {{"event", "end"},
                          {"status", statusName(status)},
                          {"epochs", state.epochsCompleted},
                          {"best_val_sisdr",
                           std::isinf(state.best) ? nlohmann::json(nullptr)
                                                  : nlohmann::json(state.best)},
                          {"best_epoch", state.bestEpoch},
                          {"error",
                           error.empty() ? nlohmann::json(nullptr) : nlohmann::json(error)}};
    if (reporter)
        reporter->emit(end);
    if (log)
        log->line("end: " + statusName(status) + (error.empty() ? "" : " (" + error + ")"));
    return result;
}

Trainer::Trainer(TrainConfig config, TrainingData data, TrainerOptions options)
    : m_impl(std::make_unique<Impl>(std::move(config), std::move(data), std::move(options)))
{}

Trainer::~Trainer() = default;

TrainResult Trainer::run()
{
    Impl &d = *m_impl;
    d.setUp();
    d.emitStart();
    const TrainingSettings &training = d.config.training;
    try {
        for (int epoch = d.state.epochsCompleted + 1; epoch <= training.numEpochs; ++epoch) {
            const auto epochStart = Clock::now();
            d.applyCurriculum(epoch);
            const double lrUsed = d.currentLr();
            if (const std::optional<TrainStatus> interrupted = d.trainEpoch(epoch)) {
                if (*interrupted == TrainStatus::Stopped) {
                    d.saveLast();
                    return d.finish(TrainStatus::Stopped);
                }
                return d.finish(TrainStatus::Diverged,
                                std::to_string(d.options.maxConsecutiveNan)
                                    + " consecutive batches had a NaN or Inf loss");
            }
            const EpochProgress progress = *d.state.inProgress;
            d.state.inProgress.reset();

            const auto validationStart = Clock::now();
            ValidationOptions validationOptions;
            validationOptions.device = d.options.device;
            validationOptions.batchSize = d.config.data.batchSize;
            validationOptions.loaderThreads = d.loaderThreads();
            validationOptions.epoch = epoch;
            const ValidationResult validation = validate(*d.model,
                                                         d.data.validation,
                                                         validationOptions);
            const double validationSeconds = secondsSince(validationStart);
            // Per-variant validation monitors the mean SI-SDRi over the variants (spec §2).
            const double monitored = training.perVariantValidation ? validation.siSdri
                                                                   : validation.siSdr;

            // Early stopping counts from epoch 1 whatever the scheduler does; the scheduler
            // steps only once the curriculum has started it (always without a curriculum).
            const bool improved = monitored > d.state.best;
            if (improved) {
                d.state.best = monitored;
                d.state.bestEpoch = epoch;
                d.state.epochsNoImprovement = 0;
            } else {
                ++d.state.epochsNoImprovement;
            }
            const bool schedulerActive = training.curriculum.empty()
                                         || training.curriculum.schedulerActiveAt(epoch);
            if (schedulerActive)
                d.setLr(d.scheduler->step(monitored, d.currentLr()));
            d.state.epochsCompleted = epoch;

            const double trainLoss = progress.samples ? progress.lossSum / double(progress.samples)
                                                      : std::nan("");
            nlohmann::json event = {{"event", "epoch"},
                                    {"epoch", epoch},
                                    {"train_loss", trainLoss},
                                    {"train_sisdr", -trainLoss},
                                    {"val_sisdr", validation.siSdr},
                                    {"val_sisdri", validation.siSdri},
                                    {"best_val_sisdr", d.state.best},
                                    {"lr", lrUsed},
                                    {"next_lr", d.currentLr()},
                                    {"seconds", secondsSince(epochStart)},
                                    {"train_seconds", progress.trainSeconds},
                                    {"val_seconds", validationSeconds},
                                    {"samples_per_s",
                                     progress.trainSeconds > 0
                                         ? double(progress.samples) / progress.trainSeconds
                                         : 0.0},
                                    {"train_samples", progress.samples},
                                    {"val_samples", validation.samples},
                                    {"nan_batches", progress.nanBatches},
                                    {"epochs_no_improvement", d.state.epochsNoImprovement},
                                    {"scheduler_active", schedulerActive},
                                    {"loader_wait_s", d.loader->stats().waitSeconds}};
            if (training.perVariantValidation) {
                for (const SetScores &set : validation.sets) {
                    event["val_sisdr_" + set.name] = set.siSdr;
                    event["val_sisdri_" + set.name] = set.siSdri;
                }
            }
            if (!training.curriculum.empty())
                event["variants"] = data::variantNames(training.curriculum.variantsAt(epoch));
            d.reporter->emit(event);
            std::ostringstream line;
            line.precision(3);
            line << std::fixed << "epoch " << epoch << "/" << training.numEpochs << ": train "
                 << -trainLoss << " dB, val " << validation.siSdr << " dB (SI-SDRi "
                 << validation.siSdri << "), best " << d.state.best << " dB, lr "
                 << std::defaultfloat << lrUsed << std::fixed << ", "
                 << event["samples_per_s"].get<double>() << " samples/s";
            d.log->line(line.str());

            d.saveLast();
            if (improved) {
                std::filesystem::copy_file(d.checkpointPath("last.pt"),
                                           d.checkpointPath("best.pt.tmp"),
                                           std::filesystem::copy_options::overwrite_existing);
                replaceFileAtomically(d.checkpointPath("best.pt.tmp"), d.checkpointPath("best.pt"));
                d.reporter->emit({{"event", "checkpoint"},
                                  {"kind", "best"},
                                  {"epoch", epoch},
                                  {"val_sisdr", monitored},
                                  {"path", d.checkpointPath("best.pt")}});
            }
            if (training.saveAllCheckpoints)
                std::filesystem::copy_file(d.checkpointPath("last.pt"),
                                           d.checkpointPath("epoch" + std::to_string(epoch) + ".pt"),
                                           std::filesystem::copy_options::overwrite_existing);
            if (training.earlyStoppingPatience
                && d.state.epochsNoImprovement >= *training.earlyStoppingPatience)
                return d.finish(TrainStatus::EarlyStopped);
            if (d.options.stopRequested && d.options.stopRequested->load()
                && epoch < training.numEpochs)
                return d.finish(TrainStatus::Stopped);
        }
        return d.finish(TrainStatus::Finished);
    } catch (const std::exception &error) {
        return d.finish(TrainStatus::Failed, error.what());
    }
}

} // namespace seplab::train
