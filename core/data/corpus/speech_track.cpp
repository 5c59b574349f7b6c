#include "core/data/corpus/speech_track.h"

#include <cmath>
#include <stdexcept>

namespace seplab::data::corpus {

Signal speechTrack(Rng &rng,
                   const std::vector<std::vector<float>> &utterances,
                   int rate,
                   std::size_t n,
                   bool startMidUtterance)
{
    if (utterances.empty())
        throw std::invalid_argument("speechTrack: the voice has no utterances");
    Signal track(n, 0.0);
    const std::size_t fade = std::size_t(0.01 * rate);
    long position = startMidUtterance ? -long(std::lround(rng.uniform(0.0, 2.0) * rate))
                                      : long(std::lround(rng.uniform(0.0, 0.4) * rate));
    while (position < long(n)) {
        const std::vector<float> &utterance
            = utterances[std::size_t(rng.uniformInt(0, int(utterances.size()) - 1))];
        addAt(track, Signal(utterance.begin(), utterance.end()), position);
        position += long(utterance.size()) + long(std::lround(rng.uniform(0.15, 0.6) * rate));
    }
    // Whatever was cut at either end starts and stops smoothly.
    fadeIn(track, fade);
    fadeOut(track, fade);
    return track;
}

} // namespace seplab::data::corpus
