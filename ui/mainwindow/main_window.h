#pragma once

#include <QMainWindow>

class QDockWidget;
class QMenu;

namespace seplab::ui {

class AnalysisPanel;
class AudioInfoPanel;
class AuditionPanel;
class DevicesPanel;
class MonitorPanel;
class PlannerPanel;
struct LaunchOptions;
class SearchSpaceEditor;

// The workbench shell: menus with the standard shortcuts, docked panels whose layout QSettings
// remembers, and drag and drop of audio files and stores. The workspace is an experiment store
// (a .db file) that the Monitor follows; File ▸ Open Recent remembers the last ones. Panels plug
// in as docks (ui/<panel>/).
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(QWidget *parent = nullptr);

    // Opens an audio file in the Audition dock; returns false if it could not be read.
    bool openAudioFile(const QString &path);

    // Follows the experiment store at `path` in the Monitor; returns false (and says why in the
    // status bar) when it is not a readable SepLab store.
    bool openWorkspace(const QString &path);
    // Opens a plan in the Planner, or a W&B sweep in the Planner (as a one-stage plan) and in
    // the search-space editor; false (and why in the status bar) when it is neither.
    bool openSweepFile(const QString &path);
    // Starts `seplab-cli sweep run` detached and follows its store as soon as the controller
    // has created it; false (and why in the status bar) when it could not start.
    bool launchAndFollow(const LaunchOptions &options);
    // Opens what `path` is: a store as the workspace, a YAML file in the search-space editor,
    // anything else as audio.
    bool openPath(const QString &path);

    AudioInfoPanel *audioInfoPanel() const;
    AuditionPanel *auditionPanel() const { return m_audition; }
    MonitorPanel *monitorPanel() const { return m_monitor; }
    DevicesPanel *devicesPanel() const { return m_devices; }
    SearchSpaceEditor *searchSpaceEditor() const { return m_spaceEditor; }
    PlannerPanel *plannerPanel() const { return m_planner; }
    AnalysisPanel *analysisPanel() const { return m_analysis; }
    QStringList recentWorkspaces() const;

protected:
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void createMenus();
    void chooseAudioFile();
    void chooseWorkspace();
    // The launch dialog, preset with a plan and its scale when they are given (the planner).
    void chooseLaunch(const QString &plan = {}, const QString &scale = {});
    // A panel's message, shown for 10 s.
    void showStatus(const QString &message);
    void closeWorkspace();
    void rememberWorkspace(const QString &path);
    void rebuildRecentMenu();
    void showAbout();
    void restoreLayout();
    void saveLayout() const;

    AuditionPanel *m_audition = nullptr;
    MonitorPanel *m_monitor = nullptr;
    DevicesPanel *m_devices = nullptr;
    SearchSpaceEditor *m_spaceEditor = nullptr;
    QDockWidget *m_spaceDock = nullptr;
    PlannerPanel *m_planner = nullptr;
    QDockWidget *m_plannerDock = nullptr;
    AnalysisPanel *m_analysis = nullptr;
    QDockWidget *m_analysisDock = nullptr;
    QDockWidget *m_audioDock = nullptr;
    QDockWidget *m_devicesDock = nullptr;
    QMenu *m_recentMenu = nullptr;
};

} // namespace seplab::ui
