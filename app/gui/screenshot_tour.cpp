#include "screenshot_tour.h"

#include "core/store/experiment_store.h"
#include "ui/analysis/analysis_panel.h"
#include "ui/audition/audition_panel.h"
#include "ui/mainwindow/main_window.h"
#include "ui/monitor/monitor_panel.h"
#include "ui/planner/planner_panel.h"
#include "ui/searchspace/search_space_editor.h"
#include "ui/searchspace/search_space_model.h"

#include <QDir>
#include <QDockWidget>
#include <QTabWidget>
#include <QTableView>
#include <QTextStream>
#include <QTimer>

namespace seplab::gui {

ScreenshotTour::ScreenshotTour(ui::MainWindow &window, TourOptions options)
    : m_window(window)
    , m_options(std::move(options))
{}

void ScreenshotTour::after(int milliseconds, std::function<void()> step)
{
    m_steps.push_back([this, milliseconds, step] {
        // Each step lets the window settle (the monitor polls at 5 Hz, charts animate) first.
        QTimer::singleShot(milliseconds, this, [this, step] {
            step();
            next();
        });
    });
}

void ScreenshotTour::next()
{
    if (m_next < m_steps.size())
        m_steps[m_next++]();
    else
        Q_EMIT finished(m_ok);
}

void ScreenshotTour::shoot(const QString &name, QWidget *widget)
{
    const QString file = QDir(m_options.outDir).filePath(name + ".png");
    const bool saved = widget->grab().save(file);
    QTextStream(stderr) << (saved ? "saved " : "could not save ") << file << "\n";
    m_ok = m_ok && saved;
}

void ScreenshotTour::floatDock(QDockWidget *dock, QSize size)
{
    dock->show();
    dock->setFloating(true);
    dock->resize(size);
    dock->raise();
}

void ScreenshotTour::start()
{
    QDir().mkpath(m_options.outDir);
    m_window.resize(1400, 880);
    auto *analysisDock = m_window.findChild<QDockWidget *>("AnalysisDock");
    auto *spaceDock = m_window.findChild<QDockWidget *>("SearchSpaceDock");
    auto *auditionDock = m_window.findChild<QDockWidget *>("AuditionDock");
    auto *devicesDock = m_window.findChild<QDockWidget *>("DevicesDock");

    // The first stage of the latest plan: its curves show hyperband's stops best.
    after(1500, [this] {
        ui::MonitorPanel *monitor = m_window.monitorPanel();
        try {
            const auto store = store::ExperimentStore::open(monitor->storePath().toStdString(),
                                                            store::ExperimentStore::Mode::ReadOnly);
            const auto plans = store.plans();
            if (!plans.empty() && !store.stages(plans.back().id).empty())
                monitor->showStage(store.stages(plans.back().id).front().id);
        } catch (const std::exception &error) {
            QTextStream(stderr) << "monitor: " << error.what() << "\n";
        }
        monitor->trialView()->selectRow(0);
    });
    after(1500, [this] { shoot("monitor", &m_window); });
    // Docked panels share a column beside the monitor; each gets its own picture floating at a
    // size where its tables and charts read well, then goes back.
    after(200, [this, analysisDock] {
        floatDock(analysisDock, {1200, 820});
        m_window.analysisPanel()->refresh();
    });
    after(1500, [this, analysisDock] { shoot("analysis", analysisDock); });
    after(200, [this] { m_window.analysisPanel()->tabs()->setCurrentIndex(1); });
    after(800, [this, analysisDock] {
        shoot("analysis-scatter", analysisDock);
        analysisDock->setFloating(false);
    });
    if (!m_options.sweepFile.isEmpty()) {
        after(200, [this, spaceDock] {
            m_window.openSweepFile(m_options.sweepFile);
            // The learning rate's log-uniform preview says more than the first row's constant.
            ui::SearchSpaceEditor *editor = m_window.searchSpaceEditor();
            for (int row = 0; row < editor->model()->rowCount(); ++row)
                if (editor->model()->index(row, 0).data().toString() == "lr")
                    editor->view()->selectRow(row);
            floatDock(spaceDock, {1100, 760});
        });
        after(800, [this, spaceDock] {
            shoot("search-space", spaceDock);
            spaceDock->setFloating(false);
        });
    }
    if (!m_options.planFile.isEmpty()) {
        auto *plannerDock = m_window.findChild<QDockWidget *>("PlannerDock");
        // Floating and wide: the stage table has a column per stage key.
        after(200, [this, plannerDock] {
            floatDock(plannerDock, {1300, 760});
            if (!m_window.plannerPanel()->openPlanFile(m_options.planFile, "tiny"))
                m_ok = false;
        });
        after(2500, [this, plannerDock] { shoot("planner", plannerDock); });
        // The second stage's ranges, narrowed from the first stage's finished trials.
        after(200, [this] {
            if (!m_window.plannerPanel()->reviewStage(1))
                m_ok = false;
        });
        after(1000, [this, plannerDock] {
            shoot("planner-review", plannerDock);
            plannerDock->setFloating(false);
        });
    }
    after(200, [this, devicesDock] { devicesDock->raise(); });
    after(1500, [this, devicesDock] { shoot("devices", devicesDock); });

    // Audition: the best trial on the first test clip, in a floating dock big enough to read.
    m_steps.push_back([this, auditionDock] {
        ui::AuditionPanel *audition = m_window.auditionPanel();
        floatDock(auditionDock, {1200, 980});
        audition->refreshTrials();
        audition->selectBestTrial();
        audition->setCorpusClip(m_options.corpusRoot, "test", "SER", 0);
        connect(
            audition,
            &ui::AuditionPanel::separationFinished,
            this,
            [this, auditionDock](bool ok) {
                m_ok = m_ok && ok;
                QTimer::singleShot(1200, this, [this, auditionDock] {
                    shoot("audition", auditionDock);
                    auditionDock->setFloating(false);
                    next();
                });
            },
            Qt::SingleShotConnection);
        if (!audition->separate()) {
            QTextStream(stderr) << "audition: " << audition->statusText() << "\n";
            m_ok = false;
            next();
        }
    });
    next();
}

} // namespace seplab::gui
