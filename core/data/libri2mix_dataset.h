#pragma once

// Libri2Mix (spec models.md §3.2): one split folder holding mix_clean/ or mix_both/, s1/ and
// s2/ with the same file names. Items are the mixtures sorted by name; each example's mixture
// and targets [s1, s2] are cut to the shortest of the three. Lengths vary between items, which
// the loader pads or crops.

#include "core/data/dataset.h"
#include "core/data/polsess_dataset.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace seplab::data {

class AudioCache;

enum class Libri2MixMixture {
    Clean, // mix_clean: two speakers ("Libri2Mix-Clean")
    Both   // mix_both: two speakers plus WHAM! noise ("Libri2Mix-Noisy")
};

struct Libri2MixOptions
{
    Libri2MixMixture mixture = Libri2MixMixture::Clean;
    std::int64_t maxSamples = -1; // -1: every mixture
    SubsetRule subset = SubsetRule::Random;
    std::uint64_t seed = 42;
};

// <root>/wav{8|16}k/{min|max}/<split>, the folder Libri2MixDataset reads, from the corpus root
// as LibriMix's scripts write it. Throws std::invalid_argument for another rate or mode.
std::string libri2mixSplitDir(const std::string &root,
                              int rateKhz = 8,
                              const std::string &mode = "min",
                              const std::string &split = "test");

std::string libri2mixMixtureFolder(Libri2MixMixture mixture); // "mix_clean" / "mix_both"

class Libri2MixDataset : public Dataset
{
public:
    // `splitDir` holds the mixture folder, s1/ and s2/. Throws std::runtime_error for a missing
    // folder, a mixture without its s1 or s2 file (naming that file), or an empty selection.
    explicit Libri2MixDataset(std::string splitDir,
                              Libri2MixOptions options = {},
                              std::shared_ptr<AudioCache> cache = nullptr);

    // The selected mixtures' file names, sorted.
    const std::vector<std::string> &files() const { return m_selected; }

    std::size_t size() const override { return m_selected.size(); }
    Example get(std::size_t index, int epoch) const override;
    int sampleRate() const override { return m_sampleRate; }
    int sources() const override { return 2; }
    std::string manifestHash() const override;
    std::string describe() const override;

private:
    std::string m_dir;
    Libri2MixOptions m_options;
    std::shared_ptr<AudioCache> m_cache;
    std::size_t m_total = 0; // mixtures in the folder, before the subset
    std::vector<std::string> m_selected;
    int m_sampleRate = 0;
};

} // namespace seplab::data
