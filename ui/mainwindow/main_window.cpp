#include "main_window.h"

#include "seplab_version.h"
#include "ui/analysis/analysis_panel.h"
#include "ui/audition/audio_info_panel.h"
#include "ui/audition/audition_panel.h"
#include "ui/devices/devices_panel.h"
#include "ui/devices/slurm_jobs.h"
#include "ui/monitor/launch_dialog.h"
#include "ui/monitor/monitor_panel.h"
#include "ui/monitor/sweep_launch.h"
#include "ui/planner/planner_panel.h"
#include "ui/searchspace/search_space_editor.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QSettings>
#include <QStatusBar>
#include <QTimer>

#include <yaml-cpp/yaml.h>

namespace seplab::ui {

namespace {

// Extensions libsndfile reads that users drop most often; the reader decides in the end.
const QStringList kAudioSuffixes = {"wav", "flac", "ogg", "aiff", "aif", "au", "mp3"};
// Experiment stores: `sweep run --store` takes any name; these are the ones users give.
const QStringList kStoreSuffixes = {"db", "sqlite", "sqlite3"};
const QStringList kSweepSuffixes = {"yaml", "yml"};
constexpr int kRecentLimit = 8;

bool isStoreFile(const QString &path)
{
    return kStoreSuffixes.contains(QFileInfo(path).suffix().toLower());
}

QString firstLocalOpenableFile(const QMimeData *mime)
{
    if (!mime || !mime->hasUrls())
        return {};
    for (const QUrl &url : mime->urls()) {
        const QString path = url.toLocalFile();
        const QString suffix = QFileInfo(path).suffix().toLower();
        if (!path.isEmpty()
            && (kAudioSuffixes.contains(suffix) || kSweepSuffixes.contains(suffix)
                || isStoreFile(path)))
            return path;
    }
    return {};
}

} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
{
    setObjectName("SepLabMainWindow");
    setWindowTitle(tr("SepLab"));
    setAcceptDrops(true);
    setDockNestingEnabled(true);

    m_monitor = new MonitorPanel(this);
    setCentralWidget(m_monitor);
    connect(m_monitor, &MonitorPanel::statusMessage, this, &MainWindow::showStatus);

    m_audition = new AuditionPanel(this);
    m_audioDock = new QDockWidget(tr("Audition"), this);
    m_audioDock->setObjectName("AuditionDock");
    m_audioDock->setWidget(m_audition);
    connect(m_audition, &AuditionPanel::statusMessage, this, &MainWindow::showStatus);
    connect(m_monitor, &MonitorPanel::auditionRequested, this, [this](const QString &trial) {
        m_audition->refreshTrials();
        if (m_audition->selectTrial(trial)) {
            m_audioDock->show();
            m_audioDock->raise();
            showStatus(tr("Audition: %1 selected; choose a mixture and Separate.").arg(trial));
        } else {
            showStatus(tr("%1 has no checkpoint yet.").arg(trial));
        }
    });
    addDockWidget(Qt::RightDockWidgetArea, m_audioDock);

    m_devices = new DevicesPanel(this);
    m_devicesDock = new QDockWidget(tr("Devices"), this);
    m_devicesDock->setObjectName("DevicesDock");
    m_devicesDock->setWidget(m_devices);
    addDockWidget(Qt::RightDockWidgetArea, m_devicesDock);
    connect(m_monitor, &MonitorPanel::trialsPerDevice, m_devices, &DevicesPanel::setTrialsPerDevice);
    // The same trigger (a trial row changed) re-reads which trials Slurm holds, by job id.
    connect(m_monitor, &MonitorPanel::trialsPerDevice, m_devices, [this] {
        m_devices->setSlurmJobs(readSlurmJobs(m_monitor->storePath()));
    });

    m_analysis = new AnalysisPanel(this);
    m_analysisDock = new QDockWidget(tr("Analysis"), this);
    m_analysisDock->setObjectName("AnalysisDock");
    m_analysisDock->setWidget(m_analysis);
    addDockWidget(Qt::RightDockWidgetArea, m_analysisDock);
    tabifyDockWidget(m_audioDock, m_analysisDock);
    connect(m_monitor, &MonitorPanel::plansOrStagesChanged, this, [this] {
        // Only once the analysis follows the same store (openWorkspace opens it second).
        if (!m_analysis->storePath().isEmpty() && m_analysis->storePath() == m_monitor->storePath())
            m_analysis->refresh();
    });
    connect(m_analysis, &AnalysisPanel::statusMessage, this, &MainWindow::showStatus);

    m_spaceEditor = new SearchSpaceEditor(this);
    m_spaceDock = new QDockWidget(tr("Search space"), this);
    m_spaceDock->setObjectName("SearchSpaceDock");
    m_spaceDock->setWidget(m_spaceEditor);
    addDockWidget(Qt::RightDockWidgetArea, m_spaceDock);
    // One column of tabbed docks beside the monitor (Analysis in front), Devices below them:
    // the curves keep most of a laptop screen.
    tabifyDockWidget(m_analysisDock, m_spaceDock);
    splitDockWidget(m_analysisDock, m_devicesDock, Qt::Vertical);
    m_analysisDock->raise();
    resizeDocks({m_analysisDock}, {440}, Qt::Horizontal);
    connect(m_spaceEditor, &SearchSpaceEditor::statusMessage, this, &MainWindow::showStatus);

    m_planner = new PlannerPanel(this);
    m_plannerDock = new QDockWidget(tr("Planner"), this);
    m_plannerDock->setObjectName("PlannerDock");
    m_plannerDock->setWidget(m_planner);
    addDockWidget(Qt::RightDockWidgetArea, m_plannerDock);
    tabifyDockWidget(m_spaceDock, m_plannerDock);
    m_analysisDock->raise();
    connect(m_planner, &PlannerPanel::statusMessage, this, &MainWindow::showStatus);
    connect(m_planner,
            &PlannerPanel::launchRequested,
            this,
            [this](const QString &plan, const QString &scale) { chooseLaunch(plan, scale); });
    connect(m_planner, &PlannerPanel::sweepContinued, this, [this](const QString &plan) {
        showStatus(tr("Plan %1 continues with the reviewed ranges.").arg(plan));
    });

    createMenus();
    statusBar()->showMessage(tr("Ready"));
    restoreLayout();
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *open = file->addAction(tr("&Open Workspace…"), this, &MainWindow::chooseWorkspace);
    open->setObjectName("actionOpenWorkspace");
    open->setShortcut(QKeySequence::Open);
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    m_recentMenu->setObjectName("menuRecent");
    rebuildRecentMenu();
    QAction *close = file->addAction(tr("&Close Workspace"), this, &MainWindow::closeWorkspace);
    close->setObjectName("actionCloseWorkspace");
    close->setShortcut(QKeySequence::Close);
    file->addSeparator();
    QAction *openAudio = file->addAction(tr("Open &Audio…"), this, &MainWindow::chooseAudioFile);
    openAudio->setObjectName("actionOpenAudio");
    openAudio->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setObjectName("actionQuit");
    quit->setShortcut(QKeySequence::Quit);

    QMenu *sweepMenu = menuBar()->addMenu(tr("&Sweep"));
    QAction *launch = sweepMenu->addAction(tr("&Launch…"), this, [this] { chooseLaunch(); });
    launch->setObjectName("actionLaunchSweep");
    launch->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));

    QMenu *view = menuBar()->addMenu(tr("&View"));
    QAction *toggleAudition = m_audioDock->toggleViewAction();
    toggleAudition->setObjectName("actionToggleAudition");
    view->addAction(toggleAudition);
    QAction *toggleAnalysis = m_analysisDock->toggleViewAction();
    toggleAnalysis->setObjectName("actionToggleAnalysis");
    view->addAction(toggleAnalysis);
    QAction *togglePlanner = m_plannerDock->toggleViewAction();
    togglePlanner->setObjectName("actionTogglePlanner");
    view->addAction(togglePlanner);
    QAction *toggleSpace = m_spaceDock->toggleViewAction();
    toggleSpace->setObjectName("actionToggleSearchSpace");
    view->addAction(toggleSpace);
    QAction *toggleDevices = m_devicesDock->toggleViewAction();
    toggleDevices->setObjectName("actionToggleDevices");
    view->addAction(toggleDevices);

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    QAction *about = help->addAction(tr("&About SepLab"), this, &MainWindow::showAbout);
    about->setObjectName("actionAbout");
    about->setMenuRole(QAction::AboutRole);
}

bool MainWindow::openAudioFile(const QString &path)
{
    m_audioDock->show();
    m_audioDock->raise();
    const bool ok = m_audition->setAudioFile(path);
    statusBar()->showMessage(ok ? tr("Opened %1").arg(QFileInfo(path).fileName())
                                : tr("Could not open %1").arg(QFileInfo(path).fileName()));
    return ok;
}

bool MainWindow::openWorkspace(const QString &path)
{
    QString error;
    if (!m_monitor->openStore(path, &error)) {
        statusBar()->showMessage(tr("Could not open workspace: %1").arg(error));
        return false;
    }
    // The analysis is computed once here and on its Refresh button, not at the monitor's 5 Hz.
    QString analysisError;
    if (!m_analysis->openStore(path, &analysisError))
        statusBar()->showMessage(tr("Analysis: %1").arg(analysisError));
    m_audition->setStorePath(path);
    m_planner->setStorePath(path);
    rememberWorkspace(QFileInfo(path).absoluteFilePath());
    setWindowTitle(tr("%1 — SepLab").arg(QFileInfo(path).fileName()));
    statusBar()->showMessage(tr("Following %1").arg(QFileInfo(path).fileName()));
    return true;
}

void MainWindow::showStatus(const QString &message)
{
    statusBar()->showMessage(message, 10000);
}

void MainWindow::chooseLaunch(const QString &plan, const QString &scale)
{
    const QString store = m_monitor->storePath().isEmpty() ? QDir::current().filePath("hpo.db")
                                                           : m_monitor->storePath();
    LaunchDialog dialog(m_devices->gpuCount(), store, this);
    if (!plan.isEmpty()) {
        LaunchOptions preset = dialog.options();
        preset.plan = plan;
        preset.scale = scale;
        preset.executor.clear(); // where trials run: as the plan says
        dialog.setOptions(preset);
    }
    if (dialog.exec() == QDialog::Accepted)
        launchAndFollow(dialog.options());
}

bool MainWindow::launchAndFollow(const LaunchOptions &options)
{
    const QString error = launchSweep(options);
    if (!error.isEmpty()) {
        statusBar()->showMessage(tr("Launch failed: %1").arg(error));
        return false;
    }
    statusBar()->showMessage(
        tr("Launched %1; its progress goes to %2")
            .arg(QFileInfo(options.plan).fileName(), controllerLogPath(options.store)));
    // The controller creates the store within a moment; follow it as soon as it is there.
    auto *wait = new QTimer(this);
    wait->setInterval(200);
    const QString store = options.store;
    connect(wait, &QTimer::timeout, this, [this, wait, store, tries = 0]() mutable {
        if (QFileInfo(store).size() > 0 && openWorkspace(store)) {
            wait->deleteLater();
        } else if (++tries >= 150) {
            statusBar()->showMessage(tr("The controller has not created %1 in 30 s; see %2")
                                         .arg(store, controllerLogPath(store)));
            wait->deleteLater();
        }
    });
    wait->start();
    return true;
}

bool MainWindow::openSweepFile(const QString &path)
{
    // A plan has stages: it belongs to the Planner alone. A W&B sweep is a one-stage plan there
    // and a search space to edit here.
    bool isPlan = false;
    try {
        isPlan = bool(YAML::LoadFile(path.toStdString())["stages"]);
    } catch (const std::exception &) {
        // Unreadable YAML: the editor's import below names the file and the line.
    }
    if (isPlan) {
        const bool ok = m_planner->openPlanFile(path);
        if (ok) {
            m_plannerDock->show();
            m_plannerDock->raise();
            statusBar()->showMessage(
                tr("Opened the plan %1 in the Planner").arg(QFileInfo(path).fileName()));
        }
        return ok;
    }
    m_spaceDock->show();
    QString error;
    const bool ok = m_spaceEditor->importFile(path, &error);
    if (ok)
        m_planner->openPlanFile(path);
    m_spaceDock->raise();
    statusBar()->showMessage(ok ? tr("Opened %1 in the search-space editor and the Planner")
                                      .arg(QFileInfo(path).fileName())
                                : error);
    return ok;
}

bool MainWindow::openPath(const QString &path)
{
    if (isStoreFile(path))
        return openWorkspace(path);
    if (kSweepSuffixes.contains(QFileInfo(path).suffix().toLower()))
        return openSweepFile(path);
    return openAudioFile(path);
}

void MainWindow::chooseWorkspace()
{
    const QString path = QFileDialog::getOpenFileName(
        this,
        tr("Open Workspace"),
        QString(),
        tr("Experiment stores (*.db *.sqlite *.sqlite3);;All files (*)"));
    if (!path.isEmpty())
        openWorkspace(path);
}

void MainWindow::closeWorkspace()
{
    m_monitor->closeStore();
    m_analysis->closeStore();
    m_audition->setStorePath(QString());
    m_planner->setStorePath(QString());
    setWindowTitle(tr("SepLab"));
    statusBar()->showMessage(tr("Workspace closed; a running sweep goes on."));
}

AudioInfoPanel *MainWindow::audioInfoPanel() const
{
    return m_audition->audioInfoPanel();
}

QStringList MainWindow::recentWorkspaces() const
{
    return QSettings().value("recentWorkspaces").toStringList();
}

void MainWindow::rememberWorkspace(const QString &path)
{
    QStringList recent = recentWorkspaces();
    recent.removeAll(path);
    recent.prepend(path);
    while (recent.size() > kRecentLimit)
        recent.removeLast();
    QSettings().setValue("recentWorkspaces", recent);
    rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu()
{
    m_recentMenu->clear();
    const QStringList recent = recentWorkspaces();
    for (int i = 0; i < recent.size(); ++i) {
        const QString path = recent[i];
        QAction *action = m_recentMenu->addAction(QString("&%1 %2").arg(i + 1).arg(path));
        connect(action, &QAction::triggered, this, [this, path] { openWorkspace(path); });
    }
    m_recentMenu->setEnabled(!recent.isEmpty());
}

void MainWindow::chooseAudioFile()
{
    const QString path = QFileDialog::getOpenFileName(
        this,
        tr("Open Audio"),
        QString(),
        tr("Audio files (*.wav *.flac *.ogg *.aiff *.aif *.au *.mp3);;All files (*)"));
    if (!path.isEmpty())
        openAudioFile(path);
}

void MainWindow::showAbout()
{
    QMessageBox::about(this,
                       tr("About SepLab"),
                       tr("<h3>SepLab %1</h3><p>A workbench for speech-separation research: "
                          "staged hyperparameter sweeps, live SI-SDR curves, and listening to "
                          "separated speakers.</p><p>Qt %2</p>")
                           .arg(SEPLAB_VERSION, qVersion()));
}

void MainWindow::restoreLayout()
{
    QSettings settings;
    // A first start gets a size that fits the docks on a laptop screen.
    if (!restoreGeometry(settings.value("mainWindow/geometry").toByteArray()))
        resize(1200, 760);
    restoreState(settings.value("mainWindow/state").toByteArray());
}

void MainWindow::saveLayout() const
{
    QSettings settings;
    settings.setValue("mainWindow/geometry", saveGeometry());
    settings.setValue("mainWindow/state", saveState());
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveLayout();
    event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    if (!firstLocalOpenableFile(event->mimeData()).isEmpty())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    const QString path = firstLocalOpenableFile(event->mimeData());
    if (path.isEmpty())
        return;
    openPath(path);
    event->acceptProposedAction();
}

} // namespace seplab::ui
