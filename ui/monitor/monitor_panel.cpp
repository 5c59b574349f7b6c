#include "monitor_panel.h"

#include "curve_chart.h"
#include "log_tail.h"
#include "store_follower.h"
#include "sweep_actions.h"
#include "trial_filter_proxy.h"
#include "trial_table_model.h"

#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSlider>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include <cmath>

namespace seplab::ui {

namespace {

constexpr int kRefreshMs = 200; // 5 Hz: live enough, and cheap (StoreFollower reads increments)

bool processExists(int pid)
{
    return pid > 0 && QFileInfo::exists(QString("/proc/%1").arg(pid));
}

const char *const kNoWorkspaceHint
    = QT_TRANSLATE_NOOP("MonitorPanel",
                        "No workspace: File ▸ Open Workspace… (a store that `seplab-cli sweep "
                        "run --store S.db` writes), or drop a .db file here.");

bool planControllerAlive(const store::PlanRecord &plan)
{
    return plan.state == "running" && processExists(plan.controllerPid);
}

} // namespace

MonitorPanel::MonitorPanel(QWidget *parent)
    : QWidget(parent)
{
    setObjectName("MonitorPanel");
    m_model = new TrialTableModel(this);
    m_proxy = new TrialFilterProxy(this);
    m_proxy->setSourceModel(m_model);
    m_timer = new QTimer(this);
    m_timer->setInterval(kRefreshMs);
    connect(m_timer, &QTimer::timeout, this, [this] { refreshNow(); });
    buildLayout();
    updateActions();
}

MonitorPanel::~MonitorPanel() = default;

void MonitorPanel::buildLayout()
{
    m_stageChoice = new QComboBox;
    m_stageChoice->setObjectName("stageChoice");
    m_stageChoice->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_stageChoice->setMinimumContentsLength(16);
    connect(m_stageChoice, &QComboBox::activated, this, [this](int index) {
        m_stageChosenByUser = true;
        showStage(m_stageChoice->itemData(index).toLongLong());
    });
    m_metricChoice = new QComboBox;
    m_metricChoice->setObjectName("metricChoice");
    connect(m_metricChoice, &QComboBox::activated, this, [this](int index) {
        m_metricChosenByUser = true;
        showMetric(m_metricChoice->itemText(index));
    });
    m_smoothing = new QSlider(Qt::Horizontal);
    m_smoothing->setObjectName("smoothing");
    m_smoothing->setRange(0, 95);
    m_smoothing->setMinimumWidth(100);
    m_smoothing->setMaximumWidth(160);
    m_smoothingLabel = new QLabel(tr("smoothing 0.00"));
    connect(m_smoothing, &QSlider::valueChanged, this, [this](int value) {
        m_smoothingLabel->setText(tr("smoothing %1").arg(value / 100.0, 0, 'f', 2));
        m_chart->setSmoothing(value / 100.0);
    });
    m_stop = new QPushButton(tr("Stop sweep"));
    m_stop->setObjectName("stopSweep");
    m_stop->setToolTip(tr("Trials finish their batch, write last.pt and stop; Resume continues."));
    connect(m_stop, &QPushButton::clicked, this, &MonitorPanel::stopClicked);
    m_resume = new QPushButton(tr("Resume sweep"));
    m_resume->setObjectName("resumeSweep");
    connect(m_resume, &QPushButton::clicked, this, &MonitorPanel::resumeClicked);
    m_kill = new QPushButton(tr("Kill trial"));
    m_kill->setObjectName("killTrial");
    m_kill->setToolTip(tr("SIGKILL the selected running trial; it is recorded as failed."));
    connect(m_kill, &QPushButton::clicked, this, &MonitorPanel::killClicked);

    m_audition = new QPushButton(tr("Audition"));
    m_audition->setObjectName("auditionTrial");
    m_audition->setToolTip(tr("Listen to what the selected trial's checkpoint separates."));
    connect(m_audition, &QPushButton::clicked, this, [this] {
        if (const store::TrialRecord *trial = m_follower ? m_follower->trial(selectedTrialId())
                                                         : nullptr)
            Q_EMIT auditionRequested(QString::fromStdString(trial->name));
    });

    auto *top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Stage")));
    top->addWidget(m_stageChoice);
    top->addWidget(new QLabel(tr("Metric")));
    top->addWidget(m_metricChoice);
    top->addWidget(m_smoothingLabel);
    top->addWidget(m_smoothing);
    top->addStretch();

    m_chart = new CurveChart;
    m_chart->setMinimumHeight(220);
    connect(m_chart, &CurveChart::trialHovered, this, [this](std::int64_t id, double x, double y) {
        const store::TrialRecord *trial = m_follower ? m_follower->trial(id) : nullptr;
        if (trial)
            Q_EMIT statusMessage(tr("%1: step %2, %3 = %4")
                                     .arg(QString::fromStdString(trial->name))
                                     .arg(std::lround(x))
                                     .arg(shownMetric())
                                     .arg(y, 0, 'f', 3));
    });
    m_summary = new QLabel;
    m_summary->setObjectName("summary");

    m_stateChoice = new QComboBox;
    m_stateChoice->setObjectName("stateChoice");
    m_stateChoice->addItem(tr("all states"), QString());
    for (const char *state : {"running", "pending", "finished", "stopped", "failed", "diverged"})
        m_stateChoice->addItem(tr(state), QString(state));
    connect(m_stateChoice, &QComboBox::currentIndexChanged, this, [this](int index) {
        m_proxy->setStateName(m_stateChoice->itemData(index).toString());
    });
    m_filter = new QLineEdit;
    m_filter->setObjectName("trialFilter");
    m_filter->setPlaceholderText(tr("filter by name, parameter or device"));
    m_filter->setClearButtonEnabled(true);
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &TrialFilterProxy::setText);

    m_table = new QTableView;
    m_table->setObjectName("trialTable");
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(TrialTableModel::Name, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->setWordWrap(false);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(TrialTableModel::Params, QHeaderView::Stretch);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this] {
        followSelectedLog();
        updateActions();
    });
    m_log = new LogTail;

    auto *tableBox = new QWidget;
    auto *tableLayout = new QVBoxLayout(tableBox);
    tableLayout->setContentsMargins(0, 0, 0, 0);
    auto *filterRow = new QHBoxLayout;
    filterRow->addWidget(m_stateChoice);
    filterRow->addWidget(m_filter);
    tableLayout->addLayout(filterRow);
    tableLayout->addWidget(m_table);

    auto *bottom = new QSplitter(Qt::Horizontal);
    bottom->addWidget(tableBox);
    bottom->addWidget(m_log);
    // The table (parameters, best, runtime) needs the width more than the log does.
    bottom->setStretchFactor(0, 3);
    bottom->setStretchFactor(1, 1);
    bottom->setSizes({800, 200});
    auto *split = new QSplitter(Qt::Vertical);
    split->setObjectName("monitorSplitter");
    split->addWidget(m_chart);
    split->addWidget(bottom);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);

    // The actions share the summary's line, so the panel stays narrow enough for a laptop
    // screen beside the docks.
    auto *actions = new QHBoxLayout;
    actions->addWidget(m_summary, 1);
    actions->addWidget(m_stop);
    actions->addWidget(m_resume);
    actions->addWidget(m_kill);
    actions->addWidget(m_audition);
    m_summary->setWordWrap(true);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addLayout(actions);
    layout->addWidget(split, 1);
    m_summary->setText(tr(kNoWorkspaceHint));
}

bool MonitorPanel::openStore(const QString &path, QString *error)
{
    std::unique_ptr<StoreFollower> follower;
    try {
        follower = std::make_unique<StoreFollower>(path.toStdString());
    } catch (const std::exception &failure) {
        if (error)
            *error = QString::fromStdString(failure.what());
        return false;
    }
    closeStore();
    m_follower = std::move(follower);
    refreshNow();
    m_timer->start();
    return true;
}

void MonitorPanel::closeStore()
{
    m_timer->stop();
    m_model->clear();
    m_follower.reset();
    m_stageId = 0;
    m_stageChosenByUser = m_metricChosenByUser = false;
    m_longestRefreshMs = 0.0;
    m_stageChoice->clear();
    m_metricChoice->clear();
    m_chart->setCurves({});
    m_chart->setBands({});
    m_log->follow({}, {});
    m_summary->setText(tr(kNoWorkspaceHint));
    Q_EMIT trialsPerDevice({});
    updateActions();
}

QString MonitorPanel::storePath() const
{
    return m_follower ? QString::fromStdString(m_follower->path()) : QString();
}

double MonitorPanel::refreshNow()
{
    if (!m_follower)
        return 0.0;
    QElapsedTimer clock;
    clock.start();
    StoreFollower::Changes changes;
    try {
        changes = m_follower->poll();
    } catch (const std::exception &failure) {
        // A store that a newer SepLab migrated, or a disk that went away: say so once and stop
        // polling rather than repeat the error five times a second.
        m_timer->stop();
        Q_EMIT statusMessage(QString::fromStdString(failure.what()));
        return 0.0;
    }
    m_model->update(*m_follower, changes.trials, QDateTime::currentMSecsSinceEpoch() / 1000.0);
    if (!changes.trials.empty()) {
        QMap<QString, int> perDevice;
        for (const store::TrialRecord &trial : m_follower->trials())
            if (trial.state == store::TrialState::Running)
                ++perDevice[QString::fromStdString(trial.device)];
        Q_EMIT trialsPerDevice(perDevice);
    }
    if (changes.plansOrStages || m_stageChoice->count() == 0) {
        Q_EMIT plansOrStagesChanged();
        rebuildStageChoices();
        if (!m_stageChosenByUser)
            showStage(stageToFollow());
    }
    if (!changes.metricsFor.empty())
        rebuildMetricChoices();
    if (changes.any())
        redrawCurves();
    m_log->refresh();
    updateActions();
    const double ms = clock.nsecsElapsed() / 1e6;
    m_longestRefreshMs = std::max(m_longestRefreshMs, ms);
    return ms;
}

std::int64_t MonitorPanel::stageToFollow() const
{
    const auto &stages = m_follower->stages();
    for (auto it = stages.rbegin(); it != stages.rend(); ++it)
        if (it->state == "running")
            return it->id;
    return stages.empty() ? 0 : stages.back().id;
}

void MonitorPanel::rebuildStageChoices()
{
    const QSignalBlocker blocker(m_stageChoice);
    m_stageChoice->clear();
    m_stageChoice->addItem(tr("all stages"), qlonglong(0));
    const bool manyPlans = m_follower->plans().size() > 1;
    for (const store::StageRecord &stage : m_follower->stages()) {
        QString planName;
        for (const store::PlanRecord &plan : m_follower->plans())
            if (plan.id == stage.planId)
                planName = QString::fromStdString(plan.name) + " ▸ ";
        m_stageChoice->addItem(QString("%1%2 (%3)")
                                   .arg(manyPlans ? planName : QString(),
                                        QString::fromStdString(stage.name),
                                        QString::fromStdString(stage.state)),
                               qlonglong(stage.id));
    }
    m_stageChoice->setCurrentIndex(std::max(0, m_stageChoice->findData(qlonglong(m_stageId))));
}

void MonitorPanel::rebuildMetricChoices()
{
    const QString current = m_metricChoice->currentText();
    const QSignalBlocker blocker(m_metricChoice);
    m_metricChoice->clear();
    for (const std::string &name : m_follower->metricNames())
        m_metricChoice->addItem(QString::fromStdString(name));
    int index = m_metricChoice->findText(current);
    if (index < 0 || !m_metricChosenByUser) {
        // val_sisdr is what the users watch; an external program's metric otherwise.
        index = m_metricChoice->findText("val_sisdr");
        if (index < 0 && m_stageId != 0)
            if (const store::StageRecord *stage = m_follower->stage(m_stageId))
                index = m_metricChoice->findText(QString::fromStdString(
                    stage->spec.value("metric", nlohmann::json::object()).value("name", "")));
        index = std::max(index, m_metricChoice->findText(current));
    }
    m_metricChoice->setCurrentIndex(std::max(0, index));
    m_chart->setMetricName(m_metricChoice->currentText());
}

void MonitorPanel::showStage(std::int64_t stageId)
{
    m_stageId = stageId;
    m_stageChoice->setCurrentIndex(std::max(0, m_stageChoice->findData(qlonglong(stageId))));
    m_proxy->setStageId(stageId);
    // One stage shown: its name in every row would only take the parameters' room.
    m_table->setColumnHidden(TrialTableModel::Stage, stageId != 0);
    redrawCurves();
    updateActions();
}

void MonitorPanel::showMetric(const QString &name)
{
    const int index = m_metricChoice->findText(name);
    if (index >= 0)
        m_metricChoice->setCurrentIndex(index);
    m_chart->setMetricName(name);
    redrawCurves();
}

QString MonitorPanel::shownMetric() const
{
    return m_metricChoice->currentText();
}

void MonitorPanel::redrawCurves()
{
    if (!m_follower)
        return;
    const store::StageRecord *stage = m_stageId ? m_follower->stage(m_stageId) : nullptr;
    const nlohmann::json metric = stage ? stage->spec.value("metric", nlohmann::json::object())
                                        : nlohmann::json::object();
    const bool maximize = metric.value("goal", std::string("maximize")) != "minimize";
    m_chart->setBands(stage ? stage->spec.value("bands", std::vector<int>()) : std::vector<int>());

    const std::string metricName = shownMetric().toStdString();
    std::vector<TrialCurve> curves;
    const store::TrialRecord *best = nullptr;
    std::map<std::string, int> counts;
    for (const store::TrialRecord &trial : m_follower->trials()) {
        if (m_stageId != 0 && trial.stageId != m_stageId)
            continue;
        ++counts[store::trialStateName(trial.state)];
        if (trial.bestValue && std::isfinite(*trial.bestValue)
            && (!best
                || (maximize ? *trial.bestValue > *best->bestValue
                             : *trial.bestValue < *best->bestValue)))
            best = &trial;
        TrialCurve curve;
        curve.trialId = trial.id;
        curve.label = QString::fromStdString(trial.name);
        if (const auto *series = m_follower->series(trial.id, metricName))
            for (const auto &[step, value] : *series)
                curve.points.push_back({double(step), value});
        if (trial.state == store::TrialState::Stopped)
            curve.role = CurveRole::Stopped;
        else if (trial.state == store::TrialState::Failed
                 || trial.state == store::TrialState::Diverged)
            curve.role = CurveRole::Failed;
        curves.push_back(std::move(curve));
    }
    for (TrialCurve &curve : curves)
        if (best && curve.trialId == best->id)
            curve.role = CurveRole::Best;
    m_chart->setCurves(curves);

    QStringList parts;
    for (const auto &[state, count] : counts)
        parts << QString("%1 %2").arg(count).arg(QString::fromStdString(state));
    QString text = parts.isEmpty() ? tr("no trials yet") : parts.join(", ");
    if (best)
        text += tr("  ·  best %1: %2 = %3")
                    .arg(QString::fromStdString(best->name),
                         QString::fromStdString(metric.value("name", std::string("best"))))
                    .arg(*best->bestValue, 0, 'f', 3);
    m_summary->setText(text);
}

std::int64_t MonitorPanel::selectedTrialId() const
{
    const QModelIndex current = m_table->selectionModel()->currentIndex();
    return current.isValid() ? current.data(TrialTableModel::TrialIdRole).toLongLong() : 0;
}

void MonitorPanel::followSelectedLog()
{
    const store::TrialRecord *trial = m_follower ? m_follower->trial(selectedTrialId()) : nullptr;
    if (!trial) {
        m_log->follow({}, {});
        return;
    }
    QString runDir = QString::fromStdString(trial->runDir);
    // Run folders are stored as the controller saw them; a relative one is tried against the
    // store's folder too, for a GUI started elsewhere.
    if (QDir::isRelativePath(runDir) && !QFileInfo::exists(runDir))
        runDir = QFileInfo(storePath()).dir().filePath(runDir);
    QString fallback = QString::fromStdString(trial->logTail);
    if (!trial->error.empty())
        fallback = QString::fromStdString(trial->error) + "\n" + fallback;
    m_log->follow(runDir.isEmpty() ? QString() : runDir + "/log.txt", fallback);
}

QString MonitorPanel::planNameOfShownStage() const
{
    if (!m_follower || m_follower->plans().empty())
        return {};
    if (const store::StageRecord *stage = m_stageId ? m_follower->stage(m_stageId) : nullptr)
        for (const store::PlanRecord &plan : m_follower->plans())
            if (plan.id == stage->planId)
                return QString::fromStdString(plan.name);
    for (const store::PlanRecord &plan : m_follower->plans())
        if (plan.state == "running")
            return QString::fromStdString(plan.name);
    return QString::fromStdString(m_follower->plans().back().name);
}

void MonitorPanel::updateActions()
{
    const QString planName = planNameOfShownStage();
    const store::PlanRecord *plan = nullptr;
    if (m_follower)
        for (const store::PlanRecord &candidate : m_follower->plans())
            if (QString::fromStdString(candidate.name) == planName)
                plan = &candidate;
    const bool alive = plan && planControllerAlive(*plan);
    m_stop->setEnabled(alive);
    m_resume->setEnabled(plan && !alive && plan->state != "finished");
    const store::TrialRecord *trial = m_follower ? m_follower->trial(selectedTrialId()) : nullptr;
    m_kill->setEnabled(trial && trial->state == store::TrialState::Running
                       && processExists(trial->pid));
    m_audition->setEnabled(trial && !trial->runDir.empty());
}

void MonitorPanel::stopClicked()
{
    const QString plan = planNameOfShownStage();
    m_stop->setEnabled(false);
    stopSweep(storePath(), plan, [this](bool ok, const QString &message) {
        Q_EMIT statusMessage(ok ? message : tr("Stop failed: %1").arg(message));
    });
}

void MonitorPanel::resumeClicked()
{
    const QString error = resumeSweep(storePath(), planNameOfShownStage());
    Q_EMIT statusMessage(error.isEmpty() ? tr("Resuming plan %1…").arg(planNameOfShownStage())
                                         : error);
}

void MonitorPanel::killClicked()
{
    const store::TrialRecord *trial = m_follower ? m_follower->trial(selectedTrialId()) : nullptr;
    if (!trial)
        return;
    const QString name = QString::fromStdString(trial->name);
    if (QMessageBox::question(this,
                              tr("Kill trial"),
                              tr("Kill %1 now? It will not write a checkpoint and is recorded "
                                 "as failed.")
                                  .arg(name))
        != QMessageBox::Yes)
        return;
    const QString program = trial->command.empty()
                                ? QString()
                                : QString::fromStdString(trial->command[0].get<std::string>());
    const QString error = killTrialProcess(trial->pid, program);
    Q_EMIT statusMessage(error.isEmpty() ? tr("Killed %1.").arg(name)
                                         : tr("Kill %1: %2").arg(name, error));
}

} // namespace seplab::ui
