#pragma once

// The experiment store: one SQLite file (WAL mode) holding plans, stages, trials, metrics,
// events and artifacts. DESIGN.md's single-writer rule: only the sweep controller opens it
// ReadWrite; the GUI, `sweep status` and the report open it ReadOnly, from other processes,
// while the controller writes. WAL lets those readers see every committed row without ever
// blocking the writer, and busy_timeout (5 s) absorbs the short checkpoint locks.
//
// Schema versions (schema_migrations.h): ReadWrite creates a missing file and migrates an
// older one. ReadOnly never changes the file: it refuses a store older than this code (open it
// read-write once, e.g. with `sweep resume`, to upgrade it) as well as a newer one.

#include "core/store/store_error.h"
#include "core/store/store_records.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace seplab::store {

class ExperimentStore
{
public:
    enum class Mode { ReadOnly, ReadWrite };

    // ReadWrite creates the file (and its folder) and migrates it to the current schema.
    // ReadOnly: a missing file -> StoreError "S.db: no such store.". A file that is not a
    // SepLab store, or of another schema version, -> StoreError naming it.
    static ExperimentStore open(const std::string &path, Mode mode);

    ExperimentStore(ExperimentStore &&) noexcept;
    ExperimentStore &operator=(ExperimentStore &&) noexcept;
    ~ExperimentStore();

    static int currentSchemaVersion();
    int schemaVersion() const;
    const std::string &path() const;
    bool readOnly() const;

    // Writes: ReadWrite only, else std::logic_error. Each one is atomic; transaction() groups
    // several, and nested calls join the outer one (an inner failure that the body catches
    // undoes only the inner call's writes). A body that throws undoes everything it wrote and
    // the exception propagates. Records with an unknown state or kind -> std::invalid_argument;
    // an update of a missing id -> StoreError.
    void transaction(const std::function<void()> &body);
    std::int64_t addPlan(const PlanRecord &plan);
    void updatePlan(const PlanRecord &plan);
    std::int64_t addStage(const StageRecord &stage);
    void updateStage(const StageRecord &stage);
    std::int64_t addTrial(const TrialRecord &trial);
    void updateTrial(const TrialRecord &trial); // every field but id, stageId and number
    void addMetrics(const std::vector<MetricRecord> &metrics);
    // Drops every metric row of one trial: a trial restarted from scratch reports its steps
    // again, and its old rows would otherwise appear twice on every curve.
    void deleteMetrics(std::int64_t trialId);
    std::int64_t addEvent(const EventRecord &event);
    void addArtifact(std::int64_t trialId, const std::string &kind, const std::string &path);

    // Reads, in id order unless stated. A row the code cannot decode (an unknown trial state,
    // broken JSON) -> StoreError naming the row.
    std::vector<PlanRecord> plans() const;
    std::optional<PlanRecord> plan(std::int64_t id) const;
    std::optional<PlanRecord> planByName(const std::string &name) const;
    std::vector<StageRecord> stages(std::int64_t planId) const; // by index
    std::optional<StageRecord> stage(std::int64_t id) const;
    std::vector<TrialRecord> trials(std::int64_t stageId) const;    // by number
    std::vector<TrialRecord> planTrials(std::int64_t planId) const; // by stage index, number
    std::optional<TrialRecord> trial(std::int64_t id) const;
    // One trial's metrics (all names when `name` is empty), ordered by step then id.
    std::vector<MetricRecord> metrics(std::int64_t trialId, const std::string &name = {}) const;
    // Every metric with an id above `afterId`, at most `limit`, by id: the GUI polls with the
    // last id it saw.
    std::vector<MetricRecord> metricsAfter(std::int64_t afterId, std::size_t limit = 100000) const;
    std::vector<EventRecord> events(std::int64_t planId, std::int64_t afterId = 0) const;
    // (kind, path) pairs.
    std::vector<std::pair<std::string, std::string>> artifacts(std::int64_t trialId) const;

    struct Impl;

private:
    explicit ExperimentStore(std::unique_ptr<Impl> impl);
    Impl &writable(const char *operation);

    std::unique_ptr<Impl> m_impl;
};

} // namespace seplab::store
