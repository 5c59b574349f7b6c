#pragma once

// Polish speech from espeak-ng. Each synthetic speaker is an espeak-ng voice variant with its own
// pitch and speed, plus a formant warp (resampling the synthesiser's output as if it had been
// recorded at a slightly different rate scales every formant, i.e. the vocal-tract length).

#include <string>
#include <vector>

namespace seplab::data::corpus {

struct Voice
{
    std::string id;          // "spk03": used in file names
    std::string espeakVoice; // "pl+f3"
    int pitch = 50;          // espeak-ng -p, 0..99
    int speed = 160;         // espeak-ng -s, words per minute
    double formantWarp = 1.0;
};

// The corpus' speakers, at least 8 distinct identities.
const std::vector<Voice> &corpusVoices();

// The error make-corpus reports when espeak-ng is missing.
extern const char *const kEspeakMissing;

// Every sentence read by `voice`, as mono float utterances at `rate` with leading and trailing
// silence trimmed. One espeak-ng process reads all sentences separated by long SSML breaks (a
// process start costs more than synthesising a sentence); if cutting at those breaks does not
// give exactly one piece per sentence, each sentence is synthesised on its own instead.
// workDir must exist; the temporary files are removed. Deterministic for the same arguments.
// Throws std::runtime_error when espeak-ng fails.
std::vector<std::vector<float>> synthesizeVoice(const std::string &espeakPath,
                                                const Voice &voice,
                                                const std::vector<std::string> &sentences,
                                                int rate,
                                                const std::string &workDir);

} // namespace seplab::data::corpus
