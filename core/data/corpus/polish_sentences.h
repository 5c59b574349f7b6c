#pragma once

// The Polish sentences the synthetic speakers read: resources/corpus/polish_sentences.txt,
// compiled into the binary so that make-corpus works from any folder and any install.

#include <string>
#include <vector>

namespace seplab::data::corpus {

// One sentence per non-empty line of the resource file, in file order, trimmed.
const std::vector<std::string> &polishSentences();

} // namespace seplab::data::corpus
