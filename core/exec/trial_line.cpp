#include "core/exec/trial_line.h"

#include <charconv>
#include <optional>

namespace seplab::exec {

namespace {

bool isSeparator(char c)
{
    return c == ' ' || c == ',' || c == '\t';
}

bool isNameStart(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

bool isNameChar(char c)
{
    return isNameStart(c) || (c >= '0' && c <= '9') || c == '.' || c == '/' || c == '-';
}

bool isValidName(const std::string &name)
{
    if (name.empty() || !isNameStart(name[0]))
        return false;
    for (const char c : name)
        if (!isNameChar(c))
            return false;
    return true;
}

// The whole text as a double. from_chars, unlike strtod, ignores the locale (Qt sets the
// user's, where the decimal separator may be a comma) and rejects hexadecimal.
std::optional<double> parseNumber(const std::string &text)
{
    std::size_t start = 0;
    bool negative = false;
    if (!text.empty() && (text[0] == '+' || text[0] == '-')) {
        negative = text[0] == '-';
        start = 1;
    }
    if (start >= text.size() || text[start] == '+' || text[start] == '-')
        return std::nullopt;
    double value = 0.0;
    const char *first = text.data() + start;
    const char *last = text.data() + text.size();
    const auto [end, error] = std::from_chars(first, last, value);
    if (error != std::errc() || end != last)
        return std::nullopt;
    return negative ? -value : value;
}

std::optional<nlohmann::json> parseMetrics(const std::string &line)
{
    nlohmann::json metrics = nlohmann::json::object();
    std::size_t position = 0;
    while (position < line.size()) {
        if (isSeparator(line[position])) {
            ++position;
            continue;
        }
        std::size_t end = position;
        while (end < line.size() && !isSeparator(line[end]))
            ++end;
        const std::string token = line.substr(position, end - position);
        const std::size_t equals = token.find('=');
        if (equals == std::string::npos)
            return std::nullopt;
        const std::string name = token.substr(0, equals);
        const std::optional<double> value = parseNumber(token.substr(equals + 1));
        if (!isValidName(name) || !value)
            return std::nullopt;
        metrics[name] = *value;
        position = end;
    }
    if (metrics.empty())
        return std::nullopt;
    return metrics;
}

std::string trimmed(const std::string &text)
{
    const char *space = " \t\r\n\f\v";
    const std::size_t first = text.find_first_not_of(space);
    if (first == std::string::npos)
        return {};
    return text.substr(first, text.find_last_not_of(space) - first + 1);
}

} // namespace

TrialLine parseTrialLine(const std::string &line)
{
    TrialLine out;
    out.text = line;
    const std::string body = trimmed(line);
    if (!body.empty() && body.front() == '{') {
        const nlohmann::json object = nlohmann::json::parse(body, nullptr, false);
        if (object.is_object() && object.contains("event") && object.at("event").is_string()) {
            out.kind = TrialLine::Kind::Event;
            out.payload = object;
        }
        return out; // JSON or not, a line opening with '{' is never name=value
    }
    if (std::optional<nlohmann::json> metrics = parseMetrics(body)) {
        out.kind = TrialLine::Kind::Metrics;
        out.payload = std::move(*metrics);
    }
    return out;
}

} // namespace seplab::exec
