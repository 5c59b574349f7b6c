#include "core/data/mmipc.h"

#include "core/data/mmipc_layers.h"

#include <algorithm>
#include <stdexcept>

namespace seplab::data {

namespace {

struct VariantName
{
    Variant variant;
    const char *name;
};

constexpr VariantName kVariantNames[] = {
    {Variant::SER, "SER"},
    {Variant::SR, "SR"},
    {Variant::ER, "ER"},
    {Variant::R, "R"},
    {Variant::SE, "SE"},
    {Variant::S, "S"},
    {Variant::E, "E"},
    {Variant::C, "C"},
};

// out -= layer, refusing a layer of another length: a silent partial subtraction would leave
// part of the layer in the mixture.
void subtract(std::vector<float> &out, const std::vector<float> &layer, const char *layerName)
{
    if (layer.size() != out.size()) {
        throw std::invalid_argument(std::string("the ") + layerName + " layer has "
                                    + std::to_string(layer.size()) + " samples but the mixture has "
                                    + std::to_string(out.size()) + ".");
    }
    for (std::size_t i = 0; i < out.size(); ++i)
        out[i] -= layer[i];
}

void checkLength(const std::vector<float> &layer, std::size_t length, const char *layerName)
{
    if (layer.size() != length) {
        throw std::invalid_argument(std::string("the ") + layerName + " layer has "
                                    + std::to_string(layer.size()) + " samples but the mixture has "
                                    + std::to_string(length) + ".");
    }
}

} // namespace

std::optional<Task> parseTask(std::string_view name)
{
    if (name == "ES")
        return Task::ES;
    if (name == "EB")
        return Task::EB;
    if (name == "SB")
        return Task::SB;
    return std::nullopt;
}

std::string taskName(Task task)
{
    switch (task) {
    case Task::ES:
        return "ES";
    case Task::EB:
        return "EB";
    case Task::SB:
        return "SB";
    }
    return "?";
}

int sourceCount(Task task)
{
    return task == Task::SB ? 2 : 1;
}

std::optional<Variant> parseVariant(std::string_view name)
{
    for (const VariantName &entry : kVariantNames) {
        if (name == entry.name)
            return entry.variant;
    }
    return std::nullopt;
}

std::string variantName(Variant variant)
{
    for (const VariantName &entry : kVariantNames) {
        if (entry.variant == variant)
            return entry.name;
    }
    return "?";
}

std::string variantNames(const std::vector<Variant> &variants)
{
    std::string out;
    for (Variant variant : variants) {
        if (!out.empty())
            out += ", ";
        out += variantName(variant);
    }
    return out;
}

const std::vector<Variant> &indoorVariants()
{
    static const std::vector<Variant> list = {Variant::SER,
                                              Variant::SR,
                                              Variant::ER,
                                              Variant::R,
                                              Variant::C};
    return list;
}

const std::vector<Variant> &outdoorVariants()
{
    static const std::vector<Variant> list = {Variant::SE, Variant::S, Variant::E, Variant::C};
    return list;
}

const std::vector<Variant> &allVariants()
{
    static const std::vector<Variant> list = {Variant::SER,
                                              Variant::SR,
                                              Variant::ER,
                                              Variant::R,
                                              Variant::SE,
                                              Variant::S,
                                              Variant::E,
                                              Variant::C};
    return list;
}

bool variantApplies(Variant variant, bool indoor)
{
    const std::vector<Variant> &list = indoor ? indoorVariants() : outdoorVariants();
    return std::find(list.begin(), list.end(), variant) != list.end();
}

RowFilter rowFilterFor(const std::vector<Variant> &allowed)
{
    bool anyIndoor = false;
    bool anyOutdoor = false;
    for (Variant variant : allowed) {
        anyIndoor = anyIndoor || variantApplies(variant, true);
        anyOutdoor = anyOutdoor || variantApplies(variant, false);
    }
    if (anyIndoor && !anyOutdoor)
        return RowFilter::IndoorOnly;
    if (anyOutdoor && !anyIndoor)
        return RowFilter::OutdoorOnly;
    return RowFilter::All;
}

RemovedLayers removedLayers(Variant variant, Task task, bool indoor)
{
    if (!variantApplies(variant, indoor)) {
        throw std::invalid_argument("variant " + variantName(variant) + " does not apply to an "
                                    + (indoor ? "indoor" : "outdoor") + " row (its variants are "
                                    + variantNames(indoor ? indoorVariants() : outdoorVariants())
                                    + ").");
    }
    RemovedLayers removed;
    switch (variant) {
    case Variant::SER:
    case Variant::SE:
        break;
    case Variant::SR:
    case Variant::S:
        removed.event = true;
        break;
    case Variant::ER:
    case Variant::E:
        removed.scene = true;
        break;
    case Variant::R:
        removed.scene = removed.event = true;
        break;
    case Variant::C:
        removed.scene = removed.event = true;
        removed.reverb1 = removed.reverb2 = indoor;
        break;
    }
    // The event's reverb tail goes with the event; outdoor rows have none.
    removed.reverbEvent = indoor && removed.event;
    if (task == Task::ES) {
        // Speaker 2 leaves tail and all; for indoor C its tail is already gone.
        removed.speaker2 = true;
        removed.reverb2 = indoor;
    }
    return removed;
}

MixtureAndTargets composeExample(const PolsessLayers &layers, Variant variant, Task task)
{
    const RemovedLayers removed = removedLayers(variant, task, layers.indoor);
    const std::size_t length = layers.mix.size();
    checkLength(layers.speaker1, length, "speaker 1");
    checkLength(layers.speaker2, length, "speaker 2");

    // The original's subtraction order (r1, r2, s2, b, e, re), so float rounding matches it.
    MixtureAndTargets out;
    out.mix = layers.mix;
    if (removed.reverb1)
        subtract(out.mix, layers.reverb1, "speaker 1 reverb");
    if (removed.reverb2)
        subtract(out.mix, layers.reverb2, "speaker 2 reverb");
    if (removed.speaker2)
        subtract(out.mix, layers.speaker2, "speaker 2");
    if (removed.scene)
        subtract(out.mix, layers.scene, "scene");
    if (removed.event)
        subtract(out.mix, layers.event, "event");
    if (removed.reverbEvent)
        subtract(out.mix, layers.reverbEvent, "event reverb");

    switch (task) {
    case Task::ES:
        out.targets = {layers.speaker1};
        break;
    case Task::EB: {
        std::vector<float> both = layers.speaker1;
        for (std::size_t i = 0; i < length; ++i)
            both[i] += layers.speaker2[i];
        out.targets = {std::move(both)};
        break;
    }
    case Task::SB:
        out.targets = {layers.speaker1, layers.speaker2};
        break;
    }
    return out;
}

} // namespace seplab::data
