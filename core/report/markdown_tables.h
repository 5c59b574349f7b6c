#pragma once

// GitHub-flavoured markdown tables and the number formats of the users' hand-written log
// ("4.67 dB", std "0.07", "+0.59 dB", "19.8h", "2K").

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace seplab::report {

// "| a | b |\n|---|---|\n| 1 | 2 |\n"; a '|' inside a cell is escaped, newlines become spaces.
// Throws std::invalid_argument when a row's width differs from the header's.
std::string markdownTable(const std::vector<std::string> &header,
                          const std::vector<std::vector<std::string>> &rows);

// " dB" for SI-SDR/SNR-like metric names (the log's unit), else "".
std::string metricUnit(const std::string &metricName);

std::string fixed(double value, int decimals);                       // "4.67"
std::string metricText(double value, const std::string &unit);       // "4.67 dB"
std::string signedMetricText(double value, const std::string &unit); // "+0.59 dB"
std::string hoursText(double seconds);          // "19.8h"; "1.7 min" under six minutes
std::string dataSizeText(std::int64_t samples); // "2K", "2.5K", "500"
std::string correlationText(const std::optional<double> &value); // "+0.12", "n/a"
// A parameter value as the log shows it: numbers with 4 significant digits ("0.00125",
// "2.1e-05"), integers and strings as they are.
std::string paramText(const nlohmann::json &value);
// Shortest text that reads back as the same double (the CSVs keep full precision).
std::string exactNumber(double value);

} // namespace seplab::report
