#include "core/data/libri2mix_dataset.h"

#include "audio/io/audio_file.h"
#include "core/data/deterministic_random.h"
#include "core/data/fnv1a.h"
#include "core/data/loading/audio_cache.h"

#include <algorithm>
#include <filesystem>
#include <stdexcept>

namespace seplab::data {

namespace {

namespace fs = std::filesystem;

constexpr std::uint64_t kSubsetStream = 0x737562736574ULL; // as PolsessDataset's subset

bool isAudioFile(const fs::path &path)
{
    std::string extension = path.extension().string();
    std::transform(extension.begin(), extension.end(), extension.begin(), [](unsigned char c) {
        return char(std::tolower(c));
    });
    return extension == ".wav" || extension == ".flac";
}

void requireFolder(const fs::path &folder, const std::string &splitDir)
{
    if (!fs::is_directory(folder)) {
        throw std::runtime_error(folder.string() + ": no such folder; a Libri2Mix split folder ("
                                 + splitDir
                                 + ") holds mix_clean/ or mix_both/, s1/ and s2/, e.g. "
                                   "<root>/wav8k/min/test.");
    }
}

std::string splitName(const std::string &dir)
{
    fs::path path = fs::path(dir).lexically_normal();
    if (path.filename().empty())
        path = path.parent_path();
    return path.filename().string();
}

} // namespace

std::string libri2mixSplitDir(const std::string &root,
                              int rateKhz,
                              const std::string &mode,
                              const std::string &split)
{
    if (rateKhz != 8 && rateKhz != 16) {
        throw std::invalid_argument("Libri2Mix comes at 8 or 16 kHz, not " + std::to_string(rateKhz)
                                    + " kHz.");
    }
    if (mode != "min" && mode != "max")
        throw std::invalid_argument("Libri2Mix mode must be 'min' or 'max', not '" + mode + "'.");
    if (split.empty())
        throw std::invalid_argument("Libri2Mix split must not be empty (test, dev, train-100...).");
    return (fs::path(root) / ("wav" + std::to_string(rateKhz) + "k") / mode / split).string();
}

std::string libri2mixMixtureFolder(Libri2MixMixture mixture)
{
    return mixture == Libri2MixMixture::Both ? "mix_both" : "mix_clean";
}

Libri2MixDataset::Libri2MixDataset(std::string splitDir,
                                   Libri2MixOptions options,
                                   std::shared_ptr<AudioCache> cache)
    : m_dir(std::move(splitDir))
    , m_options(options)
    , m_cache(std::move(cache))
{
    const fs::path dir(m_dir);
    const fs::path mixDir = dir / libri2mixMixtureFolder(m_options.mixture);
    requireFolder(mixDir, m_dir);
    requireFolder(dir / "s1", m_dir);
    requireFolder(dir / "s2", m_dir);

    std::vector<std::string> names;
    for (const fs::directory_entry &entry : fs::directory_iterator(mixDir)) {
        if (entry.is_regular_file() && isAudioFile(entry.path()))
            names.push_back(entry.path().filename().string());
    }
    std::sort(names.begin(), names.end()); // byte order, as Python's sorted()
    for (const std::string &name : names) {
        for (const char *speaker : {"s1", "s2"}) {
            const fs::path path = dir / speaker / name;
            if (!fs::is_regular_file(path)) {
                throw std::runtime_error(path.string() + " does not exist, but the mixture "
                                         + (mixDir / name).string() + " needs it.");
            }
        }
    }
    m_total = names.size();

    const std::int64_t maxSamples = m_options.maxSamples;
    if (maxSamples >= 0 && std::size_t(maxSamples) < names.size()) {
        if (m_options.subset == SubsetRule::Head) {
            names.resize(std::size_t(maxSamples));
        } else {
            std::vector<std::string> subset;
            const std::uint64_t seed = mixSeed(m_options.seed, kSubsetStream);
            for (std::size_t index : seededSubset(names.size(), std::size_t(maxSamples), seed))
                subset.push_back(names[index]);
            names = std::move(subset);
        }
    }
    if (names.empty()) {
        throw std::runtime_error(mixDir.string() + ": no mixtures to use ("
                                 + std::to_string(m_total) + " .wav/.flac files, max_samples "
                                 + std::to_string(maxSamples) + ").");
    }
    m_selected = std::move(names);
    m_sampleRate = audio::probeAudio((mixDir / m_selected.front()).string()).sampleRate;
}

Example Libri2MixDataset::get(std::size_t index, int /*epoch*/) const
{
    if (index >= m_selected.size()) {
        throw std::out_of_range("Libri2Mix " + m_dir + ": index " + std::to_string(index)
                                + " is out of range (" + std::to_string(m_selected.size())
                                + " mixtures).");
    }
    const fs::path dir(m_dir);
    const std::string &name = m_selected[index];
    const auto load = [this](const std::string &path) {
        int rate = 0;
        std::vector<float> samples;
        if (m_cache) {
            samples = *m_cache->load(path, &rate);
        } else {
            audio::Audio audio = audio::readAudio(path);
            rate = audio.sampleRate;
            samples = std::move(audio.samples);
        }
        if (rate != m_sampleRate) {
            throw std::runtime_error(path + " is sampled at " + std::to_string(rate)
                                     + " Hz but the first mixture of " + m_dir + " at "
                                     + std::to_string(m_sampleRate) + " Hz.");
        }
        return samples;
    };

    Example example;
    example.mix = load((dir / libri2mixMixtureFolder(m_options.mixture) / name).string());
    example.targets = {load((dir / "s1" / name).string()), load((dir / "s2" / name).string())};
    const std::size_t shortest = std::min(
        {example.mix.size(), example.targets[0].size(), example.targets[1].size()});
    example.mix.resize(shortest);
    for (std::vector<float> &target : example.targets)
        target.resize(shortest);
    example.id = name;
    return example;
}

std::string Libri2MixDataset::manifestHash() const
{
    // No CSV here: the folder's sorted file list is the manifest.
    std::uint64_t hash = fnv1a("libri2mix\n" + libri2mixMixtureFolder(m_options.mixture) + "\n");
    for (const std::string &name : m_selected)
        hash = fnv1a(name + "\n", hash);
    std::string rule = "all";
    if (m_options.maxSamples >= 0)
        rule = m_options.subset == SubsetRule::Head ? "head" : "random";
    return hex16(fnv1a("subset=" + rule + "\nmax_samples=" + std::to_string(m_options.maxSamples)
                           + "\nseed=" + std::to_string(m_options.seed) + "\n",
                       hash));
}

std::string Libri2MixDataset::describe() const
{
    std::string text = std::string(m_options.mixture == Libri2MixMixture::Both ? "Libri2Mix-Noisy"
                                                                               : "Libri2Mix-Clean")
                       + " " + splitName(m_dir) + " (SB, ";
    if (m_selected.size() < m_total) {
        text += std::to_string(m_selected.size()) + " of " + std::to_string(m_total) + " mixtures, "
                + (m_options.subset == SubsetRule::Head
                       ? std::string("first mixtures")
                       : "random subset seed " + std::to_string(m_options.seed));
    } else {
        text += std::to_string(m_selected.size()) + " mixtures";
    }
    return text + ")";
}

} // namespace seplab::data
