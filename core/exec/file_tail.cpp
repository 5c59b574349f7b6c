#include "core/exec/file_tail.h"

#include <fstream>

namespace seplab::exec {

FileTail::FileTail(std::string path)
    : m_path(std::move(path))
{}

std::vector<std::string> FileTail::readLines(bool includePartial)
{
    std::vector<std::string> lines;
    std::ifstream in(m_path, std::ios::binary);
    if (in) {
        in.seekg(0, std::ios::end);
        const std::uint64_t size = std::uint64_t(std::streamoff(in.tellg()));
        if (size < m_offset) {
            m_offset = 0;
            m_pending.clear();
        }
        if (size > m_offset) {
            std::string chunk(std::size_t(size - m_offset), '\0');
            in.seekg(std::streamoff(m_offset));
            in.read(chunk.data(), std::streamsize(chunk.size()));
            chunk.resize(std::size_t(in.gcount()));
            m_offset += chunk.size();
            m_pending += chunk;
        }
    }
    std::size_t start = 0;
    for (std::size_t end; (end = m_pending.find('\n', start)) != std::string::npos; start = end + 1)
        lines.push_back(m_pending.substr(start, end - start));
    m_pending.erase(0, start);
    if (includePartial && !m_pending.empty()) {
        lines.push_back(m_pending);
        m_pending.clear();
    }
    return lines;
}

} // namespace seplab::exec
