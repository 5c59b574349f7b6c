#include "core/exec/python_str.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace seplab::exec {

std::string pythonFloatRepr(double value)
{
    if (std::isnan(value))
        return "nan";
    if (std::isinf(value))
        return value > 0 ? "inf" : "-inf";
    // Shortest round-trip digits, as Python's repr picks them; only the layout differs.
    char buffer[64];
    const auto result = std::to_chars(buffer,
                                      buffer + sizeof buffer,
                                      value,
                                      std::chars_format::scientific);
    std::string text(buffer, result.ptr); // "-1.25e-05"
    std::string sign;
    if (text[0] == '-') {
        sign = "-";
        text.erase(0, 1);
    }
    const std::size_t e = text.find('e');
    std::string digits = text.substr(0, e);
    if (digits.size() > 1)
        digits.erase(1, 1); // drop the '.'
    // value = 0.<digits> x 10^point; Python switches to exponent form outside -4 < point <= 16.
    const int point = std::atoi(text.c_str() + e + 1) + 1;
    const int count = int(digits.size());
    std::string out;
    if (point > -4 && point <= 16) {
        if (point <= 0)
            out = "0." + std::string(std::size_t(-point), '0') + digits;
        else if (point >= count)
            out = digits + std::string(std::size_t(point - count), '0') + ".0";
        else
            out = digits.substr(0, std::size_t(point)) + "." + digits.substr(std::size_t(point));
    } else {
        out = digits.substr(0, 1);
        if (count > 1)
            out += "." + digits.substr(1);
        char exponent[16];
        std::snprintf(exponent, sizeof exponent, "e%+03d", point - 1);
        out += exponent;
    }
    return sign + out;
}

namespace {

// Python's repr() of a str: single quotes unless the text has ' but no ".
std::string pythonStringRepr(const std::string &text)
{
    const bool doubleQuotes = text.find('\'') != std::string::npos
                              && text.find('"') == std::string::npos;
    const char quote = doubleQuotes ? '"' : '\'';
    std::string out(1, quote);
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (c == quote || c == '\\') {
            out += '\\';
            out += c;
        } else if (c == '\n') {
            out += "\\n";
        } else if (c == '\r') {
            out += "\\r";
        } else if (c == '\t') {
            out += "\\t";
        } else if (byte < 0x20 || byte == 0x7f) {
            char escape[8];
            std::snprintf(escape, sizeof escape, "\\x%02x", unsigned(byte));
            out += escape;
        } else {
            out += c; // printable, UTF-8 included, as Python 3 shows it
        }
    }
    return out + quote;
}

enum class Style { Repr, Json };

std::string render(const nlohmann::json &value, Style style, bool topLevel)
{
    using Type = nlohmann::json::value_t;
    switch (value.type()) {
    case Type::null:
        return style == Style::Json ? "null" : "None";
    case Type::boolean:
        if (style == Style::Json)
            return value.get<bool>() ? "true" : "false";
        return value.get<bool>() ? "True" : "False";
    case Type::number_integer:
        return std::to_string(value.get<std::int64_t>());
    case Type::number_unsigned:
        return std::to_string(value.get<std::uint64_t>());
    case Type::number_float: {
        const double number = value.get<double>();
        if (style == Style::Json && !std::isfinite(number))
            return std::isnan(number) ? "NaN" : (number > 0 ? "Infinity" : "-Infinity");
        return pythonFloatRepr(number);
    }
    case Type::string:
        if (style == Style::Json)
            return value.dump(-1, ' ', true);
        return topLevel ? value.get<std::string>() : pythonStringRepr(value.get<std::string>());
    case Type::array: {
        std::string out = "[";
        for (std::size_t i = 0; i < value.size(); ++i)
            out += (i ? ", " : "") + render(value[i], style, false);
        return out + "]";
    }
    case Type::object: {
        std::string out = "{";
        bool first = true;
        for (const auto &[key, item] : value.items()) {
            out += first ? "" : ", ";
            first = false;
            out += (style == Style::Json ? nlohmann::json(key).dump(-1, ' ', true)
                                         : pythonStringRepr(key))
                   + ": " + render(item, style, false);
        }
        return out + "}";
    }
    default:
        return value.dump(); // binary and discarded values do not come from a sweep config
    }
}

} // namespace

std::string pythonStr(const nlohmann::json &value)
{
    return render(value, Style::Repr, true);
}

std::string pythonJsonDumps(const nlohmann::json &value)
{
    return render(value, Style::Json, true);
}

} // namespace seplab::exec
