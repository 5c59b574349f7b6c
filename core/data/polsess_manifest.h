#pragma once

// Reading a PolSESS split's CSV into rows with resolved paths, shared by PolsessDataset (which
// stops at the first bad row) and the corpus check (which reports every bad row).

#include "core/data/polsess_dataset.h"

#include <string>
#include <vector>

namespace seplab::data {

// The corpus folder's own name (the last path component, ignoring a trailing '/'), from which
// the CSV name is derived.
std::string polsessCorpusName(const std::string &root);

// The CSV's bytes; throws std::runtime_error naming the expected path if it does not exist.
std::string readPolsessCsvText(const std::string &root, const std::string &split);

// Parses CSV text. A header or CSV syntax error always throws std::runtime_error naming
// `csvPath` and the line; a bad row throws too, unless `rowErrors` is given, in which case its
// one-sentence message is appended there and the row skipped.
std::vector<PolsessRow> parsePolsessManifest(const std::string &csvText,
                                             const std::string &splitDir,
                                             const std::string &csvPath,
                                             std::vector<std::string> *rowErrors = nullptr);

// The files of one row, mixture first; the reverb layers only for indoor rows.
struct PolsessLayerFile
{
    const char *column; // the CSV column, e.g. "sceneFile"
    std::string path;
};
std::vector<PolsessLayerFile> polsessLayerFiles(const PolsessRow &row);

// "" when a layer matches the mixture's rate and length; otherwise the problem as one clause
// naming both files, e.g. "…/scene/a.wav has 16000 samples but the mixture …/mix/a.wav has
// 32000" (a rate mismatch is reported first, as it explains a length mismatch).
std::string polsessLayerMismatch(const std::string &layerPath,
                                 int layerRate,
                                 std::size_t layerSamples,
                                 const std::string &mixPath,
                                 int mixRate,
                                 std::size_t mixSamples);

// "<csv> line N: " — the prefix of every message about a row.
std::string polsessRowPrefix(const std::string &csvPath, int csvLine);

// `text` ending in a full stop: the audio layer's messages are clauses without one.
std::string withFullStop(std::string text);

} // namespace seplab::data
