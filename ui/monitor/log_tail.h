#pragma once

// A trial's log, tailed: the last lines of <run dir>/log.txt, re-read only when the file grew,
// or the lines the controller kept when a trial failed before it had a run folder.

#include <QPlainTextEdit>

namespace seplab::ui {

// The last `maxLines` lines of a text file, reading at most its last `maxBytes` bytes (a
// partial first line is dropped). Empty when the file cannot be read.
QString readLastLines(const QString &path, int maxLines, qint64 maxBytes = 256 * 1024);

class LogTail : public QPlainTextEdit
{
    Q_OBJECT

public:
    explicit LogTail(QWidget *parent = nullptr);

    // Follows `logPath`; `fallback` is shown when it does not exist (yet).
    void follow(const QString &logPath, const QString &fallback);
    // Re-reads the file when its size changed since the last look.
    void refresh();

private:
    QString m_path;
    QString m_fallback;
    qint64 m_size = -1;
};

} // namespace seplab::ui
