#include "core/data/polsess_manifest.h"

#include "core/data/csv_reader.h"

#include <array>
#include <filesystem>
#include <stdexcept>

namespace seplab::data {

namespace {

namespace fs = std::filesystem;

// The columns the loader uses and the folder each one's files live in (spec models.md §3.1).
struct ColumnSpec
{
    const char *name;
    const char *folder;
    std::string PolsessRow::*field;
};

const std::array<ColumnSpec, 8> kColumns = {{
    {"mixFile", "mix", &PolsessRow::mix},
    {"speaker1File", "clean", &PolsessRow::speaker1},
    {"speaker2File", "clean", &PolsessRow::speaker2},
    {"sceneFile", "scene", &PolsessRow::scene},
    {"eventFile", "event", &PolsessRow::event},
    {"reverbForSpeaker1", "sp1_reverb", &PolsessRow::reverb1},
    {"reverbForSpeaker2", "sp2_reverb", &PolsessRow::reverb2},
    {"reverbForEvent", "ev_reverb", &PolsessRow::reverbEvent},
}};
constexpr std::size_t kFirstReverbColumn = 5;

std::string trimmed(const std::string &text)
{
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string::npos)
        return {};
    const auto last = text.find_last_not_of(" \t");
    return text.substr(first, last - first + 1);
}

// A bare file name lives in its column's folder. A value with a folder in it is taken relative
// to the split folder (so "mix/a.wav" works too), and an absolute path as it is.
std::string resolvePath(const std::string &value, const std::string &splitDir, const char *folder)
{
    const fs::path path(value);
    if (path.is_absolute())
        return path.lexically_normal().string();
    if (path.has_parent_path())
        return (fs::path(splitDir) / path).lexically_normal().string();
    return (fs::path(splitDir) / folder / path).string();
}

std::array<int, kColumns.size()> findColumns(const CsvRecord &header, const std::string &csvPath)
{
    std::array<int, kColumns.size()> index{};
    for (std::size_t c = 0; c < kColumns.size(); ++c) {
        index[c] = -1;
        for (std::size_t f = 0; f < header.fields.size(); ++f) {
            if (trimmed(header.fields[f]) == kColumns[c].name) {
                index[c] = int(f);
                break;
            }
        }
        if (index[c] < 0) {
            throw std::runtime_error(csvPath + " line " + std::to_string(header.line)
                                     + ": the header has no column '" + kColumns[c].name
                                     + "' (a PolSESS manifest needs mixFile, speaker1File, "
                                       "speaker2File, sceneFile, eventFile, reverbForSpeaker1, "
                                       "reverbForSpeaker2 and reverbForEvent).");
        }
    }
    return index;
}

PolsessRow rowFromRecord(const CsvRecord &record,
                         const std::array<int, kColumns.size()> &index,
                         std::size_t headerFields,
                         const std::string &splitDir,
                         const std::string &csvPath)
{
    const std::string prefix = polsessRowPrefix(csvPath, record.line);
    if (record.fields.size() != headerFields) {
        throw std::runtime_error(prefix + "the row has " + std::to_string(record.fields.size())
                                 + " fields but the header has " + std::to_string(headerFields)
                                 + ".");
    }
    std::array<std::string, kColumns.size()> values;
    for (std::size_t c = 0; c < kColumns.size(); ++c)
        values[c] = trimmed(record.fields[std::size_t(index[c])]);

    // An empty reverbForSpeaker1 marks an outdoor row; then every reverb must be empty, and an
    // indoor row needs all three, or the MM-IPC subtraction would silently skip a layer.
    const bool indoor = !values[kFirstReverbColumn].empty();
    for (std::size_t c = 0; c < kColumns.size(); ++c) {
        if (c < kFirstReverbColumn || indoor) {
            if (values[c].empty()) {
                throw std::runtime_error(prefix + "column '" + kColumns[c].name + "' is empty"
                                         + (c >= kFirstReverbColumn ? " in an indoor row" : "")
                                         + ".");
            }
        } else if (!values[c].empty()) {
            const std::string column = kColumns[c].name;
            throw std::runtime_error(prefix + "column '" + column + "' holds '" + values[c]
                                     + "' but reverbForSpeaker1 is empty (an outdoor row, which "
                                       "has no reverb layers).");
        }
    }

    PolsessRow row;
    row.csvLine = record.line;
    for (std::size_t c = 0; c < kColumns.size(); ++c) {
        if (!values[c].empty())
            row.*(kColumns[c].field) = resolvePath(values[c], splitDir, kColumns[c].folder);
    }
    return row;
}

} // namespace

std::string polsessCorpusName(const std::string &root)
{
    fs::path path = fs::path(root).lexically_normal();
    if (path.filename().empty())
        path = path.parent_path(); // "a/b/" normalises to "a/b/" with an empty file name
    if (path.filename() == "." || path.filename() == ".." || path.empty())
        path = fs::absolute(path).lexically_normal();
    if (path.filename().empty())
        path = path.parent_path();
    return path.filename().string();
}

std::string polsessCsvPath(const std::string &root, const std::string &split)
{
    const std::string name = "corpus_" + polsessCorpusName(root) + "_" + split + "_final.csv";
    return (fs::path(root) / split / name).string();
}

std::vector<PolsessRow> parsePolsessManifest(const std::string &csvText,
                                             const std::string &splitDir,
                                             const std::string &csvPath,
                                             std::vector<std::string> *rowErrors)
{
    const std::vector<CsvRecord> records = parseCsv(csvText, csvPath);
    if (records.empty())
        throw std::runtime_error(csvPath + ": the file is empty; it needs a header line.");
    const CsvRecord &header = records.front();
    const auto index = findColumns(header, csvPath);

    std::vector<PolsessRow> rows;
    rows.reserve(records.size() - 1);
    for (std::size_t r = 1; r < records.size(); ++r) {
        try {
            rows.push_back(
                rowFromRecord(records[r], index, header.fields.size(), splitDir, csvPath));
        } catch (const std::runtime_error &error) {
            if (!rowErrors)
                throw;
            rowErrors->push_back(error.what());
        }
    }
    return rows;
}

std::string readPolsessCsvText(const std::string &root, const std::string &split)
{
    const std::string csvPath = polsessCsvPath(root, split);
    if (!fs::is_regular_file(csvPath)) {
        throw std::runtime_error(csvPath + ": the PolSESS manifest of split '" + split
                                 + "' does not exist (expected corpus_<root folder name>_" + split
                                 + "_final.csv in " + (fs::path(root) / split).string() + ").");
    }
    return readTextFile(csvPath);
}

std::vector<PolsessRow> readPolsessManifest(const std::string &root, const std::string &split)
{
    return parsePolsessManifest(readPolsessCsvText(root, split),
                                (fs::path(root) / split).string(),
                                polsessCsvPath(root, split));
}

std::vector<PolsessLayerFile> polsessLayerFiles(const PolsessRow &row)
{
    std::vector<PolsessLayerFile> files;
    for (std::size_t c = 0; c < kColumns.size(); ++c) {
        const std::string &path = row.*(kColumns[c].field);
        if (!path.empty())
            files.push_back({kColumns[c].name, path});
    }
    return files;
}

std::string polsessLayerMismatch(const std::string &layerPath,
                                 int layerRate,
                                 std::size_t layerSamples,
                                 const std::string &mixPath,
                                 int mixRate,
                                 std::size_t mixSamples)
{
    if (layerRate != mixRate) {
        return layerPath + " is sampled at " + std::to_string(layerRate) + " Hz but the mixture "
               + mixPath + " at " + std::to_string(mixRate) + " Hz";
    }
    if (layerSamples != mixSamples) {
        return layerPath + " has " + std::to_string(layerSamples) + " samples but the mixture "
               + mixPath + " has " + std::to_string(mixSamples);
    }
    return {};
}

std::string polsessRowPrefix(const std::string &csvPath, int csvLine)
{
    return csvPath + " line " + std::to_string(csvLine) + ": ";
}

std::string withFullStop(std::string text)
{
    if (text.empty() || text.back() != '.')
        text += '.';
    return text;
}

} // namespace seplab::data
