// The workbench shell: standard shortcuts, opening and dropping audio, remembered layout.

#include "audio/io/audio_file.h"
#include "ui/audition/audio_info_panel.h"
#include "ui/mainwindow/main_window.h"

#include <QAction>
#include <QDockWidget>
#include <QMimeData>
#include <QSettings>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QUrl>
#include <QtTest>

using namespace seplab;

class tst_MainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void standardShortcuts();
    void openAudioFile();
    void dropAudioFile();
    void dropIgnoresOtherFiles();
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
    auto *open = window.findChild<QAction *>("actionOpenAudio");
    auto *quit = window.findChild<QAction *>("actionQuit");
    QVERIFY(open && quit && window.findChild<QAction *>("actionAbout"));
    QCOMPARE(open->shortcut(), QKeySequence(QKeySequence::Open));
    QCOMPARE(quit->shortcut(), QKeySequence(QKeySequence::Quit));
    QCOMPARE(open->shortcut().toString(), QString("Ctrl+O"));
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

QTEST_MAIN(tst_MainWindow)
#include "tst_main_window.moc"
