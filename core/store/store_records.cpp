#include "core/store/store_records.h"

#include <array>
#include <chrono>
#include <utility>

namespace seplab::store {

namespace {

constexpr std::array<std::pair<TrialState, const char *>, 6> kTrialStates = {{
    {TrialState::Pending, "pending"},
    {TrialState::Running, "running"},
    {TrialState::Finished, "finished"},
    {TrialState::Stopped, "stopped"},
    {TrialState::Failed, "failed"},
    {TrialState::Diverged, "diverged"},
}};

template<std::size_t N>
bool isOneOf(const std::string &value, const std::array<const char *, N> &allowed)
{
    for (const char *candidate : allowed)
        if (value == candidate)
            return true;
    return false;
}

} // namespace

std::string trialStateName(TrialState state)
{
    for (const auto &[candidate, name] : kTrialStates)
        if (candidate == state)
            return name;
    return "pending"; // unreachable: every enumerator is listed
}

std::optional<TrialState> trialStateFromName(const std::string &name)
{
    for (const auto &[state, candidate] : kTrialStates)
        if (name == candidate)
            return state;
    return std::nullopt;
}

bool isTerminal(TrialState state)
{
    return state != TrialState::Pending && state != TrialState::Running;
}

bool isPlanState(const std::string &state)
{
    return isOneOf(state, std::array<const char *, 4>{"running", "finished", "stopped", "failed"});
}

bool isStageKind(const std::string &kind)
{
    return isOneOf(kind, std::array<const char *, 3>{"search", "for_each", "validate"});
}

bool isStageState(const std::string &state)
{
    return isOneOf(state,
                   std::array<const char *, 5>{"pending",
                                               "running",
                                               "finished",
                                               "stopped",
                                               "failed"});
}

double nowSeconds()
{
    using namespace std::chrono;
    return duration<double>(system_clock::now().time_since_epoch()).count();
}

} // namespace seplab::store
