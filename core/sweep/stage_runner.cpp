#include "core/sweep/stage_runner.h"

#include "core/data/fnv1a.h"
#include "core/exec/trial_line.h"
#include "core/sweep/sweep_controller.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

namespace seplab::sweep {

namespace {

using nlohmann::json;
namespace fs = std::filesystem;

std::string trialName(const std::string &stage, std::size_t number)
{
    char digits[16];
    std::snprintf(digits, sizeof digits, "%03zu", number + 1);
    return stage + "-" + digits;
}

TrialOutcome outcomeOf(store::TrialState state)
{
    switch (state) {
    case store::TrialState::Finished:
        return TrialOutcome::Finished;
    case store::TrialState::Stopped:
        return TrialOutcome::Stopped;
    case store::TrialState::Failed:
    case store::TrialState::Diverged:
        return TrialOutcome::Failed;
    case store::TrialState::Pending:
    case store::TrialState::Running:
        break;
    }
    return TrialOutcome::Running;
}

std::string formatValue(const std::optional<double> &value)
{
    if (!value)
        return "none";
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.3f", *value);
    return buffer;
}

} // namespace

StageRunner::StageRunner(StageContext context, store::StageRecord record, DerivedStage derived)
    : m_context(std::move(context))
    , m_record(std::move(record))
    , m_derived(std::move(derived))
    , m_ingest(m_context.plan->metric.name, m_context.plan->metric.maximize())
{
    const StagePlan &plan = stage();
    if (plan.kind == StagePlan::Kind::Search) {
        const std::uint64_t seed = m_context.plan->seed * 1000003ULL + data::fnv1a(plan.name);
        m_sampler = makeSampler(plan.sweep.method, m_derived.space, m_context.plan->metric, seed);
    }
    if (plan.sweep.earlyTerminate)
        m_stopper = makeEarlyStopper(*plan.sweep.earlyTerminate, m_context.plan->metric.maximize());
}

StageRunner::~StageRunner() = default;

const StagePlan &StageRunner::stage() const
{
    return m_context.plan->stages.at(std::size_t(m_context.stageIndex));
}

std::uint64_t StageRunner::targetCount() const
{
    if (stage().kind != StagePlan::Kind::Search)
        return m_derived.fixed.size();
    if (m_context.trialsOverride)
        return std::uint64_t(*m_context.trialsOverride);
    if (stage().trials)
        return std::uint64_t(*stage().trials);
    return std::numeric_limits<std::uint64_t>::max(); // a grid runs until exhausted
}

std::size_t StageRunner::parallelLimit() const
{
    const std::size_t slots = m_context.executor->capacity();
    return stage().parallel > 0 ? std::min(slots, std::size_t(stage().parallel)) : slots;
}

std::vector<TrialObservation> StageRunner::observations() const
{
    std::vector<TrialObservation> out;
    for (std::size_t i = 0; i < m_trials.size(); ++i)
        out.push_back({m_trials[i].params, outcomeOf(m_trials[i].state), m_history[i]});
    return out;
}

bool StageRunner::targetReached() const
{
    const auto &target = m_context.plan->metric.target;
    if (!target)
        return false;
    const bool maximize = m_context.plan->metric.maximize();
    for (const store::TrialRecord &trial : m_trials)
        if (trial.bestValue
            && (maximize ? *trial.bestValue >= *target : *trial.bestValue <= *target))
            return true;
    return false;
}

void StageRunner::addTrialEvent(const store::TrialRecord &trial,
                                const std::string &kind,
                                nlohmann::json payload)
{
    m_context.store->addEvent(
        {0, trial.id, m_record.planId, kind, std::move(payload), store::nowSeconds()});
}

void StageRunner::say(const std::string &line) const
{
    if (m_context.log)
        *m_context.log << line << std::endl;
}

bool StageRunner::trainsWithSeplab() const
{
    return m_context.launchTemplate.program.empty() && m_context.launchTemplate.command.empty();
}

bool StageRunner::hasWaitingTrial() const
{
    for (std::size_t i = 0; i < m_trials.size(); ++i) {
        const bool waiting = m_trials[i].state == store::TrialState::Pending
                             || m_trials[i].state == store::TrialState::Running;
        const bool active = std::any_of(m_running.begin(), m_running.end(), [&](const Running &r) {
            return r.index == i;
        });
        if (waiting && !active)
            return true;
    }
    return false;
}

void StageRunner::releaseSlot(const Running &running)
{
    if (running.slot)
        m_context.executor->release(running.slot->index);
}

void StageRunner::noteExecutorNotices(Running &running)
{
    const std::string notice = running.process->takeNotice();
    if (notice.empty())
        return;
    const store::TrialRecord &trial = m_trials[running.index];
    addTrialEvent(trial, "executor", {{"message", notice}});
    say(trial.name + ": " + notice);
}

bool StageRunner::launchNext()
{
    if (m_context.stopRequested && m_context.stopRequested->load())
        return false;
    // Interrupted trials first: they continue from their last.pt.
    for (std::size_t i = 0; i < m_trials.size(); ++i) {
        const store::TrialRecord &trial = m_trials[i];
        const bool waiting = trial.state == store::TrialState::Pending
                             || trial.state == store::TrialState::Running;
        const bool active = std::any_of(m_running.begin(), m_running.end(), [&](const Running &r) {
            return r.index == i;
        });
        if (!waiting || active)
            continue;
        const std::optional<exec::Slot> slot = m_context.executor->acquire();
        if (!slot)
            return false;
        const bool resume = trainsWithSeplab()
                            && fs::exists(fs::path(trial.runDir) / "checkpoints" / "last.pt");
        if (!resume) {
            // A fresh start reports every step again.
            m_context.store->deleteMetrics(trial.id);
            m_history[i].clear();
            m_lastStep[i] = 0;
        }
        launch(i, *slot, resume);
        return true;
    }
    if (m_exhausted || m_trials.size() >= targetCount() || targetReached())
        return false;
    const std::optional<exec::Slot> slot = m_context.executor->acquire();
    if (!slot)
        return false;

    const std::size_t number = m_trials.size();
    store::TrialRecord trial;
    trial.stageId = m_record.id;
    trial.number = int(number);
    trial.name = trialName(stage().name, number);
    if (stage().kind == StagePlan::Kind::Search) {
        const std::optional<json> suggestion = m_sampler->suggest(number, observations());
        if (!suggestion) {
            m_exhausted = true;
            m_context.executor->release(slot->index);
            return false;
        }
        trial.params = *suggestion;
        trial.provenance = {{"sampler", m_sampler->method()}};
    } else {
        const FixedTrial &fixed = m_derived.fixed.at(number);
        trial.params = fixed.params;
        trial.provenance = {{"group", fixed.group}, {"provenance", fixed.provenance}};
    }
    if (trial.params.contains("seed") && trial.params["seed"].is_number_integer())
        trial.seed = trial.params["seed"].get<std::int64_t>();
    trial.runDir = (fs::path(m_context.runsRoot) / stage().name / trial.name).string();
    trial.state = store::TrialState::Pending;
    trial.createdAt = store::nowSeconds();
    trial.id = m_context.store->addTrial(trial);
    m_trials.push_back(trial);
    m_history.emplace_back();
    m_lastStep.push_back(0);
    launch(m_trials.size() - 1, *slot, false);
    return true;
}

void StageRunner::launch(std::size_t index, const exec::Slot &slot, bool resume)
{
    store::TrialRecord &trial = m_trials[index];
    TrialLaunch launch = m_context.launchTemplate;
    launch.device = slot.device;
    launch.cudaVisibleDevices = slot.cudaVisibleDevices;
    launch.runDir = trial.runDir;
    launch.resume = resume;
    std::error_code ignored;
    if (!resume)
        fs::remove_all(trial.runDir, ignored); // a fresh start never mixes with an old attempt
    fs::create_directories(trial.runDir);

    Running running;
    running.slot = slot;
    running.index = index;
    try {
        exec::TrialStart start;
        start.name = m_context.plan->name + "-" + trial.name;
        start.runDir = trial.runDir;
        launch.resume = false;
        start.fresh = trialLaunchSpec(launch, trial.params);
        if (trainsWithSeplab()) {
            launch.resume = true;
            start.resume = trialLaunchSpec(launch, trial.params);
        }
        start.resumeNow = resume;
        trial.command = resume && start.resume ? start.resume->argv : start.fresh.argv;
        running.process = m_context.executor->start(start, slot);
    } catch (const exec::StartDeferred &deferred) {
        // Tried again once the executor's back-off has passed; the trial waits, pending.
        m_context.executor->release(slot.index);
        say(trial.name + " waits: " + deferred.what());
        return;
    } catch (const std::exception &error) {
        trial.state = store::TrialState::Failed;
        trial.error = error.what();
        trial.finishedAt = store::nowSeconds();
        m_context.store->updateTrial(trial);
        m_context.executor->release(slot.index);
        say(trial.name + " could not start: " + error.what());
        return;
    }
    trial.pid = running.process->pid();
    trial.jobId = running.process->jobId();
    trial.device = m_context.executor->deviceLabel(slot);
    trial.state = store::TrialState::Running;
    if (trial.startedAt == 0)
        trial.startedAt = store::nowSeconds();
    m_context.store->updateTrial(trial);
    say(trial.name + (resume ? " resumed on " : " started on ") + trial.device
        + (trial.jobId.empty() ? std::string() : " (" + running.process->describe() + ")") + ": "
        + paramsSummary(trial.params));
    m_running.push_back(std::move(running));
}

bool StageRunner::ingest(Running &running)
{
    store::TrialRecord &trial = m_trials[running.index];
    std::vector<store::MetricRecord> metrics;
    bool changed = false;
    bool advanced = false;
    for (const std::string &text : running.process->readLines()) {
        const exec::TrialLine line = exec::parseTrialLine(text);
        if (line.kind == exec::TrialLine::Kind::Text) {
            running.textTail.push_back(text);
            if (running.textTail.size() > 20)
                running.textTail.erase(running.textTail.begin());
            continue;
        }
        if (line.kind == exec::TrialLine::Kind::Event && line.payload.value("event", "") == "start")
            running.endStatus.reset(); // a requeued or re-attached job's new attempt
        IngestResult result = m_ingest.apply(trial,
                                             line,
                                             m_lastStep[running.index],
                                             m_history[running.index]);
        metrics.insert(metrics.end(), result.metrics.begin(), result.metrics.end());
        changed = changed || result.recordChanged;
        advanced = advanced || result.metricAdvanced;
        if (result.endStatus)
            running.endStatus = result.endStatus;
    }
    noteExecutorNotices(running);
    if (!metrics.empty() || changed)
        m_context.store->transaction([&] {
            if (!metrics.empty())
                m_context.store->addMetrics(metrics);
            m_context.store->updateTrial(trial);
        });
    return advanced;
}

void StageRunner::applyEarlyTermination()
{
    if (!m_stopper)
        return;
    std::vector<RunProgress> runs;
    const double now = store::nowSeconds();
    for (std::size_t i = 0; i < m_trials.size(); ++i) {
        const auto active = std::find_if(m_running.begin(), m_running.end(), [&](const Running &r) {
            return r.index == i;
        });
        const bool running = active != m_running.end() && !active->stopRequested;
        const double runtime = m_trials[i].startedAt > 0 ? now - m_trials[i].startedAt : 0.0;
        runs.push_back({m_trials[i].id, running, m_history[i], runtime});
    }
    for (const std::int64_t id : m_stopper->runsToStop(runs)) {
        for (Running &running : m_running) {
            store::TrialRecord &trial = m_trials[running.index];
            if (trial.id != id || running.stopRequested)
                continue;
            running.stopRequested = true;
            running.process->terminate();
            addTrialEvent(trial,
                          "early_stop",
                          {{"rule", m_stopper->describe()},
                           {"iteration", m_history[running.index].size()},
                           {"best", trial.bestValue ? json(*trial.bestValue) : json()}});
            say(trial.name + " stopped by " + m_stopper->describe() + " after "
                + std::to_string(m_history[running.index].size()) + " values (best "
                + formatValue(trial.bestValue) + ")");
        }
    }
}

void StageRunner::enforceKillDelay()
{
    for (Running &running : m_running)
        if (running.process->secondsSinceTerminate() > m_context.killDelay)
            running.process->kill();
}

void StageRunner::reapExited()
{
    for (auto it = m_running.begin(); it != m_running.end();) {
        Running &running = *it;
        if (!running.process->poll()) {
            ++it;
            continue;
        }
        // Drain what the trial printed before it exited.
        for (int attempt = 0; attempt < 50 && !running.process->outputDrained(); ++attempt) {
            ingest(running);
            if (!running.process->outputDrained())
                m_context.executor->waitForActivity({running.process.get()}, 20);
        }
        ingest(running);
        store::TrialRecord &trial = m_trials[running.index];
        trial.exitCode = running.process->exitCode();
        trial.state = finalTrialState(running.endStatus,
                                      running.process->exitCode(),
                                      running.process->termSignal(),
                                      running.stopRequested);
        // The cluster ended it (a time limit, a node failure, an OOM kill, an scancel by
        // hand): a failure with Slurm's reason, even when the trial saved itself as `stopped`.
        const std::string endReason = running.process->endReason();
        if (!endReason.empty() && !running.stopRequested
            && trial.state != store::TrialState::Finished) {
            trial.state = store::TrialState::Failed;
            trial.error = endReason;
        } else if (running.reattached && trial.state == store::TrialState::Stopped
                   && !stoppedByRule(trial.id)) {
            // Stopped by the controller that died (a `sweep stop` it passed on before it was
            // killed): interrupted, not judged, so it continues from its last.pt.
            trial.state = store::TrialState::Pending;
            m_context.store->updateTrial(trial);
            addTrialEvent(trial, "interrupted", {{"epochs", trial.epochs}});
            releaseSlot(running);
            say(trial.name + " was interrupted; it continues from its last.pt");
            it = m_running.erase(it);
            continue;
        }
        trial.finishedAt = store::nowSeconds();
        if (trial.state == store::TrialState::Failed || trial.state == store::TrialState::Diverged) {
            std::string tail = running.process->stderrTail(30);
            for (const std::string &line : running.textTail)
                tail += line + "\n";
            trial.logTail = tail;
            if (trial.error.empty())
                trial.error = running.process->termSignal() != 0
                                  ? "killed by signal "
                                        + std::to_string(running.process->termSignal())
                                  : "exited with status "
                                        + std::to_string(running.process->exitCode());
        }
        m_context.store->updateTrial(trial);
        releaseSlot(running);
        say(trial.name + " " + store::trialStateName(trial.state) + ": best "
            + formatValue(trial.bestValue) + " after " + std::to_string(trial.epochs) + " epochs"
            + (trial.error.empty() ? "" : " (" + trial.error + ")"));
        it = m_running.erase(it);
    }
}

void StageRunner::interruptAll()
{
    for (Running &running : m_running)
        running.process->terminate();
    while (!m_running.empty()) {
        std::vector<exec::TrialHandle *> processes;
        for (Running &running : m_running) {
            processes.push_back(running.process.get());
            ingest(running);
        }
        m_context.executor->waitForActivity(processes, m_context.pollMilliseconds);
        enforceKillDelay();
        for (auto it = m_running.begin(); it != m_running.end();) {
            if (!it->process->poll()) {
                ++it;
                continue;
            }
            ingest(*it);
            // Left pending: `sweep resume` continues it from its last.pt.
            store::TrialRecord &trial = m_trials[it->index];
            trial.state = store::TrialState::Pending;
            m_context.store->updateTrial(trial);
            addTrialEvent(trial, "interrupted", {{"epochs", trial.epochs}});
            releaseSlot(*it);
            say(trial.name + " interrupted after " + std::to_string(trial.epochs)
                + " epochs; `sweep resume` continues it");
            it = m_running.erase(it);
        }
    }
}

StageOutcome StageRunner::run()
{
    loadTrials();
    restartUnfinished();
    say("stage '" + stage().name + "' (" + stage().kindName() + ", "
        + (stage().kind == StagePlan::Kind::Search
               ? stage().sweep.method
               : std::to_string(m_derived.fixed.size()) + " configurations")
        + (m_stopper ? ", " + m_stopper->describe() : std::string()) + ")");
    for (const std::string &line : m_derived.lines)
        say("  " + line);
    while (true) {
        if (m_context.stopRequested && m_context.stopRequested->load()) {
            interruptAll();
            return StageOutcome::Stopped;
        }
        while (m_running.size() < parallelLimit() && launchNext()) {
        }
        if (m_running.empty()) {
            if (m_context.stopRequested && m_context.stopRequested->load())
                return StageOutcome::Stopped;
            if (!hasWaitingTrial())
                break;
            // A trial waits for the executor (a Slurm submission backing off).
            m_context.executor->waitForActivity({}, m_context.pollMilliseconds);
            continue;
        }
        std::vector<exec::TrialHandle *> processes;
        for (Running &running : m_running)
            processes.push_back(running.process.get());
        m_context.executor->waitForActivity(processes, m_context.pollMilliseconds);
        bool advanced = false;
        for (Running &running : m_running)
            advanced = ingest(running) || advanced;
        if (advanced)
            applyEarlyTermination();
        enforceKillDelay();
        reapExited();
    }
    m_record.state = "finished";
    m_record.finishedAt = store::nowSeconds();
    m_context.store->updateStage(m_record);
    std::size_t finished = 0;
    for (const store::TrialRecord &trial : m_trials)
        finished += trial.state == store::TrialState::Finished;
    say("stage '" + stage().name + "' done: " + std::to_string(m_trials.size()) + " trials, "
        + std::to_string(finished) + " finished");
    return StageOutcome::Finished;
}

} // namespace seplab::sweep
