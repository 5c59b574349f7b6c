#pragma once

// One line of a trial's stdout, classified (DESIGN.md "Trial protocol"): a protocol event, a
// W&B-agent-style `name=value` metrics line from an external program, or plain text.

#include <nlohmann/json.hpp>
#include <string>

namespace seplab::exec {

struct TrialLine
{
    enum class Kind { Event, Metrics, Text };
    Kind kind = Kind::Text;
    // Event: the protocol object (its "event" is start, epoch, checkpoint or end);
    // Metrics: {name: number, ...}, non-finite values as NaN/inf doubles. Null for Text.
    nlohmann::json payload;
    std::string text; // the raw line
};

// A JSON object with a string "event" is an Event. Otherwise a line made only of name=value
// tokens (separated by spaces, commas or tabs; names [A-Za-z_][A-Za-z0-9_./-]*; values decimal
// numbers or nan/inf/infinity in any case, with an optional sign) is Metrics; a name given twice
// keeps its last value. Anything else is Text, a JSON line without "event" included.
// Surrounding whitespace (a '\r' too) is ignored.
TrialLine parseTrialLine(const std::string &line);

} // namespace seplab::exec
