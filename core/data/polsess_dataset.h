#pragma once

// PolSESS on disk (spec models.md §3.1):
//   <root>/<split>/{mix,clean,scene,event,sp1_reverb,sp2_reverb,ev_reverb}/*.wav
//   <root>/<split>/corpus_<rootname>_<split>_final.csv
// with the columns mixFile, speaker1File, speaker2File, sceneFile, eventFile,
// reverbForSpeaker1, reverbForSpeaker2, reverbForEvent; an empty reverbForSpeaker1 marks an
// outdoor row. Both speaker files live in clean/.

#include "core/data/dataset.h"
#include "core/data/mmipc.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace seplab::data {

class AudioCache;

enum class SubsetRule {
    Random, // a seeded random subset (default): no pre-shuffled CSV needed
    Head    // the first N rows, as the original's DataFrame.head
};

enum class VariantChoice {
    PerEpoch, // training: random per (seed, epoch, index)
    PerIndex  // validation/test: fixed per index, as the original's random.Random(index).choice
};

struct PolsessOptions
{
    Task task = Task::SB;
    std::vector<Variant> allowedVariants; // empty: every variant
    VariantChoice variantChoice = VariantChoice::PerEpoch;
    std::int64_t maxSamples = -1; // -1: all rows that pass the variant filter
    SubsetRule subset = SubsetRule::Random;
    std::uint64_t seed = 42;
};

// One CSV row with resolved absolute paths.
struct PolsessRow
{
    int csvLine = 0; // 1-based line in the CSV (the header is line 1), for error messages
    std::string mix, speaker1, speaker2, scene, event;
    std::string reverb1, reverb2, reverbEvent; // empty for outdoor rows
    bool indoor() const { return !reverb1.empty(); }
};

// Reads the CSV of one split; throws std::runtime_error naming the CSV (and line) for a
// missing file, a missing column or a malformed row.
std::vector<PolsessRow> readPolsessManifest(const std::string &root, const std::string &split);
std::string polsessCsvPath(const std::string &root, const std::string &split);

class PolsessDataset : public Dataset
{
public:
    // cache may be null (stream every read). Throws std::runtime_error for a bad manifest, an
    // empty selection, or allowed variants that leave an environment without a variant.
    PolsessDataset(std::string root,
                   std::string split,
                   PolsessOptions options,
                   std::shared_ptr<AudioCache> cache = nullptr);

    // The curriculum's reassignment: re-filters the rows (row filter, then subset), as the
    // original does when the variants change.
    void setAllowedVariants(const std::vector<Variant> &variants);

    const std::vector<PolsessRow> &rows() const { return m_selected; }
    Variant variantFor(std::size_t index, int epoch) const;

    std::size_t size() const override { return m_selected.size(); }
    Example get(std::size_t index, int epoch) const override;
    int sampleRate() const override { return m_sampleRate; }
    int sources() const override { return sourceCount(m_options.task); }
    std::string manifestHash() const override;
    std::string describe() const override;

private:
    void select();

    std::string m_root;
    std::string m_split;
    PolsessOptions m_options;
    std::shared_ptr<AudioCache> m_cache;
    std::vector<PolsessRow> m_all;
    std::vector<PolsessRow> m_selected;
    std::string m_csvDigest;
    int m_sampleRate = 0;
};

} // namespace seplab::data
