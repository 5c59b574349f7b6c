#pragma once

#include <string>

// Private helpers that keep every AudioError message one short sentence: "<path>: <problem>".
namespace seplab::audio::detail {

[[noreturn]] void fail(const std::string &path, const std::string &problem);

// Library messages such as libsndfile's "Error in WAV file. No 'data' chunk marker." would turn
// our message into two sentences; this joins them with ": " and drops the final full stop.
std::string asClause(std::string text);

} // namespace seplab::audio::detail
