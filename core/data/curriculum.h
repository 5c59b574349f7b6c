#pragma once

// training.curriculum_learning (spec models.md §2): a list of {epoch, variants, lr_scheduler}
// sorted by epoch. Each epoch uses the variants of the latest entry with epoch <= current (the
// first entry's before it); the LR scheduler runs from the first entry with
// `lr_scheduler: start` and epoch <= current, and never if no entry has that key.

#include "core/data/mmipc.h"

#include <string>
#include <vector>

namespace YAML {
class Node;
}

namespace seplab::data {

struct CurriculumEntry
{
    int epoch = 1; // 1-based
    std::vector<Variant> variants;
    bool startsScheduler = false;
};

class Curriculum
{
public:
    Curriculum() = default; // no curriculum: no variant changes, scheduler always active
    // Validates: epochs >= 1 and strictly increasing, known variants, non-empty variant lists.
    // Throws std::invalid_argument naming `source` and the entry.
    explicit Curriculum(std::vector<CurriculumEntry> entries,
                        const std::string &source = "curriculum");

    // Parses the YAML list; errors name `source` (file) and the YAML line and column.
    static Curriculum fromYaml(const YAML::Node &list, const std::string &source);

    bool empty() const { return m_entries.empty(); }
    const std::vector<CurriculumEntry> &entries() const { return m_entries; }
    // Index of the entry in force at `epoch` (0 before the first entry's epoch); -1 if empty.
    int stageAt(int epoch) const;
    // Variants in force at `epoch`; empty when there is no curriculum.
    const std::vector<Variant> &variantsAt(int epoch) const;
    bool schedulerActiveAt(int epoch) const;

private:
    std::vector<CurriculumEntry> m_entries;
};

} // namespace seplab::data
