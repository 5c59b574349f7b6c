#include "core/data/corpus/events.h"

#include "core/data/corpus/scene_noise.h"

#include <algorithm>
#include <cmath>

namespace seplab::data::corpus {

namespace {

constexpr double kPi = 3.14159265358979323846;

std::size_t samplesOf(double seconds, int rate)
{
    return std::size_t(std::lround(seconds * rate));
}

// A frequency the rate can carry, with room below Nyquist for the tones' partials.
double audibleFrequency(Rng &rng, double lo, double hi, int rate)
{
    hi = std::min(hi, 0.4 * rate);
    return rng.uniform(std::min(lo, hi), hi);
}

Signal knock(Rng &rng, int rate)
{
    const int count = rng.uniformInt(2, 4);
    const double spacing = rng.uniform(0.12, 0.3);
    struct Mode
    {
        double frequency, decay, amplitude;
    };
    // The same door for every knock of the series: fixed modes.
    std::vector<Mode> modes(std::size_t(rng.uniformInt(2, 3)));
    for (Mode &mode : modes)
        mode = {audibleFrequency(rng, 120.0, 900.0, rate),
                rng.uniform(0.008, 0.04),
                rng.uniform(0.4, 1.0)};
    const std::size_t one = samplesOf(0.25, rate);
    Signal out(samplesOf(spacing * (count - 1) + 0.25, rate), 0.0);
    for (int k = 0; k < count; ++k) {
        Signal hit(one, 0.0);
        const double strength = rng.uniform(0.6, 1.0);
        for (const Mode &mode : modes) {
            const double phase = rng.uniform(0.0, 2.0 * kPi);
            for (std::size_t i = 0; i < one; ++i) {
                const double t = double(i) / rate;
                hit[i] += mode.amplitude * std::exp(-t / mode.decay)
                          * std::sin(2.0 * kPi * mode.frequency * t + phase);
            }
        }
        // The contact noise of the knuckle: about a millisecond.
        for (std::size_t i = 0; i < one; ++i)
            hit[i] += 0.5 * rng.normal() * std::exp(-double(i) / (0.001 * rate));
        const long start = long(samplesOf(spacing * k + rng.uniform(0.0, 0.02), rate));
        addAt(out, hit, start, strength);
    }
    return out;
}

Signal click(Rng &rng, int rate)
{
    const int count = rng.uniformInt(1, 5);
    const double spacing = rng.uniform(0.03, 0.3);
    const std::size_t one = samplesOf(0.004, rate) + 1;
    Signal out(samplesOf(spacing * (count - 1), rate) + one, 0.0);
    for (int k = 0; k < count; ++k) {
        Signal hit(one);
        for (std::size_t i = 0; i < one; ++i)
            hit[i] = rng.normal() * std::exp(-double(i) / (0.0006 * rate));
        onePoleHighpass(hit, std::min(1000.0, 0.2 * rate), rate);
        addAt(out, hit, long(samplesOf(spacing * k, rate)));
    }
    return out;
}

Signal tone(Rng &rng, int rate)
{
    if (rng.chance(0.5)) {
        // Beeps: steady sines with short fades so that they do not click.
        const int count = rng.uniformInt(1, 3);
        const double length = rng.uniform(0.08, 0.4);
        const double gap = rng.uniform(0.05, 0.2);
        const double f = audibleFrequency(rng, 400.0, 2000.0, rate);
        const std::size_t one = samplesOf(length, rate);
        Signal out(samplesOf((length + gap) * count, rate), 0.0);
        for (int k = 0; k < count; ++k) {
            Signal beep(one);
            for (std::size_t i = 0; i < one; ++i)
                beep[i] = std::sin(2.0 * kPi * f * double(i) / rate);
            fadeIn(beep, samplesOf(0.005, rate));
            fadeOut(beep, samplesOf(0.005, rate));
            addAt(out, beep, long(samplesOf((length + gap) * k, rate)));
        }
        return out;
    }
    // A chime: two decaying notes a third or a fourth apart, each with a weak octave partial.
    const double f = audibleFrequency(rng, 400.0, 1200.0, rate);
    const double ratio = rng.chance(0.5) ? 1.25 : 1.3333;
    const double decay = rng.uniform(0.15, 0.5);
    const double second = rng.uniform(0.25, 0.5);
    const std::size_t noteLength = samplesOf(4.0 * decay, rate);
    Signal out(samplesOf(second, rate) + noteLength, 0.0);
    const double notes[2] = {f * ratio, f};
    for (int k = 0; k < 2; ++k) {
        Signal note(noteLength);
        for (std::size_t i = 0; i < noteLength; ++i) {
            const double t = double(i) / rate;
            double v = std::sin(2.0 * kPi * notes[k] * t);
            if (2.0 * notes[k] < 0.45 * rate)
                v += 0.3 * std::sin(4.0 * kPi * notes[k] * t);
            note[i] = v * std::exp(-t / decay);
        }
        fadeIn(note, samplesOf(0.002, rate));
        fadeOut(note, samplesOf(0.01, rate));
        addAt(out, note, long(samplesOf(second * k, rate)));
    }
    return out;
}

Signal noiseBurst(Rng &rng, int rate)
{
    const double attack = rng.uniform(0.003, 0.03);
    const double decay = rng.uniform(0.03, 0.2);
    const std::size_t length = samplesOf(attack + 5.0 * decay, rate);
    Signal out = colouredNoise(rng,
                               rng.chance(0.5) ? NoiseColour::White : NoiseColour::Pink,
                               length);
    onePoleLowpass(out, audibleFrequency(rng, 500.0, 3500.0, rate), rate);
    const std::size_t attackSamples = std::max<std::size_t>(1, samplesOf(attack, rate));
    for (std::size_t i = 0; i < length; ++i) {
        const double t = double(i) / rate;
        out[i] *= i < attackSamples ? double(i) / attackSamples : std::exp(-(t - attack) / decay);
    }
    return out;
}

} // namespace

std::string eventKindName(EventKind kind)
{
    switch (kind) {
    case EventKind::Knock:
        return "knock";
    case EventKind::Click:
        return "click";
    case EventKind::Tone:
        return "tone";
    case EventKind::NoiseBurst:
        return "burst";
    }
    return "event";
}

EventKind drawEventKind(Rng &rng)
{
    return EventKind(rng.uniformInt(0, 3));
}

Signal makeEvent(Rng &rng, EventKind kind, int rate)
{
    Signal event;
    switch (kind) {
    case EventKind::Knock:
        event = knock(rng, rate);
        break;
    case EventKind::Click:
        event = click(rng, rate);
        break;
    case EventKind::Tone:
        event = tone(rng, rate);
        break;
    case EventKind::NoiseBurst:
        event = noiseBurst(rng, rate);
        break;
    }
    const double top = peak(event);
    if (top > 0.0)
        scale(event, 1.0 / top);
    return event;
}

EventLayer makeEventLayer(Rng &rng, int rate, std::size_t n)
{
    EventLayer layer;
    layer.samples.assign(n, 0.0);
    std::vector<bool> covered(n, false);
    const int count = rng.uniformInt(1, 3);
    for (int k = 0; k < count; ++k) {
        const EventKind kind = drawEventKind(rng);
        const Signal event = makeEvent(rng, kind, rate);
        // Whole events where they fit; a long event in a short clip starts at 0 and is cut.
        const long latest = std::max(0L, long(n) - long(event.size()));
        const long start = rng.uniformInt(0, int(latest));
        addAt(layer.samples, event, start, rng.uniform(0.5, 1.0));
        const std::size_t end = std::min(n, std::size_t(start) + event.size());
        for (std::size_t i = std::size_t(start); i < end; ++i)
            covered[i] = true;
        layer.kinds.push_back(kind);
    }
    layer.activeSamples = std::size_t(std::count(covered.begin(), covered.end(), true));
    return layer;
}

} // namespace seplab::data::corpus
