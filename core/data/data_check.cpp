#include "core/data/data_check.h"

#include "audio/io/audio_file.h"
#include "core/data/polsess_dataset.h"
#include "core/data/polsess_manifest.h"

#include <algorithm>
#include <filesystem>
#include <sstream>
#include <unordered_map>

namespace seplab::data {

namespace {

namespace fs = std::filesystem;

// What one file turned out to be; files shared by several rows are read once.
struct FileStatus
{
    std::string error; // the reader's sentence, "" if the file is usable
    int sampleRate = 0;
    int channels = 0;
    std::size_t samples = 0;
};

class SplitChecker
{
public:
    SplitChecker(const std::string &root,
                 const std::string &split,
                 const DataCheckOptions &options,
                 DataCheckReport &report)
        : m_root(root)
        , m_split(split)
        , m_options(options)
        , m_report(report)
        , m_csvPath(polsessCsvPath(root, split))
    {}

    SplitSummary run()
    {
        SplitSummary summary;
        summary.split = m_split;
        summary.present = true;
        std::vector<PolsessRow> rows;
        try {
            std::vector<std::string> rowErrors;
            rows = parsePolsessManifest(readPolsessCsvText(m_root, m_split),
                                        (fs::path(m_root) / m_split).string(),
                                        m_csvPath,
                                        &rowErrors);
            summary.badRows += rowErrors.size();
            for (std::string &error : rowErrors)
                m_report.errors.push_back(std::move(error));
        } catch (const std::exception &error) {
            m_report.errors.push_back(error.what());
            return summary;
        }
        if (rows.empty() && summary.badRows == 0)
            m_report.errors.push_back(m_csvPath + ": the manifest has a header but no rows.");

        std::unordered_map<std::string, int> firstLineOfMix;
        for (const PolsessRow &row : rows) {
            ++summary.rows;
            ++(row.indoor() ? summary.indoor : summary.outdoor);
            const std::size_t errorsBefore = m_report.errors.size();
            const auto [seen, inserted] = firstLineOfMix.emplace(row.mix, row.csvLine);
            if (!inserted) {
                error(row,
                      "mixFile " + row.mix + " repeats line " + std::to_string(seen->second)
                          + "; every mixture must appear once.");
            }
            checkRow(row, summary);
            if (m_report.errors.size() > errorsBefore)
                ++summary.badRows;
        }
        return summary;
    }

private:
    void error(const PolsessRow &row, const std::string &what)
    {
        m_report.errors.push_back(polsessRowPrefix(m_csvPath, row.csvLine) + what);
    }

    const FileStatus &status(const std::string &path)
    {
        const auto found = m_files.find(path);
        if (found != m_files.end())
            return found->second;
        FileStatus status;
        try {
            const audio::AudioInfo info = audio::probeAudio(path);
            status.sampleRate = info.sampleRate;
            status.channels = info.channels;
            status.samples = std::size_t(info.frames);
            // readAudio rejects NaN/Inf samples with a sentence naming the sample.
            if (m_options.scanSamples)
                status.samples = audio::readAudio(path).samples.size();
        } catch (const std::exception &failure) {
            status.error = failure.what();
        }
        return m_files.emplace(path, std::move(status)).first->second;
    }

    void checkRow(const PolsessRow &row, SplitSummary &summary)
    {
        const std::vector<PolsessLayerFile> files = polsessLayerFiles(row);
        const FileStatus &mix = status(files.front().path);
        for (const PolsessLayerFile &file : files) {
            const FileStatus &layer = status(file.path);
            if (!layer.error.empty()) {
                error(row, std::string(file.column) + ": " + withFullStop(layer.error));
                continue;
            }
            if (layer.channels != 1) {
                error(row,
                      std::string(file.column) + ": " + file.path + " has "
                          + std::to_string(layer.channels)
                          + " channels; PolSESS layers must be mono, or the loader's "
                            "downmix would break the MM-IPC subtraction.");
            }
            if (&layer == &mix || !mix.error.empty())
                continue;
            const std::string mismatch = polsessLayerMismatch(file.path,
                                                              layer.sampleRate,
                                                              layer.samples,
                                                              files.front().path,
                                                              mix.sampleRate,
                                                              mix.samples);
            if (!mismatch.empty())
                error(row, std::string(file.column) + ": " + mismatch + ".");
        }
        if (!mix.error.empty())
            return;
        if (summary.sampleRate == 0) {
            summary.sampleRate = mix.sampleRate;
            summary.minSamples = summary.maxSamples = mix.samples;
            m_firstRateLine = row.csvLine;
        } else if (mix.sampleRate != summary.sampleRate) {
            error(row,
                  "mixFile " + row.mix + " is sampled at " + std::to_string(mix.sampleRate)
                      + " Hz but line " + std::to_string(m_firstRateLine) + "'s mixture at "
                      + std::to_string(summary.sampleRate) + " Hz; one split must have one rate.");
        }
        summary.minSamples = std::min(summary.minSamples, mix.samples);
        summary.maxSamples = std::max(summary.maxSamples, mix.samples);
    }

    const std::string &m_root;
    const std::string &m_split;
    const DataCheckOptions &m_options;
    DataCheckReport &m_report;
    const std::string m_csvPath;
    std::unordered_map<std::string, FileStatus> m_files;
    int m_firstRateLine = 0;
};

} // namespace

DataCheckReport checkPolsessCorpus(const std::string &root,
                                   const std::vector<std::string> &splits,
                                   const DataCheckOptions &options)
{
    DataCheckReport report;
    report.root = root;
    if (!fs::is_directory(root)) {
        report.errors.push_back(root + ": the PolSESS corpus folder does not exist.");
        return report;
    }
    const bool explicitSplits = !splits.empty();
    const std::vector<std::string> names = explicitSplits
                                               ? splits
                                               : std::vector<std::string>{"train", "val", "test"};
    for (const std::string &split : names) {
        const fs::path folder = fs::path(root) / split;
        if (!fs::is_directory(folder)) {
            SplitSummary missing;
            missing.split = split;
            report.splits.push_back(missing);
            const std::string what = folder.string() + ": split folder '" + split
                                     + "' does not exist.";
            (explicitSplits ? report.errors : report.warnings).push_back(what);
            continue;
        }
        report.splits.push_back(SplitChecker(root, split, options, report).run());
    }
    if (!explicitSplits && report.warnings.size() == names.size()) {
        report.errors.push_back(root
                                + ": no train, val or test folder; this is not a PolSESS "
                                  "corpus root.");
    }
    return report;
}

std::string dataCheckSummary(const DataCheckReport &report)
{
    std::ostringstream out;
    out << "PolSESS corpus " << report.root << "\n";
    for (const SplitSummary &split : report.splits) {
        out << "  " << split.split << ": ";
        if (!split.present) {
            out << "missing\n";
            continue;
        }
        out << split.rows << " rows (" << split.indoor << " indoor, " << split.outdoor
            << " outdoor)";
        if (split.sampleRate > 0) {
            out << ", " << split.sampleRate << " Hz, ";
            if (split.minSamples == split.maxSamples)
                out << split.minSamples << " samples each";
            else
                out << split.minSamples << " to " << split.maxSamples << " samples";
        }
        if (split.badRows > 0)
            out << ", " << split.badRows << " with errors";
        out << "\n";
    }
    out << report.errors.size() << (report.errors.size() == 1 ? " error, " : " errors, ")
        << report.warnings.size() << (report.warnings.size() == 1 ? " warning" : " warnings")
        << (report.ok() ? ": the corpus is ready." : ".") << "\n";
    return out.str();
}

} // namespace seplab::data
