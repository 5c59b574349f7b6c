#include "audio/io/error_text.h"

#include "audio/io/audio_error.h"

#include <cctype>

namespace seplab::audio::detail {

void fail(const std::string &path, const std::string &problem)
{
    throw AudioError(path + ": " + problem);
}

std::string asClause(std::string text)
{
    while (!text.empty()
           && (std::isspace(static_cast<unsigned char>(text.back())) || text.back() == '.'))
        text.pop_back();
    for (std::string::size_type pos = text.find(". "); pos != std::string::npos;
         pos = text.find(". ", pos)) {
        text.replace(pos, 2, ": ");
    }
    return text;
}

} // namespace seplab::audio::detail
