#pragma once

#include <QMainWindow>

class QDockWidget;
class QLabel;

namespace seplab::ui {

class AudioInfoPanel;

// The workbench shell: menus with the standard shortcuts, docked panels whose layout QSettings
// remembers, and drag and drop of audio files. Panels plug in as docks (ui/<panel>/).
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(QWidget *parent = nullptr);

    // Opens an audio file in the Audition dock; returns false if it could not be read.
    bool openAudioFile(const QString &path);

    AudioInfoPanel *audioInfoPanel() const { return m_audioInfo; }

protected:
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void createMenus();
    void chooseAudioFile();
    void showAbout();
    void restoreLayout();
    void saveLayout() const;

    AudioInfoPanel *m_audioInfo = nullptr;
    QDockWidget *m_audioDock = nullptr;
};

} // namespace seplab::ui
