#include "core/report/csv_writer.h"

#include <stdexcept>

namespace seplab::report {

std::string csvField(const std::string &value)
{
    if (value.find_first_of(",\"\r\n") == std::string::npos)
        return value;
    std::string quoted = "\"";
    for (char c : value) {
        if (c == '"')
            quoted += '"';
        quoted += c;
    }
    quoted += '"';
    return quoted;
}

std::string csvRecord(const std::vector<std::string> &fields)
{
    std::string line;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i > 0)
            line += ',';
        line += csvField(fields[i]);
    }
    line += "\r\n";
    return line;
}

CsvTable::CsvTable(std::vector<std::string> header)
    : m_header(std::move(header))
{}

void CsvTable::addRow(std::vector<std::string> row)
{
    if (row.size() != m_header.size())
        throw std::invalid_argument("CsvTable: a row has " + std::to_string(row.size())
                                    + " fields where the header has "
                                    + std::to_string(m_header.size()) + ".");
    m_rows.push_back(std::move(row));
}

std::string CsvTable::text() const
{
    std::string text = csvRecord(m_header);
    for (const auto &row : m_rows)
        text += csvRecord(row);
    return text;
}

} // namespace seplab::report
