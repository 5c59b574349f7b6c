#pragma once

// PolSESS tasks and MM-IPC variants (spec models.md §3.1). A variant names what a mixture
// *keeps*; the removed layers are subtracted from the stored mixture. Torch-free.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace seplab::data {

enum class Task {
    ES, // enhance speaker 1: target s1 (s2 and its reverb are subtracted too)
    EB, // enhance both: target s1 + s2
    SB  // separate both: targets [s1, s2]
};

enum class Variant { SER, SR, ER, R, SE, S, E, C };

std::optional<Task> parseTask(std::string_view name);
std::string taskName(Task task);
int sourceCount(Task task); // ES/EB: 1, SB: 2

std::optional<Variant> parseVariant(std::string_view name);
std::string variantName(Variant variant);
std::string variantNames(const std::vector<Variant> &variants); // "SER, SE"

const std::vector<Variant> &indoorVariants();  // SER, SR, ER, R, C
const std::vector<Variant> &outdoorVariants(); // SE, S, E, C
// The order of per-variant validation and of evaluate: SER, SR, ER, R, SE, S, E, C.
const std::vector<Variant> &allVariants();
bool variantApplies(Variant variant, bool indoor);

// Which CSV rows a set of allowed variants keeps, as the original's metadata filter does: only
// indoor rows if every variant is indoor-only, only outdoor rows if every one is outdoor-only;
// C counts as both, so a set with C or with both kinds keeps every row.
enum class RowFilter { All, IndoorOnly, OutdoorOnly };
RowFilter rowFilterFor(const std::vector<Variant> &allowed);

// The stored layers of one PolSESS row, equal lengths. Reverb layers are empty for outdoor rows.
struct PolsessLayers
{
    std::vector<float> mix, speaker1, speaker2, scene, event;
    std::vector<float> reverb1, reverb2, reverbEvent;
    bool indoor = false;
};

struct MixtureAndTargets
{
    std::vector<float> mix;
    std::vector<std::vector<float>> targets; // 1 (ES, EB) or 2 (SB) signals
};

// The spec's table and task rules, exactly. Throws std::invalid_argument when the variant does
// not apply to the row's environment (e.g. SE on an indoor row).
MixtureAndTargets composeExample(const PolsessLayers &layers, Variant variant, Task task);

} // namespace seplab::data
