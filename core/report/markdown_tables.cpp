#include "core/report/markdown_tables.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace seplab::report {

namespace {

std::string cell(const std::string &text)
{
    std::string out;
    for (char c : text) {
        if (c == '|')
            out += "\\|";
        else if (c == '\n' || c == '\r')
            out += ' ';
        else
            out += c;
    }
    return out;
}

std::string row(const std::vector<std::string> &cells)
{
    std::string line = "|";
    for (const std::string &text : cells)
        line += " " + cell(text) + " |";
    return line + "\n";
}

// Characters, not bytes, so that the rule under "Data → Epochs" is as wide as the title.
std::size_t displayWidth(const std::string &text)
{
    return std::size_t(std::count_if(text.begin(), text.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    }));
}

std::string printed(const char *format, double value)
{
    char text[64];
    std::snprintf(text, sizeof text, format, value);
    return text;
}

} // namespace

std::string markdownTable(const std::vector<std::string> &header,
                          const std::vector<std::vector<std::string>> &rows)
{
    std::string table = row(header);
    std::string rule = "|";
    for (const std::string &title : header)
        rule += std::string(std::max<std::size_t>(3, displayWidth(title) + 2), '-') + "|";
    table += rule + "\n";
    for (const auto &cells : rows) {
        if (cells.size() != header.size())
            throw std::invalid_argument("markdownTable: a row has " + std::to_string(cells.size())
                                        + " cells where the header has "
                                        + std::to_string(header.size()) + ".");
        table += row(cells);
    }
    return table;
}

std::string metricUnit(const std::string &metricName)
{
    std::string lower = metricName;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) {
        return char(std::tolower(c));
    });
    return lower.find("sdr") != std::string::npos || lower.find("snr") != std::string::npos ? " dB"
                                                                                            : "";
}

std::string fixed(double value, int decimals)
{
    char format[16];
    std::snprintf(format, sizeof format, "%%.%df", decimals);
    std::string text = printed(format, value);
    // "-0.00" reads as a loss where there is none.
    if (text.find_first_of("123456789") == std::string::npos && text[0] == '-')
        text.erase(0, 1);
    return text;
}

std::string metricText(double value, const std::string &unit)
{
    return fixed(value, 2) + unit;
}

std::string signedMetricText(double value, const std::string &unit)
{
    const std::string text = fixed(value, 2);
    return (text[0] == '-' ? text : "+" + text) + unit;
}

std::string hoursText(double seconds)
{
    // Under six minutes "0.0h" says nothing; a tiny-scale run reads in minutes instead.
    if (seconds < 360.0)
        return fixed(seconds / 60.0, 1) + " min";
    return fixed(seconds / 3600.0, 1) + "h";
}

std::string dataSizeText(std::int64_t samples)
{
    if (samples < 1000)
        return std::to_string(samples);
    return printed("%g", double(samples) / 1000.0) + "K";
}

std::string correlationText(const std::optional<double> &value)
{
    if (!value)
        return "n/a";
    const std::string text = fixed(*value, 2);
    return text[0] == '-' ? text : "+" + text;
}

std::string paramText(const nlohmann::json &value)
{
    if (value.is_number_float())
        return printed("%.4g", value.get<double>());
    if (value.is_string())
        return value.get<std::string>();
    return value.dump();
}

std::string exactNumber(double value)
{
    if (!std::isfinite(value))
        return printed("%g", value);
    return nlohmann::json(value).dump();
}

} // namespace seplab::report
