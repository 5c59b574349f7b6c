#pragma once

// A small RFC 4180 reader for corpus manifests: comma-separated, fields optionally in double
// quotes (with "" for a quote and line breaks allowed inside), LF or CRLF line ends. Each record
// keeps the line it starts on, so errors can point at the line a user sees in an editor.

#include <string>
#include <string_view>
#include <vector>

namespace seplab::data {

struct CsvRecord
{
    int line = 0; // 1-based line of the record's first character
    std::vector<std::string> fields;
};

// Blank lines are skipped, as pandas does; a leading UTF-8 byte-order mark is ignored.
// Throws std::runtime_error "<sourceName> line N: ..." for an unterminated quoted field or text
// after a closing quote.
std::vector<CsvRecord> parseCsv(std::string_view text, const std::string &sourceName);

// The whole file as bytes; throws std::runtime_error naming the file if it cannot be read.
std::string readTextFile(const std::string &path);

} // namespace seplab::data
