#include "main_window.h"

#include "seplab_version.h"
#include "ui/audition/audio_info_panel.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QSettings>
#include <QStatusBar>

namespace seplab::ui {

namespace {

// Extensions libsndfile reads that users drop most often; the reader decides in the end.
const QStringList kAudioSuffixes = {"wav", "flac", "ogg", "aiff", "aif", "au", "mp3"};

QString firstLocalAudioFile(const QMimeData *mime)
{
    if (!mime || !mime->hasUrls())
        return {};
    for (const QUrl &url : mime->urls()) {
        const QString path = url.toLocalFile();
        if (!path.isEmpty() && kAudioSuffixes.contains(QFileInfo(path).suffix().toLower()))
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

    auto *welcome = new QLabel(tr("<h2>SepLab %1</h2><p>Open or drop an audio file "
                                  "(File ▸ Open Audio…) to inspect it.</p>")
                                   .arg(SEPLAB_VERSION),
                               this);
    welcome->setAlignment(Qt::AlignCenter);
    setCentralWidget(welcome);

    m_audioInfo = new AudioInfoPanel(this);
    m_audioDock = new QDockWidget(tr("Audition"), this);
    m_audioDock->setObjectName("AuditionDock");
    m_audioDock->setWidget(m_audioInfo);
    addDockWidget(Qt::RightDockWidgetArea, m_audioDock);

    createMenus();
    statusBar()->showMessage(tr("Ready"));
    restoreLayout();
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *open = file->addAction(tr("&Open Audio…"), this, &MainWindow::chooseAudioFile);
    open->setObjectName("actionOpenAudio");
    open->setShortcut(QKeySequence::Open);
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setObjectName("actionQuit");
    quit->setShortcut(QKeySequence::Quit);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    QAction *toggleAudition = m_audioDock->toggleViewAction();
    toggleAudition->setObjectName("actionToggleAudition");
    view->addAction(toggleAudition);

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    QAction *about = help->addAction(tr("&About SepLab"), this, &MainWindow::showAbout);
    about->setObjectName("actionAbout");
    about->setMenuRole(QAction::AboutRole);
}

bool MainWindow::openAudioFile(const QString &path)
{
    m_audioDock->show();
    const bool ok = m_audioInfo->showFile(path);
    statusBar()->showMessage(ok ? tr("Opened %1").arg(QFileInfo(path).fileName())
                                : tr("Could not open %1").arg(QFileInfo(path).fileName()));
    return ok;
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
    if (!firstLocalAudioFile(event->mimeData()).isEmpty())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    const QString path = firstLocalAudioFile(event->mimeData());
    if (path.isEmpty())
        return;
    openAudioFile(path);
    event->acceptProposedAction();
}

} // namespace seplab::ui
