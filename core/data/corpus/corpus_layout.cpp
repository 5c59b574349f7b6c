#include "core/data/corpus/corpus_layout.h"

#include "audio/io/audio_file.h"
#include "core/data/corpus/speech_synth.h"

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace fs = std::filesystem;

namespace seplab::data::corpus {

const char *const kCorpusCsvHeader = "mixFile,speaker1File,speaker2File,sceneFile,eventFile,"
                                     "reverbForSpeaker1,reverbForSpeaker2,reverbForEvent";

namespace {

std::string rowStem(const std::string &split, int row)
{
    char number[16];
    std::snprintf(number, sizeof number, "%05d", row);
    return split + "_" + number;
}

void writeLayer(const std::string &folder,
                const std::string &name,
                const std::vector<float> &x,
                int rate)
{
    // writeWav is atomic and writes no timestamped PEAK chunk, so seeded runs are byte-identical.
    audio::writeWav(folder + "/" + name, x, 1, rate, audio::SampleFormat::Float32);
}

} // namespace

const std::vector<std::string> &corpusSplits()
{
    static const std::vector<std::string> splits = {"train", "val", "test"};
    return splits;
}

const std::vector<std::string> &corpusLayerFolders()
{
    static const std::vector<std::string> folders
        = {"mix", "clean", "scene", "event", "sp1_reverb", "sp2_reverb", "ev_reverb"};
    return folders;
}

std::string corpusName(const std::string &outDir)
{
    fs::path path = fs::absolute(fs::path(outDir)).lexically_normal();
    if (!path.has_filename())
        path = path.parent_path();
    return path.filename().string();
}

std::string corpusCsvPath(const std::string &outDir, const std::string &split)
{
    const std::string name = "corpus_" + corpusName(outDir) + "_" + split + "_final.csv";
    return (fs::path(outDir) / split / name).string();
}

RowFiles rowFiles(const std::string &split, int row, const CorpusRow &content)
{
    const std::string stem = rowStem(split, row);
    const std::vector<Voice> &voices = corpusVoices();
    RowFiles files;
    files.mix = stem + ".wav";
    files.speaker1 = stem + "_s1_" + voices[std::size_t(content.speaker1)].id + ".wav";
    files.speaker2 = stem + "_s2_" + voices[std::size_t(content.speaker2)].id + ".wav";
    files.scene = stem + "_" + sceneKindName(content.scene) + ".wav";
    files.event = stem + "_" + eventKindName(content.events.front()) + ".wav";
    if (content.layers.indoor) {
        files.reverb1 = stem + ".wav";
        files.reverb2 = stem + ".wav";
        files.reverbEvent = stem + ".wav";
    }
    return files;
}

void writeRowAudio(const std::string &splitDir,
                   const RowFiles &files,
                   const PolsessLayers &layers,
                   int rate)
{
    writeLayer(splitDir + "/clean", files.speaker1, layers.speaker1, rate);
    writeLayer(splitDir + "/clean", files.speaker2, layers.speaker2, rate);
    writeLayer(splitDir + "/scene", files.scene, layers.scene, rate);
    writeLayer(splitDir + "/event", files.event, layers.event, rate);
    if (layers.indoor) {
        writeLayer(splitDir + "/sp1_reverb", files.reverb1, layers.reverb1, rate);
        writeLayer(splitDir + "/sp2_reverb", files.reverb2, layers.reverb2, rate);
        writeLayer(splitDir + "/ev_reverb", files.reverbEvent, layers.reverbEvent, rate);
    }
    // The mixture last: a mix file on disk means its layers are complete.
    writeLayer(splitDir + "/mix", files.mix, layers.mix, rate);
}

void writeManifest(const std::string &csvPath, const std::vector<RowFiles> &rows)
{
    const std::string temporary = csvPath + ".partial";
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        out << kCorpusCsvHeader << "\n";
        for (const RowFiles &row : rows) {
            out << row.mix << ',' << row.speaker1 << ',' << row.speaker2 << ',' << row.scene << ','
                << row.event << ',' << row.reverb1 << ',' << row.reverb2 << ',' << row.reverbEvent
                << "\n";
        }
        out.flush();
        if (!out)
            throw std::runtime_error("cannot write " + temporary);
    }
    std::error_code error;
    fs::rename(temporary, csvPath, error);
    if (error) {
        fs::remove(temporary);
        throw std::runtime_error("cannot write " + csvPath + ": " + error.message());
    }
}

std::string outputFolderProblem(const std::string &outDir, bool overwrite)
{
    if (outDir.empty())
        return "the output folder is empty text; give --out DIR.";
    std::error_code error;
    const fs::file_status status = fs::status(outDir, error);
    if (!fs::exists(status))
        return {};
    if (!fs::is_directory(status))
        return outDir + " exists and is not a folder.";
    if (!overwrite && !fs::is_empty(outDir, error))
        return "the output folder " + outDir
               + " is not empty (pass --force to overwrite the corpus in it).";
    return {};
}

void prepareOutputFolder(const std::string &outDir, bool overwrite)
{
    for (const std::string &split : corpusSplits()) {
        const fs::path splitDir = fs::path(outDir) / split;
        if (overwrite) {
            fs::remove(corpusCsvPath(outDir, split));
            for (const std::string &folder : corpusLayerFolders())
                fs::remove_all(splitDir / folder);
        }
        for (const std::string &folder : corpusLayerFolders())
            fs::create_directories(splitDir / folder);
    }
}

} // namespace seplab::data::corpus
