#include "core/data/curriculum.h"

#include <stdexcept>
#include <yaml-cpp/yaml.h>

namespace seplab::data {

namespace {

constexpr const char *kKey = "curriculum_learning";

// "<source> line 12, column 7: " for a YAML node, "<source>: " where there is no position.
std::string where(const std::string &source, const YAML::Mark &mark)
{
    if (mark.is_null() || mark.line < 0)
        return source + ": ";
    return source + " line " + std::to_string(mark.line + 1) + ", column "
           + std::to_string(mark.column + 1) + ": ";
}

std::string entryName(std::size_t index)
{
    return std::string(kKey) + " entry " + std::to_string(index + 1);
}

// The checks shared by the constructor and fromYaml; `locations[i]`, when given, is the
// "<source> line L, column C: " prefix of entry i's epoch.
void validate(const std::vector<CurriculumEntry> &entries,
              const std::string &source,
              const std::vector<std::string> &locations)
{
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const std::string at = i < locations.size() ? locations[i] : source + ": ";
        const CurriculumEntry &entry = entries[i];
        if (entry.epoch < 1) {
            throw std::invalid_argument(at + entryName(i) + " has epoch "
                                        + std::to_string(entry.epoch) + "; epochs count from 1.");
        }
        if (i > 0 && entry.epoch <= entries[i - 1].epoch) {
            throw std::invalid_argument(at + entryName(i) + " has epoch "
                                        + std::to_string(entry.epoch) + ", not after entry "
                                        + std::to_string(i) + "'s epoch "
                                        + std::to_string(entries[i - 1].epoch)
                                        + "; list the entries by increasing epoch, each epoch "
                                          "once.");
        }
        if (entry.variants.empty()) {
            throw std::invalid_argument(at + entryName(i) + " (epoch " + std::to_string(entry.epoch)
                                        + ") has no variants; list at least one of SER, SR, ER, "
                                          "R, SE, S, E, C.");
        }
    }
}

[[noreturn]] void fail(const std::string &source, const YAML::Node &node, const std::string &what)
{
    throw std::invalid_argument(where(source, node.Mark()) + what);
}

CurriculumEntry parseEntry(const YAML::Node &node, std::size_t index, const std::string &source)
{
    const std::string name = entryName(index);
    if (!node.IsMap()) {
        fail(source,
             node,
             name
                 + " must be a map with the keys epoch, variants and optionally "
                   "lr_scheduler.");
    }
    for (const auto &item : node) {
        const std::string key = item.first.Scalar();
        if (key != "epoch" && key != "variants" && key != "lr_scheduler") {
            fail(source,
                 item.first,
                 name + " has an unknown key '" + key
                     + "' (allowed: epoch, variants, lr_scheduler).");
        }
    }

    CurriculumEntry entry;
    const YAML::Node epoch = node["epoch"];
    if (!epoch)
        fail(source, node, name + " has no epoch.");
    try {
        if (!epoch.IsScalar())
            throw YAML::BadConversion(epoch.Mark());
        entry.epoch = epoch.as<int>();
    } catch (const YAML::BadConversion &) {
        fail(source,
             epoch,
             name + " has epoch '" + YAML::Dump(epoch) + "', which is not a whole number.");
    }
    const std::string named = name + " (epoch " + std::to_string(entry.epoch) + ")";

    const YAML::Node variants = node["variants"];
    if (!variants)
        fail(source, node, named + " has no variants.");
    if (!variants.IsSequence())
        fail(source, variants, named + ": variants must be a list such as [\"C\", \"R\"].");
    for (const YAML::Node &item : variants) {
        const std::optional<Variant> variant = item.IsScalar() ? parseVariant(item.Scalar())
                                                               : std::nullopt;
        if (!variant) {
            fail(source,
                 item,
                 named + " has an unknown variant '" + YAML::Dump(item)
                     + "' (known: SER, SR, ER, R, SE, S, E, C).");
        }
        entry.variants.push_back(*variant);
    }
    if (entry.variants.empty()) {
        fail(source,
             variants,
             named
                 + " has no variants; list at least one of SER, SR, ER, R, "
                   "SE, S, E, C.");
    }

    if (const YAML::Node scheduler = node["lr_scheduler"]) {
        if (!scheduler.IsScalar() || scheduler.Scalar() != "start") {
            fail(source,
                 scheduler,
                 named + " has lr_scheduler '" + YAML::Dump(scheduler)
                     + "'; the only value is 'start'.");
        }
        entry.startsScheduler = true;
    }
    return entry;
}

const std::vector<Variant> &noVariants()
{
    static const std::vector<Variant> none;
    return none;
}

} // namespace

Curriculum::Curriculum(std::vector<CurriculumEntry> entries, const std::string &source)
    : m_entries(std::move(entries))
{
    validate(m_entries, source, {});
}

Curriculum Curriculum::fromYaml(const YAML::Node &list, const std::string &source)
{
    if (!list || list.IsNull())
        return Curriculum();
    if (!list.IsSequence()) {
        fail(source,
             list,
             std::string(kKey)
                 + " must be a list of entries with the keys epoch, "
                   "variants and optionally lr_scheduler.");
    }
    std::vector<CurriculumEntry> entries;
    std::vector<std::string> locations;
    for (std::size_t i = 0; i < list.size(); ++i) {
        const YAML::Node node = list[i];
        entries.push_back(parseEntry(node, i, source));
        locations.push_back(where(source, node["epoch"].Mark()));
    }
    validate(entries, source, locations);
    return Curriculum(std::move(entries), source);
}

int Curriculum::stageAt(int epoch) const
{
    if (m_entries.empty())
        return -1;
    int stage = 0; // the first entry's variants also apply before its epoch
    for (std::size_t i = 0; i < m_entries.size(); ++i) {
        if (m_entries[i].epoch > epoch)
            break;
        stage = int(i);
    }
    return stage;
}

const std::vector<Variant> &Curriculum::variantsAt(int epoch) const
{
    const int stage = stageAt(epoch);
    return stage < 0 ? noVariants() : m_entries[std::size_t(stage)].variants;
}

bool Curriculum::schedulerActiveAt(int epoch) const
{
    if (m_entries.empty())
        return true;
    for (const CurriculumEntry &entry : m_entries) {
        if (entry.epoch > epoch)
            break;
        if (entry.startsScheduler)
            return true;
    }
    return false;
}

} // namespace seplab::data
