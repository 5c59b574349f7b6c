#include "core/models/blocks/segmentation.h"

#include <torch/torch.h>

namespace seplab::models {

Segmented segment(const at::Tensor &frames, std::int64_t chunkSize)
{
    const std::int64_t batch = frames.size(0);
    const std::int64_t channels = frames.size(1);
    const std::int64_t length = frames.size(2);
    const std::int64_t hop = chunkSize / 2;

    const std::int64_t gap = chunkSize - (hop + length % chunkSize) % chunkSize;
    namespace F = torch::nn::functional;
    at::Tensor padded = frames;
    if (gap > 0)
        padded = F::pad(padded, F::PadFuncOptions({0, gap}));
    padded = F::pad(padded, F::PadFuncOptions({hop, hop}));

    const std::int64_t total = padded.size(2);
    const at::Tensor first
        = padded.slice(2, 0, total - hop).contiguous().view({batch, channels, -1, chunkSize});
    const at::Tensor second
        = padded.slice(2, hop, total).contiguous().view({batch, channels, -1, chunkSize});
    const at::Tensor chunks = torch::cat({first, second}, 3)
                                  .view({batch, channels, -1, chunkSize})
                                  .transpose(2, 3)
                                  .contiguous();
    return {chunks, gap};
}

at::Tensor overlapAdd(const at::Tensor &chunks, std::int64_t gap)
{
    const std::int64_t batch = chunks.size(0);
    const std::int64_t channels = chunks.size(1);
    const std::int64_t chunkSize = chunks.size(2);
    const std::int64_t hop = chunkSize / 2;

    const at::Tensor pairs = chunks.transpose(2, 3).contiguous().view(
        {batch, channels, -1, 2 * chunkSize});
    const at::Tensor first = pairs.slice(3, 0, chunkSize).contiguous().view({batch, channels, -1});
    const at::Tensor second
        = pairs.slice(3, chunkSize, 2 * chunkSize).contiguous().view({batch, channels, -1});
    at::Tensor summed = first.slice(2, hop, first.size(2))
                        + second.slice(2, 0, second.size(2) - hop);
    if (gap > 0)
        summed = summed.slice(2, 0, summed.size(2) - gap);
    return summed;
}

} // namespace seplab::models
