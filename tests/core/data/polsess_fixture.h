#pragma once

// A PolSESS-layout corpus written into a temporary folder for the data tests: constant-valued
// float32 layers (stored exactly), so the MM-IPC arithmetic can be checked against numbers
// worked out by hand, plus helpers to break individual files.

#include "audio/io/audio_file.h"

#include <QDir>
#include <QFile>
#include <QString>

#include <map>
#include <string>
#include <vector>

namespace seplab::test {

// The layer values of spec §3.1's fixture: mix 1.0, s1 0.5, s2 0.2, scene 0.1, event 0.05,
// r1 0.03, r2 0.02, re 0.01.
struct FixtureLayerValues
{
    float mix = 1.0f, speaker1 = 0.5f, speaker2 = 0.2f, scene = 0.1f, event = 0.05f;
    float reverb1 = 0.03f, reverb2 = 0.02f, reverbEvent = 0.01f;
};

class PolsessFixture
{
public:
    static constexpr const char *kHeader = "mixFile,speaker1File,speaker2File,sceneFile,"
                                           "eventFile,reverbForSpeaker1,reverbForSpeaker2,"
                                           "reverbForEvent";

    // The corpus root is <parent>/<corpusName>.
    PolsessFixture(const QString &parent, const std::string &corpusName = "PolSESS_T")
        : m_root(QDir(parent).filePath(QString::fromStdString(corpusName)).toStdString())
        , m_corpusName(corpusName)
    {}

    const std::string &root() const { return m_root; }
    std::string splitDir(const std::string &split) const { return m_root + "/" + split; }
    std::string csvPath(const std::string &split) const
    {
        return splitDir(split) + "/corpus_" + m_corpusName + "_" + split + "_final.csv";
    }
    std::string csvName(const std::string &split) const
    {
        return "corpus_" + m_corpusName + "_" + split + "_final.csv";
    }
    std::string file(const std::string &split,
                     const std::string &folder,
                     const std::string &name) const
    {
        return splitDir(split) + "/" + folder + "/" + name;
    }

    // Writes the layers of row `stem` and appends its CSV line (written by writeCsv). Returns
    // the row's CSV line number (the header is line 1).
    int addRow(const std::string &split,
               const std::string &stem,
               bool indoor,
               const FixtureLayerValues &v = {},
               int length = 64,
               int rate = 8000)
    {
        writeConstant(file(split, "mix", stem + ".wav"), v.mix, length, rate);
        writeConstant(file(split, "clean", stem + "_s1.wav"), v.speaker1, length, rate);
        writeConstant(file(split, "clean", stem + "_s2.wav"), v.speaker2, length, rate);
        writeConstant(file(split, "scene", stem + ".wav"), v.scene, length, rate);
        writeConstant(file(split, "event", stem + ".wav"), v.event, length, rate);
        std::string line = stem + ".wav," + stem + "_s1.wav," + stem + "_s2.wav," + stem + ".wav,"
                           + stem + ".wav,";
        if (indoor) {
            writeConstant(file(split, "sp1_reverb", stem + ".wav"), v.reverb1, length, rate);
            writeConstant(file(split, "sp2_reverb", stem + ".wav"), v.reverb2, length, rate);
            writeConstant(file(split, "ev_reverb", stem + ".wav"), v.reverbEvent, length, rate);
            line += stem + ".wav," + stem + ".wav," + stem + ".wav";
        } else {
            line += ",,";
        }
        return addLine(split, line);
    }

    // Appends a raw CSV line; returns its line number.
    int addLine(const std::string &split, const std::string &line)
    {
        std::vector<std::string> &lines = m_lines[split];
        lines.push_back(line);
        return int(lines.size()) + 1;
    }

    void writeCsv(const std::string &split, const std::string &header = kHeader) const
    {
        QDir().mkpath(QString::fromStdString(splitDir(split)));
        QFile out(QString::fromStdString(csvPath(split)));
        out.open(QIODevice::WriteOnly | QIODevice::Truncate);
        std::string text = header + "\n";
        const auto found = m_lines.find(split);
        if (found != m_lines.end()) {
            for (const std::string &line : found->second)
                text += line + "\n";
        }
        out.write(text.data(), qint64(text.size()));
    }

    static void writeConstant(
        const std::string &path, float value, int length, int rate, int channels = 1)
    {
        QDir().mkpath(QFileInfo(QString::fromStdString(path)).absolutePath());
        audio::writeWav(path,
                        std::vector<float>(std::size_t(length * channels), value),
                        channels,
                        rate);
    }

    // A float32 WAV whose sample `index` is NaN: writeWav refuses NaN, so a marker value is
    // written and its bytes patched.
    static void writeWithNan(const std::string &path, int length, int index, int rate = 8000)
    {
        constexpr float kMarker = 0.7421875f; // bytes 00 00 3e 3f
        std::vector<float> samples(std::size_t(length), 0.25f);
        samples[std::size_t(index)] = kMarker;
        audio::writeWav(path, samples, 1, rate);
        QFile file(QString::fromStdString(path));
        file.open(QIODevice::ReadOnly);
        QByteArray bytes = file.readAll();
        file.close();
        const QByteArray marker("\x00\x00\x3e\x3f", 4);
        const QByteArray nan("\x00\x00\xc0\x7f", 4);
        // The samples end the file; libsndfile's PEAK chunk repeats the marker in the header.
        const qsizetype dataStart = bytes.size() - qsizetype(length) * 4;
        const qsizetype at = bytes.indexOf(marker, dataStart);
        if (at != dataStart + qsizetype(index) * 4)
            qFatal("writeWithNan: sample %d of %s is not where expected", index, path.c_str());
        bytes.replace(at, 4, nan);
        file.open(QIODevice::WriteOnly | QIODevice::Truncate);
        file.write(bytes);
    }

private:
    std::string m_root;
    std::string m_corpusName;
    std::map<std::string, std::vector<std::string>> m_lines;
};

} // namespace seplab::test
