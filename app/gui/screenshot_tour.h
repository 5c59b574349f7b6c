#pragma once

// `seplab --screenshots DIR`: walks the real main window through its panels and saves one PNG
// per panel (what docs/user-guide.md shows), then quits. scripts/screenshots.sh runs it under
// Xvfb on the mini-corpus demo store, so the pictures come from the application as users see
// it, not from mock-ups.

#include <QObject>
#include <QSize>
#include <QString>

#include <functional>
#include <vector>

class QDockWidget;

namespace seplab::ui {
class MainWindow;
}

namespace seplab::gui {

struct TourOptions
{
    QString outDir;
    QString corpusRoot; // the clip the Audition shot separates (test SER #0)
    QString sweepFile;  // a W&B sweep for the search-space editor shot
    QString planFile;   // a plan for the planner shot
};

class ScreenshotTour : public QObject
{
    Q_OBJECT

public:
    ScreenshotTour(ui::MainWindow &window, TourOptions options);
    void start();

Q_SIGNALS:
    // ok = every shot was saved.
    void finished(bool ok);

private:
    void next();
    void shoot(const QString &name, QWidget *widget);
    void after(int milliseconds, std::function<void()> step);
    static void floatDock(QDockWidget *dock, QSize size);

    ui::MainWindow &m_window;
    TourOptions m_options;
    std::vector<std::function<void()>> m_steps;
    std::size_t m_next = 0;
    bool m_ok = true;
};

} // namespace seplab::gui
