#include "seplab_version.h"
#include "ui/mainwindow/main_window.h"

#include <QApplication>
#include <QCommandLineParser>

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName("SepLab");
    QApplication::setApplicationName("SepLab");
    QApplication::setApplicationVersion(SEPLAB_VERSION);

    QCommandLineParser parser;
    parser.setApplicationDescription("SepLab: a workbench for speech-separation research.");
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument("file",
                                 "An experiment store (.db) to follow, or an audio file to open "
                                 "in Audition.",
                                 "[file]");
    parser.process(app);

    seplab::ui::MainWindow window;
    window.show();
    if (!parser.positionalArguments().isEmpty())
        window.openPath(parser.positionalArguments().constFirst());
    return app.exec();
}
