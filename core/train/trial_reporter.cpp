#include "core/train/trial_reporter.h"

#include <chrono>
#include <ctime>
#include <stdexcept>

namespace seplab::train {

std::string utcTimestamp()
{
    const auto now = std::chrono::system_clock::now();
    const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
    const auto millis
        = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count()
          % 1000;
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
    char full[40];
    std::snprintf(full, sizeof full, "%s.%03dZ", text, static_cast<int>(millis));
    return full;
}

TrialReporter::TrialReporter(std::ostream *stream, const std::string &eventsPath)
    : m_stream(stream)
    , m_path(eventsPath)
{
    if (!eventsPath.empty()) {
        m_file.open(eventsPath, std::ios::app);
        if (!m_file)
            throw std::runtime_error(eventsPath + ": cannot open the event log for writing.");
    }
}

void TrialReporter::emit(nlohmann::json event)
{
    if (!event.contains("event"))
        throw std::logic_error("trial protocol: an event without its 'event' field.");
    event["time"] = utcTimestamp();
    // Non-finite numbers (a diverged loss) become null instead of invalid JSON.
    const std::string line = event.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
                             + "\n";
    std::lock_guard<std::mutex> lock(m_mutex);
    if (m_stream) {
        *m_stream << line;
        m_stream->flush();
    }
    if (m_file.is_open()) {
        m_file << line;
        m_file.flush();
        if (!m_file)
            throw std::runtime_error(m_path + ": writing the event log failed (disk full?).");
    }
}

RunLog::RunLog(std::ostream *stream, const std::string &logPath)
    : m_stream(stream)
{
    if (!logPath.empty())
        m_file.open(logPath, std::ios::app);
}

void RunLog::line(const std::string &text)
{
    if (m_stream)
        *m_stream << text << std::endl;
    if (m_file.is_open())
        m_file << utcTimestamp() << "  " << text << std::endl;
}

} // namespace seplab::train
