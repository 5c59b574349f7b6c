#pragma once

// Where make-corpus puts things: the PolSESS layout (spec models.md §3.1) that
// PolsessDataset reads unchanged.
//   <out>/<split>/{mix,clean,scene,event,sp1_reverb,sp2_reverb,ev_reverb}/*.wav
//   <out>/<split>/corpus_<basename(out)>_<split>_final.csv

#include "core/data/corpus/row_mixer.h"

#include <string>
#include <vector>

namespace seplab::data::corpus {

const std::vector<std::string> &corpusSplits();       // train, val, test
const std::vector<std::string> &corpusLayerFolders(); // mix, clean, scene, ... ev_reverb
extern const char *const kCorpusCsvHeader;            // without the line break

// basename(out), ignoring trailing slashes and "." ("corpus/" and "corpus/." give "corpus").
std::string corpusName(const std::string &outDir);
std::string corpusCsvPath(const std::string &outDir, const std::string &split);

// Bare file names, as the CSV holds them; the column implies the folder. Outdoor rows have
// empty reverb names.
struct RowFiles
{
    std::string mix, speaker1, speaker2, scene, event, reverb1, reverb2, reverbEvent;
};

// "train_00012.wav" in mix/, scene/, event/ and the reverb folders; the speakers carry their
// voice, "train_00012_s1_spk03.wav", so a listing shows who speaks.
RowFiles rowFiles(const std::string &split, int row, const CorpusRow &content);

// Writes a row's float32 WAVs (each atomically) under <out>/<split>/.
void writeRowAudio(const std::string &splitDir,
                   const RowFiles &files,
                   const PolsessLayers &layers,
                   int rate);

// Writes the CSV through a temporary file and a rename, so a reader never sees half a CSV, and
// (written last) never a CSV naming files that are not there yet.
void writeManifest(const std::string &csvPath, const std::vector<RowFiles> &rows);

// The problem with using outDir, or empty: it must be a folder that is absent or empty, unless
// overwrite is set.
std::string outputFolderProblem(const std::string &outDir, bool overwrite);

// Creates the folders. With overwrite, first removes the CSVs (so no CSV outlives its files)
// and then the layer folders of a corpus already there; nothing else in outDir is touched.
void prepareOutputFolder(const std::string &outDir, bool overwrite);

} // namespace seplab::data::corpus
