#pragma once

// Follows a file another machine appends to (a trial's events.jsonl on a shared filesystem):
// each call returns the complete lines written since the last one. Polling on purpose: inotify
// does not see writes made by another NFS client.

#include <cstdint>
#include <string>
#include <vector>

namespace seplab::exec {

class FileTail
{
public:
    explicit FileTail(std::string path);

    // The complete new lines, without '\n'. With `includePartial` (the writer has ended), a last
    // line without '\n' is returned too. A missing file reads as empty; a file that shrank
    // (replaced by a fresh attempt) is read again from its start.
    std::vector<std::string> readLines(bool includePartial = false);

    const std::string &path() const { return m_path; }

private:
    std::string m_path;
    std::uint64_t m_offset = 0;
    std::string m_pending;
};

} // namespace seplab::exec
