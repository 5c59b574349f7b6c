#pragma once

// Runs one stage of a plan to its end: launches trials on free slots, reads their output,
// applies early termination, and records everything in the store. The controller owns the plan
// and moves from stage to stage; this class owns one stage's trials.

#include "core/exec/executor.h"
#include "core/store/experiment_store.h"
#include "core/sweep/early_termination.h"
#include "core/sweep/plan.h"
#include "core/sweep/sampler.h"
#include "core/sweep/stage_derivation.h"
#include "core/sweep/trial_ingest.h"
#include "core/sweep/trial_launch.h"

#include <atomic>
#include <map>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

namespace seplab::sweep {

struct StageContext
{
    const Plan *plan = nullptr;
    int stageIndex = 0;
    store::ExperimentStore *store = nullptr;
    exec::Executor *executor = nullptr; // local slots or Slurm
    TrialLaunch launchTemplate;         // everything but device, run folder and parameters
    std::string runsRoot;               // <runs>/<plan>
    std::optional<std::int64_t> trialsOverride;
    double killDelay = 30.0;
    std::ostream *log = nullptr;
    const std::atomic<bool> *stopRequested = nullptr;
    int pollMilliseconds = 200;
};

enum class StageOutcome { Finished, Stopped };

class StageRunner
{
public:
    // `record` is the stage's row (created by the controller with its derived spec).
    StageRunner(StageContext context, store::StageRecord record, DerivedStage derived);
    ~StageRunner();

    StageOutcome run();

private:
    struct Running
    {
        std::unique_ptr<exec::TrialHandle> process;
        std::optional<exec::Slot> slot; // none for a re-attached job beyond the queue limit
        std::size_t index = 0;          // into m_trials
        bool stopRequested = false;
        std::optional<std::string> endStatus;
        bool reattached = false; // followed again after a controller restart
        std::vector<std::string> textTail;
    };

    const StagePlan &stage() const;
    std::uint64_t targetCount() const;
    std::size_t parallelLimit() const;
    std::vector<TrialObservation> observations() const;
    bool targetReached() const;

    void loadTrials();
    void restartUnfinished();
    // Whether the stage's trials run seplab-cli train (which writes events.jsonl and resumes),
    // not an external program.
    bool trainsWithSeplab() const;
    bool hasWaitingTrial() const;
    void releaseSlot(const Running &running);
    void noteExecutorNotices(Running &running);
    bool launchNext(); // false when the stage has nothing more to start
    void launch(std::size_t index, const exec::Slot &slot, bool resume);
    bool ingest(Running &running);
    void applyEarlyTermination();
    void reapExited();
    void enforceKillDelay();
    void interruptAll();
    void catchUpFromEvents(std::size_t index);
    // Whether the controller stopped this trial by the stage's early-termination rule.
    bool stoppedByRule(std::int64_t trialId) const;
    void addTrialEvent(const store::TrialRecord &trial,
                       const std::string &kind,
                       nlohmann::json payload);
    void say(const std::string &line) const;

    StageContext m_context;
    store::StageRecord m_record;
    DerivedStage m_derived;
    std::unique_ptr<Sampler> m_sampler;
    std::unique_ptr<EarlyStopper> m_stopper;
    TrialIngest m_ingest;
    std::vector<store::TrialRecord> m_trials;
    std::vector<std::vector<double>> m_history; // the plan metric per trial
    std::vector<int> m_lastStep;
    std::vector<Running> m_running;
    bool m_exhausted = false;
};

} // namespace seplab::sweep
