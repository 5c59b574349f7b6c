#pragma once

#include <QWidget>

class QFormLayout;
class QLabel;

namespace seplab::ui {

// Shows what SepLab reads from an audio file: rate, channels, duration, format and levels.
// It is the first piece of the Audition panel; errors are shown in place, never thrown.
class AudioInfoPanel : public QWidget
{
    Q_OBJECT

public:
    explicit AudioInfoPanel(QWidget *parent = nullptr);

    // Reads the file through audio/io. Returns false (and shows the error) when it cannot.
    bool showFile(const QString &path);

    QString currentFile() const { return m_currentFile; }
    // The panel's fields as "label: value" lines, in display order (for tests and copying).
    QString summaryText() const;

Q_SIGNALS:
    void fileShown(const QString &path);

private:
    void setField(int row, const QString &value);

    QString m_currentFile;
    QLabel *m_error = nullptr;
    QFormLayout *m_form = nullptr;
    QList<QLabel *> m_values;
};

} // namespace seplab::ui
