#pragma once

// The trial protocol (DESIGN.md "Contracts"): one JSON object per line, each with an `event`
// field (start, epoch, checkpoint, end), written to stdout for whoever runs the trial (the sweep
// controller, the GUI) and mirrored into RUN_DIR/events.jsonl for whoever reads it later (a
// controller that re-attaches, the Slurm executor tailing a shared filesystem). Each line is
// written whole and flushed, so a reader never sees half a line.

#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>

namespace seplab::train {

class TrialReporter
{
public:
    // `stream` may be null (events.jsonl only); `eventsPath` empty writes no file. The file is
    // appended to, so a resumed run continues its own history.
    TrialReporter(std::ostream *stream, const std::string &eventsPath);

    // `event` must hold the `event` field; a `time` field (UTC, ISO 8601) is added.
    void emit(nlohmann::json event);

private:
    std::mutex m_mutex;
    std::ostream *m_stream;
    std::ofstream m_file;
    std::string m_path;
};

// Human-readable lines: stderr and RUN_DIR/log.txt.
class RunLog
{
public:
    RunLog(std::ostream *stream, const std::string &logPath);
    void line(const std::string &text);
    std::ostream *stream() const { return m_stream; }

private:
    std::ostream *m_stream;
    std::ofstream m_file;
};

std::string utcTimestamp();

} // namespace seplab::train
