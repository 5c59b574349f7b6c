#include "core/data/corpus/room_reverb.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <torch/torch.h>

namespace seplab::data::corpus {

namespace {

// 60 dB of energy decay: amplitude envelope exp(-kDecay60 * t / rt60).
const double kDecay60 = 3.0 * std::log(10.0);

std::int64_t nextPowerOfTwo(std::int64_t n)
{
    std::int64_t size = 1;
    while (size < n)
        size <<= 1;
    return size;
}

torch::Tensor toTensor(const Signal &x, std::int64_t length)
{
    torch::Tensor out = torch::zeros({length}, torch::kFloat64);
    const std::int64_t used = std::min<std::int64_t>(length, std::int64_t(x.size()));
    std::copy(x.begin(), x.begin() + used, out.data_ptr<double>());
    return out;
}

} // namespace

RoomImpulseResponse makeRoomImpulseResponse(Rng &rng, int rate, double rt60, double drrDb)
{
    if (rate <= 0 || !(rt60 > 0.0))
        throw std::invalid_argument("makeRoomImpulseResponse: rate and rt60 must be positive");
    const std::size_t length = std::max<std::size_t>(2, std::size_t(std::lround(rt60 * rate)));
    RoomImpulseResponse rir;
    rir.rt60 = rt60;
    rir.drrDb = drrDb;
    rir.taps.assign(length, 0.0);

    const auto envelope = [&](std::size_t i) {
        return std::exp(-kDecay60 * double(i) / rate / rt60);
    };
    // The diffuse tail builds up over the first milliseconds instead of starting at full level
    // (a room needs a few reflections before the field is diffuse).
    const double onset = rng.uniform(0.002, 0.006) * rate;
    for (std::size_t i = 1; i < length; ++i) {
        const double buildUp = std::min(1.0, double(i) / onset);
        rir.taps[i] = rng.normal() * envelope(i) * buildUp;
    }
    // Early reflections off the nearest walls: discrete, stronger than the tail around them.
    const int reflections = rng.uniformInt(3, 7);
    for (int k = 0; k < reflections; ++k) {
        const std::size_t at = std::min(length - 1,
                                        std::size_t(std::lround(rng.uniform(0.0015, 0.02) * rate)));
        const double sign = rng.chance(0.5) ? 1.0 : -1.0;
        rir.taps[std::max<std::size_t>(1, at)] += sign * rng.uniform(1.5, 3.0) * envelope(at);
    }

    // Everything after the direct path carries 10^(-DRR/10) of the direct path's energy.
    double reverberant = 0.0;
    for (std::size_t i = 1; i < length; ++i)
        reverberant += rir.taps[i] * rir.taps[i];
    const double gain = std::sqrt(std::pow(10.0, -drrDb / 10.0) / std::max(reverberant, 1e-30));
    for (std::size_t i = 1; i < length; ++i)
        rir.taps[i] *= gain;
    rir.taps[0] = 1.0;
    return rir;
}

std::vector<Signal> reverbComponents(const std::vector<Signal> &dry,
                                     const std::vector<RoomImpulseResponse> &responses)
{
    if (dry.size() != responses.size())
        throw std::invalid_argument("reverbComponents: one impulse response per signal");
    std::vector<Signal> out;
    if (dry.empty())
        return out;

    std::int64_t longest = 0;
    for (std::size_t k = 0; k < dry.size(); ++k)
        longest = std::max<std::int64_t>(longest,
                                         std::int64_t(dry[k].size() + responses[k].taps.size()));
    // Linear (not circular) convolution: the FFT covers the full length of the result.
    const std::int64_t fftSize = nextPowerOfTwo(longest);

    std::vector<torch::Tensor> signals, kernels;
    for (std::size_t k = 0; k < dry.size(); ++k) {
        signals.push_back(toTensor(dry[k], fftSize));
        // Without the direct path the convolution is wet − dry, with no cancellation error.
        torch::Tensor kernel = toTensor(responses[k].taps, fftSize);
        kernel[0] = 0.0;
        kernels.push_back(kernel);
    }
    const torch::Tensor spectrum = torch::fft::rfft(torch::stack(signals), fftSize, 1)
                                   * torch::fft::rfft(torch::stack(kernels), fftSize, 1);
    const torch::Tensor wet = torch::fft::irfft(spectrum, fftSize, 1).contiguous();

    for (std::size_t k = 0; k < dry.size(); ++k) {
        const double *row = wet[std::int64_t(k)].data_ptr<double>();
        out.emplace_back(row, row + dry[k].size());
    }
    return out;
}

} // namespace seplab::data::corpus
