#pragma once

// CSV as RFC 4180 writes it: fields joined by commas, records ended by CRLF, and a field
// quoted (with inner quotes doubled) when it holds a comma, a quote, CR or LF. Spreadsheets
// and pandas read such files without options.

#include <string>
#include <vector>

namespace seplab::report {

std::string csvField(const std::string &value);
std::string csvRecord(const std::vector<std::string> &fields);

class CsvTable
{
public:
    explicit CsvTable(std::vector<std::string> header);

    // Throws std::invalid_argument when the row's width differs from the header's.
    void addRow(std::vector<std::string> row);
    std::string text() const;
    std::size_t rowCount() const { return m_rows.size(); }

private:
    std::vector<std::string> m_header;
    std::vector<std::vector<std::string>> m_rows;
};

} // namespace seplab::report
