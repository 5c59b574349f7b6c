// The workbench shell: standard shortcuts, opening and dropping audio and stores, the recent
// workspaces, remembered layout.

#include "audio/io/audio_file.h"
#include "support/sample_store.h"
#include "support/widget_grab.h"
#include "ui/audition/audio_info_panel.h"
#include "ui/audition/audition_panel.h"
#include "ui/mainwindow/main_window.h"
#include "ui/monitor/monitor_panel.h"
#include "ui/monitor/sweep_launch.h"
#include "ui/monitor/trial_filter_proxy.h"
#include "ui/planner/planner_panel.h"
#include "ui/searchspace/search_space_editor.h"
#include "ui/searchspace/search_space_model.h"

#include <QAction>
#include <QDockWidget>
#include <QMenu>
#include <QMimeData>
#include <QSettings>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QUrl>
#include <QtTest>

#include <fstream>

using namespace seplab;

class tst_MainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void grabsAtItsSize();
    void standardShortcuts();
    void openAudioFile();
    void dropAudioFile();
    void dropIgnoresOtherFiles();
    void openWorkspaceFollowsTheStore();
    void missingWorkspaceIsReported();
    void dropStoreOpensWorkspace();
    void dropPlanOpensThePlanner();
    void dropWandbSweepOpensEditorAndPlanner();
    void workspaceReachesPlannerAndAudition();
    void recentWorkspacesAreDistinctAndCapped();
    void launchFollowsTheNewStore();
    void layoutIsRemembered();

private:
    QString writeTone(const char *name);
    // Returns whether the window accepted the drag.
    static bool sendDrop(QWidget *target, const QString &path);

    QTemporaryDir m_dir;
};

void tst_MainWindow::initTestCase()
{
    QVERIFY(m_dir.isValid());
    // Keep the test's settings away from the user's real ones.
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir.filePath("settings"));
    QCoreApplication::setOrganizationName("SepLabTest");
    QCoreApplication::setApplicationName("tst_MainWindow");
}

QString tst_MainWindow::writeTone(const char *name)
{
    const QString path = m_dir.filePath(name);
    audio::writeWav(path.toStdString(), std::vector<float>(800, 0.25f), 1, 8000);
    return path;
}

bool tst_MainWindow::sendDrop(QWidget *target, const QString &path)
{
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(path)});
    // Qt delivers a drop only to a widget that accepted the drag's enter event, as a real
    // drag does.
    QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(target, &enter);
    QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(target, &drop);
    return enter.isAccepted();
}

void tst_MainWindow::standardShortcuts()
{
    ui::MainWindow window;
    auto *open = window.findChild<QAction *>("actionOpenWorkspace");
    auto *close = window.findChild<QAction *>("actionCloseWorkspace");
    auto *openAudio = window.findChild<QAction *>("actionOpenAudio");
    auto *quit = window.findChild<QAction *>("actionQuit");
    QVERIFY(open && close && openAudio && quit && window.findChild<QAction *>("actionAbout"));
    QCOMPARE(open->shortcut(), QKeySequence(QKeySequence::Open));
    QCOMPARE(close->shortcut(), QKeySequence(QKeySequence::Close));
    QCOMPARE(quit->shortcut(), QKeySequence(QKeySequence::Quit));
    QCOMPARE(open->shortcut().toString(), QString("Ctrl+O"));
    QCOMPARE(openAudio->shortcut().toString(), QString("Ctrl+Shift+O"));
}

void tst_MainWindow::openAudioFile()
{
    ui::MainWindow window;
    const QString path = writeTone("tone.wav");
    QVERIFY(window.openAudioFile(path));
    QCOMPARE(window.audioInfoPanel()->currentFile(), path);
    QCOMPARE(window.statusBar()->currentMessage(), QString("Opened tone.wav"));

    QVERIFY(!window.openAudioFile(m_dir.filePath("absent.wav")));
    QCOMPARE(window.statusBar()->currentMessage(), QString("Could not open absent.wav"));
}

void tst_MainWindow::dropAudioFile()
{
    ui::MainWindow window;
    const QString path = writeTone("dropped.wav");
    QVERIFY(sendDrop(&window, path));
    QCOMPARE(window.audioInfoPanel()->currentFile(), path);
}

void tst_MainWindow::dropIgnoresOtherFiles()
{
    ui::MainWindow window;
    QVERIFY(!sendDrop(&window, m_dir.filePath("notes.txt")));
    QVERIFY(window.audioInfoPanel()->currentFile().isEmpty());
}

void tst_MainWindow::openWorkspaceFollowsTheStore()
{
    const QString path = m_dir.filePath("follow.db");
    testsupport::makeSampleStore(path.toStdString());
    ui::MainWindow window;
    QVERIFY(window.openWorkspace(path));
    QCOMPARE(window.monitorPanel()->storePath(), path);
    QCOMPARE(window.windowTitle(), QString("follow.db — SepLab"));
    QCOMPARE(window.statusBar()->currentMessage(), QString("Following follow.db"));
    QCOMPARE(window.recentWorkspaces().value(0), path);
    QCOMPARE(window.monitorPanel()->trialProxy()->rowCount(), 2); // the running stage's trials

    window.findChild<QAction *>("actionCloseWorkspace")->trigger();
    QVERIFY(window.monitorPanel()->storePath().isEmpty());
    QCOMPARE(window.windowTitle(), QString("SepLab"));
}

void tst_MainWindow::missingWorkspaceIsReported()
{
    ui::MainWindow window;
    const QString path = m_dir.filePath("nowhere.db");
    QVERIFY(!window.openWorkspace(path));
    QCOMPARE(window.statusBar()->currentMessage(),
             "Could not open workspace: " + path + ": no such store.");
    QVERIFY(!window.recentWorkspaces().contains(path));
}

void tst_MainWindow::dropStoreOpensWorkspace()
{
    const QString path = m_dir.filePath("dropped.db");
    testsupport::makeSampleStore(path.toStdString());
    ui::MainWindow window;
    QVERIFY(sendDrop(&window, path));
    QCOMPARE(window.monitorPanel()->storePath(), path);
    QVERIFY(window.audioInfoPanel()->currentFile().isEmpty());
}

void tst_MainWindow::dropPlanOpensThePlanner()
{
    ui::MainWindow window;
    const QString plan = QStringLiteral(SEPLAB_PLANS_DIR) + "/dprnn_3stage_progressive.yaml";
    QVERIFY(sendDrop(&window, plan));
    QCOMPARE(window.plannerPanel()->planPath(), plan);
    QCOMPARE(window.statusBar()->currentMessage(),
             QString("Opened the plan dprnn_3stage_progressive.yaml in the Planner"));
    // A plan is not a search space: the editor stays empty.
    QCOMPARE(window.searchSpaceEditor()->model()->rowCount(), 0);
}

void tst_MainWindow::dropWandbSweepOpensEditorAndPlanner()
{
    ui::MainWindow window;
    const QString sweep = QStringLiteral(SEPLAB_EXAMPLES_DIR)
                          + "/wandb-sweeps/dprnn-stage1-2k.yaml";
    QVERIFY(sendDrop(&window, sweep));
    QCOMPARE(window.plannerPanel()->planPath(), sweep);
    QVERIFY(window.searchSpaceEditor()->model()->rowCount() > 0);
    QCOMPARE(window.statusBar()->currentMessage(),
             QString("Opened dprnn-stage1-2k.yaml in the search-space editor and the Planner"));
}

void tst_MainWindow::workspaceReachesPlannerAndAudition()
{
    const QString path = m_dir.filePath("shared.db");
    testsupport::makeSampleStore(path.toStdString());
    ui::MainWindow window;
    QVERIFY(window.openWorkspace(path));
    QCOMPARE(window.plannerPanel()->storePath(), path);
    window.findChild<QAction *>("actionCloseWorkspace")->trigger();
    QVERIFY(window.plannerPanel()->storePath().isEmpty());
}

void tst_MainWindow::recentWorkspacesAreDistinctAndCapped()
{
    ui::MainWindow window;
    QStringList opened;
    for (int i = 0; i < 10; ++i) {
        const QString path = m_dir.filePath(QString("recent%1.db").arg(i));
        testsupport::makeSampleStore(path.toStdString());
        QVERIFY(window.openWorkspace(path));
        opened.prepend(path);
    }
    QVERIFY(window.openWorkspace(opened[3])); // again: moves to the front, not listed twice
    QStringList expected = opened.mid(0, 8);
    expected.move(3, 0);
    QCOMPARE(window.recentWorkspaces(), expected);
    auto *recent = window.findChild<QMenu *>("menuRecent");
    QCOMPARE(recent->actions().size(), 8);
    QCOMPARE(recent->actions().first()->text(), "&1 " + opened[3]);
}

void tst_MainWindow::launchFollowsTheNewStore()
{
    // A stand-in controller: it writes the store it is given (argument 5) a moment later.
    const QString made = m_dir.filePath("made.db");
    testsupport::makeSampleStore(made.toStdString());
    const QString fake = m_dir.filePath("fake-controller.sh");
    std::ofstream(fake.toStdString())
        << "#!/bin/sh\nsleep 0.5\ncp \"" << made.toStdString() << "\" \"$5\"\n";
    QFile::setPermissions(fake, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    qputenv("SEPLAB_CLI", fake.toLocal8Bit());

    ui::MainWindow window;
    ui::LaunchOptions options;
    options.plan = m_dir.filePath("launch-plan.yaml");
    std::ofstream(options.plan.toStdString()) << "name: p\n";
    options.store = m_dir.filePath("launched/hpo.db");
    QVERIFY(window.launchAndFollow(options));
    QTRY_COMPARE_WITH_TIMEOUT(window.monitorPanel()->storePath(), options.store, 15000);
    QCOMPARE(window.windowTitle(), QString("hpo.db — SepLab"));

    options.plan = m_dir.filePath("missing-plan.yaml");
    QVERIFY(!window.launchAndFollow(options));
    QCOMPARE(window.statusBar()->currentMessage(),
             "Launch failed: " + options.plan + ": no such plan file.");
    qunsetenv("SEPLAB_CLI");
}

void tst_MainWindow::layoutIsRemembered()
{
    {
        ui::MainWindow window;
        window.show();
        window.findChild<QDockWidget *>("AuditionDock")->hide();
        window.close();
    }
    ui::MainWindow reopened;
    reopened.show();
    QVERIFY(reopened.findChild<QDockWidget *>("AuditionDock")->isHidden());
    reopened.findChild<QDockWidget *>("AuditionDock")->show();
    reopened.close();

    ui::MainWindow third;
    third.show();
    QVERIFY(!third.findChild<QDockWidget *>("AuditionDock")->isHidden());
}

void tst_MainWindow::grabsAtItsSize()
{
    ui::MainWindow window;
    const QImage image = testsupport::grabAt(window, {1280, 800});
    QCOMPARE(image.size(), QSize(1280, 800));
    QVERIFY(testsupport::distinctColours(image) > 50);
}

QTEST_MAIN(tst_MainWindow)
#include "tst_main_window.moc"
