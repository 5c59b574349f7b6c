#include "log_tail.h"

#include <QFile>
#include <QFileInfo>
#include <QFontDatabase>
#include <QScrollBar>

namespace seplab::ui {

QString readLastLines(const QString &path, int maxLines, qint64 maxBytes)
{
    QFile file(path);
    if (maxLines <= 0 || !file.open(QIODevice::ReadOnly))
        return {};
    const qint64 size = file.size();
    const qint64 start = std::max<qint64>(0, size - maxBytes);
    file.seek(start);
    QString text = QString::fromUtf8(file.readAll());
    QStringList lines = text.split('\n');
    if (start > 0 && !lines.isEmpty())
        lines.removeFirst(); // cut in the middle
    if (!lines.isEmpty() && lines.last().isEmpty())
        lines.removeLast(); // the final newline
    if (lines.size() > maxLines)
        lines = lines.mid(lines.size() - maxLines);
    return lines.join('\n');
}

LogTail::LogTail(QWidget *parent)
    : QPlainTextEdit(parent)
{
    setObjectName("LogTail");
    setReadOnly(true);
    setLineWrapMode(QPlainTextEdit::NoWrap);
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    setPlaceholderText(tr("Select a trial to follow its log."));
}

void LogTail::follow(const QString &logPath, const QString &fallback)
{
    if (logPath == m_path && fallback == m_fallback)
        return;
    m_path = logPath;
    m_fallback = fallback;
    m_size = -1;
    refresh();
}

void LogTail::refresh()
{
    const QFileInfo info(m_path);
    const qint64 size = !m_path.isEmpty() && info.exists() ? info.size() : -2;
    if (size == m_size)
        return;
    m_size = size;
    const bool atEnd = verticalScrollBar()->value() == verticalScrollBar()->maximum();
    setPlainText(size >= 0 ? readLastLines(m_path, 500) : m_fallback);
    if (atEnd)
        verticalScrollBar()->setValue(verticalScrollBar()->maximum());
}

} // namespace seplab::ui
