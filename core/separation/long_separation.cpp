#include "core/separation/long_separation.h"

#include "core/metrics/pit.h"
#include "core/models/separator.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <torch/torch.h>

namespace seplab::separation {

namespace {

constexpr double kPi = 3.14159265358979323846;

// Runs the model once on mixture [T] (already on the model's device), zero-padding inputs that
// are too short, and returns [C, T] on the CPU in float32.
torch::Tensor separateOnce(models::Separator &model,
                           const torch::Tensor &mixture,
                           std::int64_t minimum)
{
    const std::int64_t length = mixture.size(0);
    torch::Tensor input = mixture;
    if (length < minimum)
        input = torch::cat({mixture, torch::zeros({minimum - length}, mixture.options())});
    const torch::Tensor estimates = model.separate(input.unsqueeze(0)); // [1, C, T']
    return estimates.squeeze(0).narrow(1, 0, length).to(torch::kCPU, torch::kFloat).contiguous();
}

torch::Device modelDevice(models::Separator &model)
{
    for (const torch::Tensor &parameter : model.parameters())
        return parameter.device();
    for (const torch::Tensor &buffer : model.buffers())
        return buffer.device();
    return torch::Device(torch::kCPU);
}

std::int64_t secondsToSamples(double seconds, int sampleRate)
{
    return static_cast<std::int64_t>(std::llround(seconds * sampleRate));
}

// Adds chunk [C, L] starting at `start` to `out` [C, total], of which [0, writtenEnd) is final.
std::vector<int> appendChunk(torch::Tensor &out,
                             std::int64_t writtenEnd,
                             torch::Tensor chunk,
                             std::int64_t start,
                             Crossfade shape)
{
    const std::int64_t length = chunk.size(1);
    const std::int64_t overlap = std::min(writtenEnd - start, length);
    std::vector<int> perm(static_cast<std::size_t>(chunk.size(0)));
    for (std::size_t j = 0; j < perm.size(); ++j)
        perm[j] = static_cast<int>(j);
    if (overlap > 0) {
        torch::Tensor previous = out.narrow(1, start, overlap);
        perm = alignSources(previous, chunk.narrow(1, 0, overlap));
        chunk = chunk.index_select(0,
                                   torch::tensor(
                                       std::vector<std::int64_t>(perm.begin(), perm.end())));
        const torch::Tensor w = fadeInWeights(overlap, shape).unsqueeze(0);
        previous.copy_(previous * (1.0 - w) + chunk.narrow(1, 0, overlap) * w);
    }
    if (length > overlap)
        out.narrow(1, start + overlap, length - overlap)
            .copy_(chunk.narrow(1, overlap, length - overlap));
    return perm;
}

} // namespace

std::vector<std::int64_t> planChunks(std::int64_t total, std::int64_t chunk, std::int64_t overlap)
{
    if (chunk < 1 || overlap < 0 || overlap >= chunk)
        throw std::invalid_argument("the overlap (" + std::to_string(overlap)
                                    + " samples) must be at least 0 and shorter than the chunk ("
                                    + std::to_string(chunk) + " samples).");
    std::vector<std::int64_t> starts{0};
    if (total <= chunk)
        return starts;
    const std::int64_t hop = chunk - overlap;
    while (starts.back() + chunk < total)
        starts.push_back(std::min(starts.back() + hop, total - chunk));
    return starts;
}

std::vector<int> alignSources(const at::Tensor &previous, const at::Tensor &current)
{
    if (previous.dim() != 2 || current.dim() != 2 || previous.sizes() != current.sizes())
        throw std::invalid_argument("alignSources needs two [C, L] tensors of the same shape.");
    const std::int64_t count = previous.size(0);
    const torch::Tensor a = previous.to(torch::kCPU, torch::kDouble);
    const torch::Tensor b = current.to(torch::kCPU, torch::kDouble);
    const torch::Tensor dots = torch::matmul(b, a.transpose(0, 1)); // [current, previous]
    const torch::Tensor norms = torch::outer(b.norm(2, {1}), a.norm(2, {1}))
                                + 1e-12; // avoids 0/0 on silence
    const torch::Tensor cosine = (dots / norms).contiguous();
    const auto acc = cosine.accessor<double, 2>();

    std::vector<std::vector<double>> scores(static_cast<std::size_t>(count),
                                            std::vector<double>(static_cast<std::size_t>(count)));
    double identity = 0.0;
    for (std::int64_t i = 0; i < count; ++i) {
        for (std::int64_t j = 0; j < count; ++j)
            scores[std::size_t(i)][std::size_t(j)] = acc[i][j];
        identity += acc[i][i];
    }
    std::vector<int> perm = metrics::bestAssignment(scores);
    double best = 0.0;
    for (std::int64_t j = 0; j < count; ++j)
        best += scores[std::size_t(perm[std::size_t(j)])][std::size_t(j)];
    if (!(best > identity + 1e-9)) {
        for (std::int64_t j = 0; j < count; ++j)
            perm[std::size_t(j)] = static_cast<int>(j);
    }
    return perm;
}

at::Tensor fadeInWeights(std::int64_t length, Crossfade shape)
{
    const torch::Tensor position = torch::arange(1, length + 1, torch::kDouble)
                                   / double(length + 1); // (0, 1)
    const torch::Tensor w = shape == Crossfade::Linear ? position
                                                       : 0.5 - 0.5 * torch::cos(position * kPi);
    return w.to(torch::kFloat);
}

Stitched stitchChunks(const std::vector<at::Tensor> &chunks,
                      const std::vector<std::int64_t> &starts,
                      std::int64_t total,
                      Crossfade shape)
{
    if (chunks.empty() || chunks.size() != starts.size())
        throw std::invalid_argument("stitchChunks needs one start offset per chunk.");
    Stitched result;
    result.sources = torch::zeros({chunks.front().size(0), total}, torch::kFloat);
    std::int64_t writtenEnd = 0;
    for (std::size_t k = 0; k < chunks.size(); ++k) {
        const torch::Tensor chunk = chunks[k].to(torch::kCPU, torch::kFloat);
        if (starts[k] > writtenEnd || starts[k] < (k == 0 ? 0 : starts[k - 1])
            || starts[k] + chunk.size(1) > total || chunk.size(0) != result.sources.size(0))
            throw std::invalid_argument("stitchChunks: chunk " + std::to_string(k)
                                        + " leaves a gap, goes backwards or runs past the end.");
        result.permutations.push_back(
            appendChunk(result.sources, writtenEnd, chunk, starts[k], shape));
        writtenEnd = std::max(writtenEnd, starts[k] + chunk.size(1));
    }
    if (writtenEnd != total)
        throw std::invalid_argument("stitchChunks: the chunks end at sample "
                                    + std::to_string(writtenEnd) + ", not at "
                                    + std::to_string(total) + ".");
    return result;
}

std::int64_t minimumInputSamples(const models::Separator &model)
{
    const nlohmann::json params = model.params();
    const std::int64_t kernel = params.value("kernel_size", std::int64_t(16));
    if (model.typeName() == "convtasnet") {
        // The most dilated block reflect-pads its L frames by 2^(X-1) (P-1)/2 per side, which
        // needs L > pad; L frames span (L-1) stride + kernel samples.
        const std::int64_t X = params.at("X").get<std::int64_t>();
        const std::int64_t P = params.at("P").get<std::int64_t>();
        const std::int64_t stride = params.at("stride").get<std::int64_t>();
        const std::int64_t pad = (std::int64_t(1) << (X - 1)) * (P - 1) / 2;
        return pad * stride + kernel;
    }
    return kernel;
}

LongSeparation separateLong(models::Separator &model,
                            const at::Tensor &mixture,
                            int sampleRate,
                            const LongSeparationOptions &options)
{
    if (mixture.dim() != 1 || mixture.size(0) < 1)
        throw std::invalid_argument("the mixture is empty (separation needs at least one sample).");
    if (!(options.chunkSeconds > 0.0) || !(options.overlapSeconds >= 0.0))
        throw std::invalid_argument(
            "the chunk length must be positive and the overlap at least 0.");
    const std::int64_t chunk = std::max<std::int64_t>(1,
                                                      secondsToSamples(options.chunkSeconds,
                                                                       sampleRate));
    const std::int64_t overlap = secondsToSamples(options.overlapSeconds, sampleRate);
    const std::int64_t total = mixture.size(0);
    const std::vector<std::int64_t> starts = planChunks(total, chunk, overlap);

    torch::NoGradGuard noGrad;
    const bool wasTraining = model.is_training();
    model.eval();
    const torch::Device device = modelDevice(model);
    const torch::Tensor input = mixture.to(device, torch::kFloat);
    const std::int64_t minimum = minimumInputSamples(model);

    LongSeparation result;
    result.chunks = starts.size();
    try {
        std::int64_t writtenEnd = 0;
        for (const std::int64_t start : starts) {
            const std::int64_t length = std::min(chunk, total - start);
            const torch::Tensor estimates = separateOnce(model,
                                                         input.narrow(0, start, length),
                                                         minimum);
            if (!result.sources.defined())
                result.sources = torch::zeros({estimates.size(0), total}, torch::kFloat);
            result.permutations.push_back(
                appendChunk(result.sources, writtenEnd, estimates, start, options.crossfade));
            writtenEnd = start + length;
        }
    } catch (...) {
        model.train(wasTraining);
        throw;
    }
    model.train(wasTraining);
    return result;
}

} // namespace seplab::separation
