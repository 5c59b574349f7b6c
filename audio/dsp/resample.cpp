#include "audio/dsp/resample.h"

#include "audio/io/audio_error.h"

#include <cstdint>
#include <memory>
#include <samplerate.h>
#include <string>

namespace seplab::audio {

namespace {

int converterType(ResampleQuality quality)
{
    switch (quality) {
    case ResampleQuality::Best:
        return SRC_SINC_BEST_QUALITY;
    case ResampleQuality::Medium:
        return SRC_SINC_MEDIUM_QUALITY;
    case ResampleQuality::Fast:
        return SRC_SINC_FASTEST;
    }
    return SRC_SINC_BEST_QUALITY;
}

[[noreturn]] void fail(int fromRate, int toRate, const std::string &problem)
{
    throw AudioError("cannot resample from " + std::to_string(fromRate) + " Hz to "
                     + std::to_string(toRate) + " Hz: " + problem);
}

struct StateDeleter
{
    void operator()(SRC_STATE *state) const { src_delete(state); }
};

} // namespace

std::vector<float> resample(const std::vector<float> &in,
                            int fromRate,
                            int toRate,
                            ResampleQuality quality)
{
    if (fromRate <= 0 || toRate <= 0)
        fail(fromRate, toRate, "sample rates must be positive");
    if (fromRate == toRate)
        return in;
    const double ratio = double(toRate) / fromRate;
    if (!src_is_valid_ratio(ratio))
        fail(fromRate, toRate, "libsamplerate supports ratios from 1/256 to 256 only");

    // Rounded in integers so the length never depends on floating-point error.
    const auto n = std::int64_t(in.size());
    const std::int64_t outLength = (2 * n * toRate + fromRate) / (2 * std::int64_t(fromRate));
    std::vector<float> out(std::size_t(outLength), 0.0f);
    if (outLength == 0)
        return out;

    int error = 0;
    std::unique_ptr<SRC_STATE, StateDeleter> state(src_new(converterType(quality), 1, &error));
    if (!state)
        fail(fromRate, toRate, src_strerror(error));

    // libsamplerate stops at floor(n * ratio) samples: the last rounded-up sample lies up to
    // half an output period past the input. Feeding trailing silence lets it produce that
    // sample from the zeros it would assume after the end anyway.
    const std::vector<float> silence(std::size_t(2.0 / ratio) + 2, 0.0f);
    SRC_DATA data{};
    data.src_ratio = ratio;
    std::int64_t produced = 0;
    for (int pass = 0; pass < 2 && produced < outLength; ++pass) {
        const std::vector<float> &input = pass == 0 ? in : silence;
        data.data_in = input.data();
        data.input_frames = long(input.size());
        data.end_of_input = pass == 1;
        bool progressed = true;
        while (produced < outLength && progressed) {
            data.data_out = out.data() + produced;
            data.output_frames = long(outLength - produced);
            if ((error = src_process(state.get(), &data)) != 0)
                fail(fromRate, toRate, src_strerror(error));
            data.data_in += data.input_frames_used;
            data.input_frames -= data.input_frames_used;
            produced += data.output_frames_gen;
            progressed = data.input_frames_used > 0 || data.output_frames_gen > 0;
        }
    }
    return out;
}

} // namespace seplab::audio
