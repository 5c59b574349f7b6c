#include "core/data/corpus/speech_synth.h"

#include "audio/dsp/resample.h"
#include "audio/io/audio_file.h"
#include "core/data/corpus/subprocess.h"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <stdexcept>

namespace seplab::data::corpus {

const char *const kEspeakMissing = "espeak-ng is not installed (apt-get install espeak-ng).";

namespace {

// espeak-ng writes 16-bit samples, and its pauses are digital silence, so anything below two
// quantisation steps is silence.
constexpr float kSilence = 2.0f / 32768.0f;
// The SSML break between sentences, and the shortest silence taken as that break: commas and
// full stops inside a sentence pause for well under half a second even at the slowest speed.
constexpr int kBreakMs = 2000;
constexpr double kMinBreakSeconds = 1.0;

std::string xmlEscaped(const std::string &text)
{
    std::string out;
    for (char c : text) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        default:
            out += c;
        }
    }
    return out;
}

void writeText(const std::string &path, const std::string &text)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out.flush())
        throw std::runtime_error("cannot write the espeak-ng input " + path);
}

// Runs espeak-ng on a text file and returns its output at the synthesiser's own rate.
audio::Audio speak(const std::string &espeakPath,
                   const Voice &voice,
                   const std::string &text,
                   bool ssml,
                   const std::string &stem)
{
    const std::string textPath = stem + ".txt";
    const std::string wavPath = stem + ".wav";
    const std::string errPath = stem + ".err";
    writeText(textPath, text);
    std::vector<std::string> argv = {espeakPath,
                                     "-b",
                                     "1", // UTF-8 input, whatever the locale
                                     "-v",
                                     voice.espeakVoice,
                                     "-p",
                                     std::to_string(voice.pitch),
                                     "-s",
                                     std::to_string(voice.speed),
                                     "-w",
                                     wavPath,
                                     "-f",
                                     textPath};
    if (ssml)
        argv.insert(argv.begin() + 1, "-m");
    const int status = runProgram(argv, errPath);
    std::string stderrText;
    {
        std::ifstream err(errPath);
        std::getline(err, stderrText);
    }
    std::remove(textPath.c_str());
    std::remove(errPath.c_str());
    if (status != 0) {
        std::remove(wavPath.c_str());
        throw std::runtime_error("espeak-ng failed for voice " + voice.espeakVoice
                                 + " (exit status " + std::to_string(status) + ")"
                                 + (stderrText.empty() ? "" : ": " + stderrText));
    }
    audio::Audio audio = audio::readAudio(wavPath);
    std::remove(wavPath.c_str());
    return audio;
}

std::vector<float> trimmed(const std::vector<float> &samples, size_t begin, size_t end)
{
    while (begin < end && std::fabs(samples[begin]) <= kSilence)
        ++begin;
    while (end > begin && std::fabs(samples[end - 1]) <= kSilence)
        --end;
    return std::vector<float>(samples.begin() + long(begin), samples.begin() + long(end));
}

// Cuts the output at every silence of at least kMinBreakSeconds.
std::vector<std::vector<float>> splitAtBreaks(const audio::Audio &audio)
{
    const size_t minRun = size_t(kMinBreakSeconds * audio.sampleRate);
    const std::vector<float> &x = audio.samples;
    std::vector<std::vector<float>> pieces;
    size_t pieceStart = 0;
    size_t i = 0;
    while (i < x.size()) {
        if (std::fabs(x[i]) > kSilence) {
            ++i;
            continue;
        }
        size_t runEnd = i;
        while (runEnd < x.size() && std::fabs(x[runEnd]) <= kSilence)
            ++runEnd;
        if (runEnd - i >= minRun || runEnd == x.size()) {
            std::vector<float> piece = trimmed(x, pieceStart, i);
            if (!piece.empty())
                pieces.push_back(std::move(piece));
            pieceStart = runEnd;
        }
        i = runEnd;
    }
    std::vector<float> last = trimmed(x, pieceStart, x.size());
    if (!last.empty())
        pieces.push_back(std::move(last));
    return pieces;
}

std::vector<float> toRate(const std::vector<float> &utterance,
                          int fileRate,
                          const Voice &voice,
                          int rate)
{
    // Claiming a higher source rate plays the utterance faster: pitch and formants rise by the
    // warp factor. Medium quality (97 dB SNR) is far beyond what synthetic speech needs and is
    // 4x faster than Best, which would dominate the corpus' build time.
    const int claimedRate = int(std::lround(fileRate * voice.formantWarp));
    return audio::resample(utterance, claimedRate, rate, audio::ResampleQuality::Medium);
}

} // namespace

const std::vector<Voice> &corpusVoices()
{
    static const std::vector<Voice> voices = {
        {"spk00", "pl+m1", 35, 150, 0.95},
        {"spk01", "pl+m2", 50, 165, 1.00},
        {"spk02", "pl+m3", 25, 140, 0.92},
        {"spk03", "pl+m4", 45, 175, 1.03},
        {"spk04", "pl+m7", 60, 155, 0.97},
        {"spk05", "pl+klatt2", 40, 145, 1.00},
        {"spk06", "pl+f1", 55, 160, 1.04},
        {"spk07", "pl+f2", 70, 150, 1.08},
        {"spk08", "pl+f3", 62, 170, 1.00},
        {"spk09", "pl+f4", 80, 145, 1.10},
        {"spk10", "pl+f5", 50, 160, 1.06},
        {"spk11", "pl+klatt4", 75, 155, 1.05},
    };
    return voices;
}

std::vector<std::vector<float>> synthesizeVoice(const std::string &espeakPath,
                                                const Voice &voice,
                                                const std::vector<std::string> &sentences,
                                                int rate,
                                                const std::string &workDir)
{
    const std::string stem = workDir + "/" + voice.id;
    std::string ssml = "<speak>";
    for (const std::string &sentence : sentences)
        ssml += xmlEscaped(sentence) + "<break time=\"" + std::to_string(kBreakMs) + "ms\"/>\n";
    ssml += "</speak>\n";

    const audio::Audio all = speak(espeakPath, voice, ssml, true, stem);
    std::vector<std::vector<float>> pieces = splitAtBreaks(all);
    int fileRate = all.sampleRate;
    if (pieces.size() != sentences.size()) {
        pieces.clear();
        for (size_t i = 0; i < sentences.size(); ++i) {
            const audio::Audio one = speak(espeakPath,
                                           voice,
                                           sentences[i],
                                           false,
                                           stem + "_" + std::to_string(i));
            fileRate = one.sampleRate;
            pieces.push_back(trimmed(one.samples, 0, one.samples.size()));
            if (pieces.back().empty())
                throw std::runtime_error("espeak-ng produced silence for \"" + sentences[i]
                                         + "\" with voice " + voice.espeakVoice);
        }
    }

    std::vector<std::vector<float>> utterances;
    utterances.reserve(pieces.size());
    for (const std::vector<float> &piece : pieces)
        utterances.push_back(toRate(piece, fileRate, voice, rate));
    return utterances;
}

} // namespace seplab::data::corpus
