#pragma once

// A dataset for the loader tests whose samples encode (channel, index, time), so that every
// value in a batch can be traced back to the clip, the channel and the sample it came from, and
// the helpers that read batches of it back.

#include "core/data/loading/batch_collate.h"
#include "core/data/loading/data_loader.h"

#include <QString>
#include <QStringList>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>
#include <torch/torch.h>

namespace seplab::data::test {

inline constexpr int kChannels = 2;

// Sample t of channel ch (0: mixture, 1..C: targets) of clip `index`. Integers below 2^24, so
// float holds them exactly; the +1 keeps every real sample away from the zero of padding.
inline float encoded(int channel, std::size_t index, std::int64_t t)
{
    return float(channel * 1000000 + std::int64_t(index) * 1000 + t + 1);
}

// Clip lengths: fixed, or varying with the index (40 ... 139 samples).
inline std::int64_t variableLength(std::size_t index)
{
    return 40 + std::int64_t((index * 37) % 100);
}

class EncodedDataset : public Dataset
{
public:
    EncodedDataset(std::size_t count, std::int64_t fixedLength = 0)
        : m_count(count)
        , m_fixedLength(fixedLength)
    {}

    std::int64_t lengthOf(std::size_t index) const
    {
        return m_fixedLength > 0 ? m_fixedLength : variableLength(index);
    }

    std::size_t size() const override { return m_count; }
    Example get(std::size_t index, int epoch) const override
    {
        ++m_reads;
        if (m_delay.count() > 0 && index % m_delayEvery == 0)
            std::this_thread::sleep_for(m_delay);
        if (index == m_failAt.load())
            throw std::runtime_error("broken row " + std::to_string(index) + " in test.csv");
        if (index >= m_count)
            throw std::out_of_range("index out of range");
        Example example;
        const std::int64_t length = lengthOf(index);
        example.mix.resize(std::size_t(length));
        example.targets.assign(kChannels, std::vector<float>(std::size_t(length)));
        for (std::int64_t t = 0; t < length; ++t) {
            example.mix[std::size_t(t)] = encoded(0, index, t);
            for (int c = 0; c < kChannels; ++c)
                example.targets[std::size_t(c)][std::size_t(t)] = encoded(c + 1, index, t);
        }
        example.variant = index % 2 ? "SER" : "C";
        example.id = "clip" + std::to_string(index) + "-e" + std::to_string(epoch);
        return example;
    }
    int sampleRate() const override { return 8000; }
    int sources() const override { return kChannels; }
    std::string manifestHash() const override { return "0000000000000000"; }
    std::string describe() const override { return "encoded test dataset"; }

    void setFailAt(std::size_t index) { m_failAt.store(index); }
    // Reads of every `every`-th clip take `delay` longer: uneven work, so that the batches of a
    // multi-threaded loader finish out of order.
    void setDelay(std::chrono::microseconds delay, std::size_t every = 1)
    {
        m_delay = delay;
        m_delayEvery = every;
    }
    std::size_t reads() const { return m_reads.load(); }

private:
    std::size_t m_count;
    std::int64_t m_fixedLength;
    std::atomic<std::size_t> m_failAt{std::size_t(-1)};
    std::chrono::microseconds m_delay{0};
    std::size_t m_delayEvery = 1;
    mutable std::atomic<std::size_t> m_reads{0};
};

inline std::vector<Batch> drainEpoch(DataLoader &loader, int epoch)
{
    loader.startEpoch(epoch);
    std::vector<Batch> batches;
    while (std::optional<Batch> batch = loader.next())
        batches.push_back(std::move(*batch));
    return batches;
}

inline std::vector<std::size_t> flatIndices(const std::vector<Batch> &batches)
{
    std::vector<std::size_t> all;
    for (const Batch &batch : batches)
        all.insert(all.end(), batch.indices.begin(), batch.indices.end());
    return all;
}

inline std::vector<std::size_t> range(std::size_t begin, std::size_t end)
{
    std::vector<std::size_t> values;
    for (std::size_t i = begin; i < end; ++i)
        values.push_back(i);
    return values;
}

inline QString sizesOf(const at::Tensor &t)
{
    QStringList dims;
    for (std::int64_t d : t.sizes())
        dims << QString::number(d);
    return QLatin1Char('[') + dims.join(QStringLiteral(", ")) + QLatin1Char(']');
}

// Checks row b of a batch sample by sample: the window [offset, offset + valid) of the clip in
// the mixture and every target, then zeros. Returns the offset it found, -1 on a mismatch.
inline std::int64_t checkRow(const Batch &batch, std::int64_t b, std::int64_t natural)
{
    const std::size_t index = batch.indices[std::size_t(b)];
    const std::int64_t length = batch.mix.size(1);
    const std::int64_t valid = batch.lengths[b].item<std::int64_t>();
    if (valid != std::min(natural, length))
        return -1;
    const float *mix = batch.mix[b].data_ptr<float>();
    const std::int64_t offset = valid > 0 ? std::int64_t(mix[0]) - 1 - std::int64_t(index) * 1000
                                          : 0;
    if (offset < 0 || offset + valid > natural)
        return -1;
    for (int channel = 0; channel <= kChannels; ++channel) {
        const at::Tensor row = channel == 0 ? batch.mix[b]
                                            : batch.targets[b][channel - 1].contiguous();
        const float *data = row.data_ptr<float>();
        for (std::int64_t t = 0; t < length; ++t) {
            const float expected = t < valid ? encoded(channel, index, offset + t) : 0.0f;
            if (data[t] != expected)
                return -1;
        }
    }
    return offset;
}

inline bool sameBatches(const std::vector<Batch> &a, const std::vector<Batch> &b, QString *why)
{
    if (a.size() != b.size()) {
        *why = QStringLiteral("%1 vs %2 batches").arg(a.size()).arg(b.size());
        return false;
    }
    for (std::size_t k = 0; k < a.size(); ++k) {
        const bool same = a[k].indices == b[k].indices && a[k].ids == b[k].ids
                          && a[k].variants == b[k].variants && a[k].mix.sizes() == b[k].mix.sizes()
                          && a[k].targets.sizes() == b[k].targets.sizes()
                          && torch::equal(a[k].mix, b[k].mix)
                          && torch::equal(a[k].targets, b[k].targets)
                          && torch::equal(a[k].lengths, b[k].lengths);
        if (!same) {
            *why = QStringLiteral("batch %1 differs").arg(k);
            return false;
        }
    }
    return true;
}

} // namespace seplab::data::test
