#include "core/data/loading/batch_collate.h"

#include "core/data/loading/loader_random.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <torch/torch.h>

namespace seplab::data {

namespace {

// Keeps the crop stream apart from any other stream drawn from the same (seed, epoch, index).
constexpr std::uint64_t kCropStream = 0x43524f50; // "CROP"

std::string describeExample(const Example &example, std::size_t index)
{
    return "example " + std::to_string(index)
           + (example.id.empty() ? std::string() : " ('" + example.id + "')");
}

void checkExample(const Example &example, std::size_t index, std::size_t channels)
{
    if (example.targets.size() != channels)
        throw std::runtime_error(
            describeExample(example, index) + " has " + std::to_string(example.targets.size())
            + " target(s) but the batch has " + std::to_string(channels) + ".");
    for (std::size_t c = 0; c < example.targets.size(); ++c) {
        if (example.targets[c].size() != example.mix.size())
            throw std::runtime_error(
                describeExample(example, index) + ": target " + std::to_string(c) + " has "
                + std::to_string(example.targets[c].size()) + " samples but the mixture has "
                + std::to_string(example.mix.size()) + ".");
    }
}

// Copies `valid` samples of `source` from `offset` into `row` and zeroes the rest of the row.
void fillRow(float *row,
             std::int64_t length,
             const std::vector<float> &source,
             std::int64_t offset,
             std::int64_t valid)
{
    if (valid > 0)
        std::memcpy(row, source.data() + offset, std::size_t(valid) * sizeof(float));
    if (valid < length)
        std::memset(row + valid, 0, std::size_t(length - valid) * sizeof(float));
}

} // namespace

std::int64_t randomCropOffset(std::uint64_t seed, int epoch, std::size_t index, std::int64_t slack)
{
    if (slack <= 0)
        return 0;
    Xoshiro256 rng(mixSeed({seed, kCropStream, std::uint64_t(std::int64_t(epoch)), index}));
    return std::int64_t(uniformBelow(rng, std::uint64_t(slack) + 1));
}

std::int64_t batchLength(const LoaderOptions &options, std::int64_t longest)
{
    const std::int64_t segment = options.segmentSamples;
    if (segment <= 0)
        return longest;
    if (options.lengthMode == LengthMode::PadToLongest)
        return std::min(longest, segment);
    return segment;
}

Batch collateBatch(std::vector<Example> examples,
                   const std::vector<std::size_t> &indices,
                   int epoch,
                   const LoaderOptions &options)
{
    if (examples.size() != indices.size())
        throw std::logic_error("collateBatch: examples and indices differ in count.");
    const std::int64_t batch = std::int64_t(examples.size());
    const std::size_t channels = examples.empty() ? 0 : examples.front().targets.size();
    std::int64_t longest = 0;
    for (std::size_t i = 0; i < examples.size(); ++i) {
        checkExample(examples[i], indices[i], channels);
        longest = std::max(longest, std::int64_t(examples[i].mix.size()));
    }
    const std::int64_t length = batchLength(options, longest);
    const bool randomWindow = options.lengthMode == LengthMode::RandomCrop
                              && options.segmentSamples > 0;

    Batch out;
    // Uninitialised storage: fillRow writes every element, padding included.
    out.mix = torch::empty({batch, length}, torch::kFloat32);
    out.targets = torch::empty({batch, std::int64_t(channels), length}, torch::kFloat32);
    out.lengths = torch::empty({batch}, torch::kInt64);
    float *mix = out.mix.data_ptr<float>();
    float *targets = out.targets.data_ptr<float>();
    std::int64_t *lengths = out.lengths.data_ptr<std::int64_t>();

    out.variants.reserve(examples.size());
    out.ids.reserve(examples.size());
    out.indices = indices;
    for (std::int64_t b = 0; b < batch; ++b) {
        Example &example = examples[std::size_t(b)];
        const std::int64_t natural = std::int64_t(example.mix.size());
        const std::int64_t valid = std::min(natural, length);
        const std::int64_t offset = randomWindow ? randomCropOffset(options.seed,
                                                                    epoch,
                                                                    indices[std::size_t(b)],
                                                                    natural - length)
                                                 : 0;
        fillRow(mix + b * length, length, example.mix, offset, valid);
        for (std::size_t c = 0; c < channels; ++c) {
            float *row = targets + (b * std::int64_t(channels) + std::int64_t(c)) * length;
            fillRow(row, length, example.targets[c], offset, valid);
        }
        lengths[b] = valid;
        out.variants.push_back(std::move(example.variant));
        out.ids.push_back(std::move(example.id));
    }
    return out;
}

} // namespace seplab::data
