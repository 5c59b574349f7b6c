#pragma once

// Launch-and-monitor: follows an experiment store at 5 Hz and shows the current stage's curves
// (CurveChart), the trial table (sortable, filterable), the selected trial's log, and the stop,
// kill and resume actions. It only reads the store, so it attaches to a sweep that a terminal or
// another GUI started, and closing it never stops that sweep.

#include <QMap>
#include <QWidget>

#include <cstdint>
#include <memory>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSlider;
class QTableView;
class QTimer;

namespace seplab::ui {

class CurveChart;
class LogTail;
class StoreFollower;
class TrialFilterProxy;
class TrialTableModel;

class MonitorPanel : public QWidget
{
    Q_OBJECT

public:
    explicit MonitorPanel(QWidget *parent = nullptr);
    ~MonitorPanel() override;

    // Follows the store at `path`; on failure returns false and `error` holds one sentence.
    bool openStore(const QString &path, QString *error = nullptr);
    void closeStore();
    QString storePath() const;

    // One poll and redraw now (the timer does this every 200 ms); returns its duration in ms.
    double refreshNow();
    // The longest refresh so far, in ms: what the UI thread stalls for.
    double longestRefreshMs() const { return m_longestRefreshMs; }

    // 0 = every stage.
    void showStage(std::int64_t stageId);
    void showMetric(const QString &name);
    std::int64_t shownStage() const { return m_stageId; }
    QString shownMetric() const;

    CurveChart *chart() const { return m_chart; }
    TrialTableModel *trialModel() const { return m_model; }
    TrialFilterProxy *trialProxy() const { return m_proxy; }
    QTableView *trialView() const { return m_table; }
    LogTail *logTail() const { return m_log; }

Q_SIGNALS:
    void statusMessage(const QString &message);
    // Running trials per device ("cuda:0", "cpu") after every refresh that changed a trial.
    void trialsPerDevice(const QMap<QString, int> &trials);
    // A plan or stage appeared or changed state (the analysis refreshes then, not at 5 Hz).
    void plansOrStagesChanged();
    // The user asked to listen to the selected trial (its name, e.g. "t003").
    void auditionRequested(const QString &trialName);

private:
    void buildLayout();
    void rebuildStageChoices();
    void rebuildMetricChoices();
    void redrawCurves();
    void followSelectedLog();
    void updateActions();
    std::int64_t selectedTrialId() const;
    std::int64_t stageToFollow() const;
    QString planNameOfShownStage() const;

    void stopClicked();
    void resumeClicked();
    void killClicked();

    std::unique_ptr<StoreFollower> m_follower;
    QTimer *m_timer = nullptr;
    QComboBox *m_stageChoice = nullptr;
    QComboBox *m_metricChoice = nullptr;
    QComboBox *m_stateChoice = nullptr;
    QLineEdit *m_filter = nullptr;
    QSlider *m_smoothing = nullptr;
    QLabel *m_smoothingLabel = nullptr;
    QLabel *m_summary = nullptr;
    QPushButton *m_stop = nullptr;
    QPushButton *m_resume = nullptr;
    QPushButton *m_kill = nullptr;
    QPushButton *m_audition = nullptr;
    CurveChart *m_chart = nullptr;
    TrialTableModel *m_model = nullptr;
    TrialFilterProxy *m_proxy = nullptr;
    QTableView *m_table = nullptr;
    LogTail *m_log = nullptr;
    std::int64_t m_stageId = 0;
    bool m_stageChosenByUser = false;
    bool m_metricChosenByUser = false;
    double m_longestRefreshMs = 0.0;
};

} // namespace seplab::ui
