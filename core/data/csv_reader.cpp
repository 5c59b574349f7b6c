#include "core/data/csv_reader.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace seplab::data {

namespace {

class CsvParser
{
public:
    CsvParser(std::string_view text, const std::string &sourceName)
        : m_text(text)
        , m_source(sourceName)
    {
        if (m_text.substr(0, 3) == "\xEF\xBB\xBF")
            m_pos = 3;
    }

    std::vector<CsvRecord> parse()
    {
        std::vector<CsvRecord> records;
        while (m_pos < m_text.size()) {
            if (atLineEnd()) {
                skipLineEnd(); // a blank line
                continue;
            }
            records.push_back(parseRecord());
        }
        return records;
    }

private:
    bool atLineEnd() const { return m_text[m_pos] == '\n' || m_text[m_pos] == '\r'; }

    // Consumes LF, CRLF or a lone CR.
    void skipLineEnd()
    {
        if (m_text[m_pos] == '\r' && m_pos + 1 < m_text.size() && m_text[m_pos + 1] == '\n')
            ++m_pos;
        ++m_pos;
        ++m_line;
    }

    CsvRecord parseRecord()
    {
        CsvRecord record;
        record.line = m_line;
        for (;;) {
            record.fields.push_back(parseField());
            if (m_pos >= m_text.size())
                break;
            if (m_text[m_pos] == ',') {
                ++m_pos;
                continue;
            }
            skipLineEnd(); // parseField stops only at a comma, a line end or the end
            break;
        }
        return record;
    }

    std::string parseField()
    {
        if (m_pos < m_text.size() && m_text[m_pos] == '"')
            return parseQuotedField();
        const std::size_t start = m_pos;
        while (m_pos < m_text.size() && m_text[m_pos] != ',' && !atLineEnd())
            ++m_pos;
        return std::string(m_text.substr(start, m_pos - start));
    }

    std::string parseQuotedField()
    {
        const int startLine = m_line;
        ++m_pos; // the opening quote
        std::string field;
        for (;;) {
            if (m_pos >= m_text.size()) {
                fail(startLine, "a quoted field is never closed (missing '\"')");
            }
            const char c = m_text[m_pos];
            if (c == '"') {
                if (m_pos + 1 < m_text.size() && m_text[m_pos + 1] == '"') {
                    field += '"';
                    m_pos += 2;
                    continue;
                }
                ++m_pos; // the closing quote
                break;
            }
            if (c == '\n'
                || (c == '\r' && !(m_pos + 1 < m_text.size() && m_text[m_pos + 1] == '\n')))
                ++m_line;
            field += c;
            ++m_pos;
        }
        if (m_pos < m_text.size() && m_text[m_pos] != ',' && !atLineEnd())
            fail(m_line, "unexpected text after the closing quote of a field");
        return field;
    }

    [[noreturn]] void fail(int line, const std::string &what) const
    {
        throw std::runtime_error(m_source + " line " + std::to_string(line) + ": " + what + ".");
    }

    std::string_view m_text;
    const std::string &m_source;
    std::size_t m_pos = 0;
    int m_line = 1;
};

} // namespace

std::vector<CsvRecord> parseCsv(std::string_view text, const std::string &sourceName)
{
    return CsvParser(text, sourceName).parse();
}

std::string readTextFile(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw std::runtime_error(path + ": cannot open file: " + std::strerror(errno) + ".");
    std::ostringstream bytes;
    bytes << in.rdbuf();
    if (in.bad())
        throw std::runtime_error(path + ": cannot read file.");
    return bytes.str();
}

} // namespace seplab::data
