#pragma once

// The rows of the experiment store as plain structs. An id of 0 means "not stored yet"; times
// are unix seconds (see nowSeconds()), 0 when the moment has not come. JSON members hold what
// the controller resolved (parameters, stage specs, provenance) exactly as it used them.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace seplab::store {

enum class TrialState { Pending, Running, Finished, Stopped, Failed, Diverged };

// "pending", "running", "finished", "stopped", "failed", "diverged": the names stored in the
// trials table and shown by `sweep status` and the report.
std::string trialStateName(TrialState state);
std::optional<TrialState> trialStateFromName(const std::string &name);
// Finished, stopped, failed and diverged trials never run again.
bool isTerminal(TrialState state);

// Allowed values of the string states and kinds below; writes check them, because a typo
// would otherwise hide a plan from `sweep resume` for good.
bool isPlanState(const std::string &state);  // running, finished, stopped, failed
bool isStageKind(const std::string &kind);   // search, for_each, validate
bool isStageState(const std::string &state); // pending, running, finished, stopped, failed

struct PlanRecord
{
    std::int64_t id = 0;
    std::string name;
    std::string yaml;       // the plan file's text as run
    std::string sourcePath; // where it was read from (relative paths in it resolve there)
    std::string state;      // running|finished|stopped|failed
    nlohmann::json options = nlohmann::json::object(); // controller options a resume reuses
    int controllerPid = 0;
    double createdAt = 0, updatedAt = 0;
};

struct StageRecord
{
    std::int64_t id = 0;
    std::int64_t planId = 0;
    int index = 0; // position in the plan, from 0
    std::string name;
    std::string kind;                                     // search|for_each|validate
    std::string state;                                    // pending|running|finished|stopped|failed
    nlohmann::json spec = nlohmann::json::object();       // the stage as run (resolved space etc.)
    nlohmann::json provenance = nlohmann::json::object(); // how it was derived
    double startedAt = 0, finishedAt = 0;
};

struct TrialRecord
{
    std::int64_t id = 0;
    std::int64_t stageId = 0;
    int number = 0; // position in its stage, from 0; unique per stage
    std::string name;
    TrialState state = TrialState::Pending;
    nlohmann::json params = nlohmann::json::object();
    nlohmann::json provenance = nlohmann::json::object();
    std::string device; // "cpu", "cuda:1"
    std::string runDir;
    nlohmann::json command = nlohmann::json::array(); // argv as launched
    std::string datasetHash;
    std::int64_t seed = 0;
    int pid = 0;
    std::string jobId; // the Slurm job running it; empty for a local process
    int exitCode = 0;
    // Absent until the trial reports its metric. A NaN is stored as absent (SQLite has no NaN).
    std::optional<double> bestValue;
    int epochs = 0;
    std::string error;
    std::string logTail; // the last lines a failed trial printed
    double createdAt = 0, startedAt = 0, finishedAt = 0;
};

struct MetricRecord
{
    std::int64_t id = 0;
    std::int64_t trialId = 0;
    int step = 0; // the epoch, or the k-th report of an external program
    std::string name;
    double value = 0; // NaN and ±inf survive the round trip
    double time = 0;
};

struct EventRecord
{
    std::int64_t id = 0;
    std::int64_t trialId = 0; // 0 = plan level
    std::int64_t planId = 0;
    std::string kind;
    nlohmann::json payload;
    double time = 0;
};

// Unix time in seconds, with the fraction.
double nowSeconds();

} // namespace seplab::store
