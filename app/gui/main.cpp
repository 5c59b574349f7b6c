#include "screenshot_tour.h"
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
    // Lets Wayland compositors match the window to its desktop entry and icon.
    QGuiApplication::setDesktopFileName("io.github.seplab.SepLab");

    QCommandLineParser parser;
    parser.setApplicationDescription("SepLab: a workbench for speech-separation research.");
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument("file",
                                 "An experiment store (.db) to follow, or an audio file to open "
                                 "in Audition.",
                                 "[file]");
    const QCommandLineOption screenshots("screenshots",
                                         "Save a PNG of each panel into DIR, then quit "
                                         "(scripts/screenshots.sh).",
                                         "DIR");
    const QCommandLineOption corpus("tour-corpus", "The corpus of the Audition shot.", "DIR");
    const QCommandLineOption sweep("tour-sweep", "A W&B sweep for the editor shot.", "FILE");
    const QCommandLineOption plan("tour-plan", "A plan for the planner shot.", "FILE");
    parser.addOptions({screenshots, corpus, sweep, plan});
    parser.process(app);

    seplab::ui::MainWindow window;
    window.show();
    if (!parser.positionalArguments().isEmpty())
        window.openPath(parser.positionalArguments().constFirst());
    if (parser.isSet(screenshots)) {
        auto *tour = new seplab::gui::ScreenshotTour(window,
                                                     {parser.value(screenshots),
                                                      parser.value(corpus),
                                                      parser.value(sweep),
                                                      parser.value(plan)});
        QObject::connect(tour, &seplab::gui::ScreenshotTour::finished, &app, [](bool ok) {
            QApplication::exit(ok ? 0 : 1);
        });
        tour->start();
    }
    return app.exec();
}
