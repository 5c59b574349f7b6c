#include "core/sweep/stored_stages.h"

#include <stdexcept>

namespace seplab::sweep {

namespace {

using nlohmann::json;

store::StageRecord storedStage(const store::ExperimentStore &store, std::int64_t planId, int index)
{
    for (const store::StageRecord &stage : store.stages(planId))
        if (stage.index == index)
            return stage;
    throw std::runtime_error(store.path() + ": stage " + std::to_string(index + 1)
                             + " of the plan has not started yet.");
}

} // namespace

DerivedStage storedDerivation(const store::StageRecord &record)
{
    DerivedStage derived;
    derived.space = SearchSpace::fromJson(record.spec.value("space", json::object()),
                                          "stage '" + record.name + "'");
    for (const json &trial : record.spec.value("fixed", json::array()))
        derived.fixed.push_back(
            {trial.at("params"), trial.value("group", ""), trial.value("provenance", "")});
    derived.lines = record.spec.value("provenance_lines", std::vector<std::string>());
    derived.provenance = record.provenance;
    return derived;
}

EarlierStages earlierStagesFromStore(const store::ExperimentStore &store, std::int64_t planId)
{
    EarlierStages earlier;
    earlier.space = [&store, planId](int index) {
        return storedDerivation(storedStage(store, planId, index)).space;
    };
    earlier.completed = [&store, planId](int index) {
        std::vector<CompletedTrial> out;
        for (const store::TrialRecord &trial : store.trials(storedStage(store, planId, index).id))
            if (trial.state == store::TrialState::Finished && trial.bestValue)
                out.push_back({trial.name,
                               trial.params,
                               *trial.bestValue,
                               trial.provenance.value("group", "")});
        return out;
    };
    return earlier;
}

} // namespace seplab::sweep
