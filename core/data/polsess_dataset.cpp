#include "core/data/polsess_dataset.h"

#include "audio/io/audio_file.h"
#include "core/data/deterministic_random.h"
#include "core/data/fnv1a.h"
#include "core/data/loading/audio_cache.h"
#include "core/data/mmipc_layers.h"
#include "core/data/polsess_manifest.h"
#include "core/data/variant_choice.h"

#include <filesystem>
#include <stdexcept>

namespace seplab::data {

namespace {

namespace fs = std::filesystem;

// Keeps the subset draw apart from the variant draws made from the same user seed.
constexpr std::uint64_t kSubsetStream = 0x737562736574ULL; // "subset"

bool keeps(RowFilter filter, const PolsessRow &row)
{
    switch (filter) {
    case RowFilter::All:
        return true;
    case RowFilter::IndoorOnly:
        return row.indoor();
    case RowFilter::OutdoorOnly:
        return !row.indoor();
    }
    return true;
}

const char *filterName(RowFilter filter)
{
    switch (filter) {
    case RowFilter::All:
        return "all rows";
    case RowFilter::IndoorOnly:
        return "indoor rows only";
    case RowFilter::OutdoorOnly:
        return "outdoor rows only";
    }
    return "";
}

// Rows kept by the filter before the subset is taken, for describe().
std::size_t countKept(const std::vector<PolsessRow> &rows, RowFilter filter)
{
    std::size_t count = 0;
    for (const PolsessRow &row : rows)
        count += keeps(filter, row) ? 1 : 0;
    return count;
}

} // namespace

PolsessDataset::PolsessDataset(std::string root,
                               std::string split,
                               PolsessOptions options,
                               std::shared_ptr<AudioCache> cache)
    : m_root(std::move(root))
    , m_split(std::move(split))
    , m_options(std::move(options))
    , m_cache(std::move(cache))
{
    const std::string csvPath = polsessCsvPath(m_root, m_split);
    const std::string csvText = readPolsessCsvText(m_root, m_split);
    m_all = parsePolsessManifest(csvText, (fs::path(m_root) / m_split).string(), csvPath);
    m_csvDigest = hex16(fnv1a(csvText));
    select();

    // One probe fixes the rate every example must have; the loader batches them together.
    const PolsessRow &first = m_selected.front();
    try {
        m_sampleRate = audio::probeAudio(first.mix).sampleRate;
    } catch (const std::exception &error) {
        throw std::runtime_error(polsessRowPrefix(csvPath, first.csvLine)
                                 + withFullStop(error.what()));
    }
}

void PolsessDataset::setAllowedVariants(const std::vector<Variant> &variants)
{
    const std::vector<Variant> previous = m_options.allowedVariants;
    m_options.allowedVariants = variants;
    try {
        select();
    } catch (...) {
        m_options.allowedVariants = previous;
        throw;
    }
}

void PolsessDataset::select()
{
    const RowFilter filter = rowFilterFor(m_options.allowedVariants);
    std::vector<PolsessRow> kept;
    for (const PolsessRow &row : m_all) {
        if (keeps(filter, row))
            kept.push_back(row);
    }

    const std::int64_t maxSamples = m_options.maxSamples;
    if (maxSamples >= 0 && std::size_t(maxSamples) < kept.size()) {
        if (m_options.subset == SubsetRule::Head) {
            kept.resize(std::size_t(maxSamples));
        } else {
            std::vector<PolsessRow> subset;
            subset.reserve(std::size_t(maxSamples));
            const std::uint64_t seed = mixSeed(m_options.seed, kSubsetStream);
            for (std::size_t index : seededSubset(kept.size(), std::size_t(maxSamples), seed))
                subset.push_back(std::move(kept[index]));
            kept = std::move(subset);
        }
    }

    const std::string csvPath = polsessCsvPath(m_root, m_split);
    if (kept.empty()) {
        throw std::runtime_error(csvPath + ": no rows left for PolSESS " + m_split + " ("
                                 + std::to_string(m_all.size()) + " rows, " + filterName(filter)
                                 + ", max_samples " + std::to_string(maxSamples) + ").");
    }
    // Cannot happen through the row filter, but a row without a variant must never reach get().
    for (const bool indoor : {true, false}) {
        if (!variantCandidates(m_options.allowedVariants, indoor).empty())
            continue;
        for (const PolsessRow &row : kept) {
            if (row.indoor() == indoor) {
                throw std::runtime_error(
                    polsessRowPrefix(csvPath, row.csvLine) + "no allowed variant ("
                    + variantNames(m_options.allowedVariants) + ") applies to an "
                    + (indoor ? "indoor" : "outdoor") + " row.");
            }
        }
    }
    m_selected = std::move(kept);
}

Variant PolsessDataset::variantFor(std::size_t index, int epoch) const
{
    if (index >= m_selected.size()) {
        throw std::out_of_range("PolSESS " + m_split + ": index " + std::to_string(index)
                                + " is out of range (" + std::to_string(m_selected.size())
                                + " rows).");
    }
    const std::vector<Variant> candidates = variantCandidates(m_options.allowedVariants,
                                                              m_selected[index].indoor());
    if (m_options.variantChoice == VariantChoice::PerIndex)
        return chooseVariantPerIndex(candidates, index);
    return chooseVariantPerEpoch(candidates, m_options.seed, epoch, index);
}

Example PolsessDataset::get(std::size_t index, int epoch) const
{
    const Variant variant = variantFor(index, epoch);
    const PolsessRow &row = m_selected[index];
    try {
        const auto load = [this](const std::string &path, int *rate) {
            if (m_cache)
                return *m_cache->load(path, rate);
            audio::Audio audio = audio::readAudio(path);
            *rate = audio.sampleRate;
            return std::move(audio.samples);
        };

        PolsessLayers layers;
        layers.indoor = row.indoor();
        int mixRate = 0;
        layers.mix = load(row.mix, &mixRate);
        if (mixRate != m_sampleRate) {
            throw std::runtime_error(row.mix + " is sampled at " + std::to_string(mixRate)
                                     + " Hz but this split's first mixture at "
                                     + std::to_string(m_sampleRate) + " Hz.");
        }
        const auto loadLayer = [&](const std::string &path, std::vector<float> &out) {
            int rate = 0;
            out = load(path, &rate);
            const std::string mismatch
                = polsessLayerMismatch(path, rate, out.size(), row.mix, mixRate, layers.mix.size());
            if (!mismatch.empty())
                throw std::runtime_error(mismatch + ".");
        };

        const RemovedLayers removed = removedLayers(variant, m_options.task, layers.indoor);
        loadLayer(row.speaker1, layers.speaker1);
        loadLayer(row.speaker2, layers.speaker2);
        if (removed.scene)
            loadLayer(row.scene, layers.scene);
        if (removed.event)
            loadLayer(row.event, layers.event);
        if (removed.reverbEvent)
            loadLayer(row.reverbEvent, layers.reverbEvent);
        if (removed.reverb1)
            loadLayer(row.reverb1, layers.reverb1);
        if (removed.reverb2)
            loadLayer(row.reverb2, layers.reverb2);

        MixtureAndTargets composed = composeExample(layers, variant, m_options.task);
        Example example;
        example.mix = std::move(composed.mix);
        example.targets = std::move(composed.targets);
        example.variant = variantName(variant);
        example.id = fs::path(row.mix).filename().string();
        return example;
    } catch (const std::exception &error) {
        throw std::runtime_error(polsessRowPrefix(polsessCsvPath(m_root, m_split), row.csvLine)
                                 + withFullStop(error.what()));
    }
}

std::string PolsessDataset::manifestHash() const
{
    // Continues the CSV's digest, so this is FNV-1a over the CSV bytes followed by the rest.
    std::uint64_t hash = std::stoull(m_csvDigest, nullptr, 16);
    std::string rule = "all";
    if (m_options.maxSamples >= 0)
        rule = m_options.subset == SubsetRule::Head ? "head" : "random";
    std::string variants;
    for (Variant variant : m_options.allowedVariants)
        variants += variantName(variant) + ",";
    // The seed also seeds the training variant draws, so it counts even for a head subset.
    const std::string tail = "\nsplit=" + m_split + "\nsubset=" + rule
                             + "\nmax_samples=" + std::to_string(m_options.maxSamples) + "\nseed="
                             + std::to_string(m_options.seed) + "\nvariants=" + variants + "\n";
    return hex16(fnv1a(tail, hash));
}

std::string PolsessDataset::describe() const
{
    const std::size_t kept = countKept(m_all, rowFilterFor(m_options.allowedVariants));
    std::string text = "PolSESS " + m_split + " (" + taskName(m_options.task) + ", ";
    if (m_selected.size() < kept) {
        text += std::to_string(m_selected.size()) + " of " + std::to_string(kept) + " rows, ";
        if (m_options.subset == SubsetRule::Head)
            text += "first rows";
        else
            text += "random subset seed " + std::to_string(m_options.seed);
    } else {
        text += std::to_string(m_selected.size()) + " rows";
    }
    text += ", variants "
            + (m_options.allowedVariants.empty() ? std::string("all")
                                                 : variantNames(m_options.allowedVariants));
    return text + ")";
}

} // namespace seplab::data
