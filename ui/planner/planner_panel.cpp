#include "planner_panel.h"

#include "bench_runner.h"
#include "budget_view.h"
#include "core/store/experiment_store.h"
#include "core/sweep/plan_budget.h"
#include "core/sweep/plan_writer.h"
#include "plan_table_model.h"
#include "review_tab.h"
#include "stage_review.h"
#include "sweep_resume.h"
#include "ui/common/atomic_write.h"
#include "ui/monitor/sweep_actions.h"
#include "ui/monitor/sweep_launch.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

#include <filesystem>

#ifndef SEPLAB_SOURCE_PLANS_DIR
#define SEPLAB_SOURCE_PLANS_DIR ""
#endif

namespace seplab::ui {

namespace {

QStringList toQt(const std::vector<std::string> &list)
{
    QStringList out;
    for (const std::string &item : list)
        out << QString::fromStdString(item);
    return out;
}

// A plan saved into another folder keeps pointing at the same files: its relative base
// config, corpus and programs become absolute (the way the controller resolves them).
sweep::Plan withPathsFor(sweep::Plan plan, const QString &folder)
{
    namespace fs = std::filesystem;
    if (QDir(folder).absolutePath() == QDir(QString::fromStdString(plan.folder)).absolutePath())
        return plan;
    auto absolute = [&](std::string &path) {
        if (path.empty() || fs::path(path).is_absolute())
            return;
        const std::string resolved = plan.resolvePath(path);
        if (fs::exists(resolved))
            path = resolved;
    };
    absolute(plan.baseConfig);
    absolute(plan.data);
    for (sweep::StagePlan &stage : plan.stages)
        absolute(stage.sweep.program);
    return plan;
}

QString defaultTemplateFolder()
{
    const QStringList candidates = {qEnvironmentVariable("SEPLAB_PLANS_DIR"),
                                    QCoreApplication::applicationDirPath()
                                        + "/../share/seplab/plans",
                                    QStringLiteral(SEPLAB_SOURCE_PLANS_DIR)};
    for (const QString &candidate : candidates)
        if (!candidate.isEmpty() && QFileInfo(candidate).isDir())
            return QDir(candidate).absolutePath();
    return {};
}

} // namespace

PlannerPanel::PlannerPanel(QWidget *parent)
    : QWidget(parent)
{
    setObjectName("PlannerPanel");
    m_model = new PlanTableModel(this);
    m_bench = new BenchRunner(this);
    buildLayout();
    connect(m_model, &PlanTableModel::planEdited, this, [this] {
        refreshSummary();
        refreshBudget();
    });
    connect(m_model, &PlanTableModel::editRejected, this, &PlannerPanel::statusMessage);
    connect(m_bench, &BenchRunner::finished, this, [this](double samplesPerSecond) {
        const QStringList ran = m_runningArguments;
        m_runningArguments.clear();
        m_benchArguments = ran;
        m_benchSamplesPerSecond = samplesPerSecond;
        Q_EMIT statusMessage(tr("Benchmark: %1 training samples/s.").arg(samplesPerSecond));
        refreshBudget();
    });
    connect(m_bench, &BenchRunner::failed, this, [this](const QString &problem) {
        m_failedArguments = m_runningArguments;
        m_runningArguments.clear();
        m_budgetSource = tr("The benchmark failed: %1").arg(problem);
        Q_EMIT statusMessage(m_budgetSource);
        showBudget();
    });
    setTemplateFolder(defaultTemplateFolder());
    refreshSummary();
    showBudget();
}

void PlannerPanel::buildLayout()
{
    m_templates = new QComboBox;
    m_templates->setObjectName("planTemplates");
    connect(m_templates, &QComboBox::activated, this, [this](int index) {
        const QString path = m_templates->itemData(index).toString();
        m_templates->setCurrentIndex(0);
        if (!path.isEmpty())
            openPlanFile(path);
    });
    auto *openButton = new QPushButton(tr("Open…"));
    connect(openButton, &QPushButton::clicked, this, &PlannerPanel::chooseOpen);
    auto *saveButton = new QPushButton(tr("Save As…"));
    saveButton->setObjectName("savePlan");
    connect(saveButton, &QPushButton::clicked, this, &PlannerPanel::chooseSave);
    m_scaleChoice = new QComboBox;
    m_scaleChoice->setObjectName("planScale");
    m_scaleChoice->setToolTip(tr("The plan's named scales (`--scale`)."));
    connect(m_scaleChoice, &QComboBox::activated, this, [this] {
        const QString chosen = m_scaleChoice->currentData().toString();
        if (chosen == m_scale)
            return;
        if (m_model->isModified()) {
            m_scaleChoice->setCurrentIndex(m_scaleChoice->findData(m_scale));
            Q_EMIT statusMessage(tr("Save the edited plan before switching to another scale."));
            return;
        }
        openPlanFile(m_planPath, chosen);
    });
    auto *launchButton = new QPushButton(tr("Launch…"));
    launchButton->setObjectName("launchPlan");
    connect(launchButton, &QPushButton::clicked, this, &PlannerPanel::requestLaunch);

    auto *top = new QHBoxLayout;
    top->addWidget(m_templates);
    top->addWidget(openButton);
    top->addWidget(saveButton);
    top->addWidget(new QLabel(tr("Scale")));
    top->addWidget(m_scaleChoice);
    top->addStretch();
    top->addWidget(launchButton);
    m_summary = new QLabel;
    m_summary->setObjectName("planSummary");
    m_summary->setWordWrap(true);

    m_table = new QTableView;
    m_table->setObjectName("planTable");
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed
                             | QAbstractItemView::AnyKeyPressed);
    m_table->setMinimumHeight(120);
    connect(m_model, &QAbstractItemModel::modelReset, m_table, &QTableView::resizeColumnsToContents);

    m_budgetView = new BudgetView;
    connect(m_budgetView, &BudgetView::benchmarkRequested, this, &PlannerPanel::startBenchmark);

    auto *reviewTab = new ReviewTab;
    m_review = reviewTab->review();
    connect(reviewTab, &ReviewTab::reviewRequested, this, [this] { reviewStage(selectedStage()); });
    connect(reviewTab, &ReviewTab::continueRequested, this, [this] {
        QString error;
        if (!continueSweep(&error))
            Q_EMIT statusMessage(error);
    });
    connect(m_review, &StageReview::applyRequested, this, [this] {
        QString error;
        if (!applyReview(&error))
            Q_EMIT statusMessage(error);
    });

    // The budget and the review share the space below the stages, one at a time.
    m_tabs = new QTabWidget;
    m_tabs->setObjectName("plannerTabs");
    m_tabs->addTab(m_budgetView, tr("Compute budget"));
    m_tabs->addTab(reviewTab, tr("Review a stage"));
    auto *split = new QSplitter(Qt::Vertical);
    split->addWidget(m_table);
    split->addWidget(m_tabs);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 2);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_summary);
    layout->addWidget(split, 1);
}

QTableWidget *PlannerPanel::budgetTable() const
{
    return m_budgetView->table();
}

void PlannerPanel::setTemplateFolder(const QString &folder)
{
    m_templateFolder = folder;
    m_templates->clear();
    m_templates->addItem(tr("Templates…"), QString());
    for (const QString &path : templateFiles())
        m_templates->addItem(QFileInfo(path).completeBaseName(), path);
}

QStringList PlannerPanel::templateFiles() const
{
    QStringList files;
    if (m_templateFolder.isEmpty())
        return files;
    const QDir dir(m_templateFolder);
    for (const QString &name : dir.entryList({"*.yaml", "*.yml"}, QDir::Files, QDir::Name))
        files << dir.filePath(name);
    return files;
}

bool PlannerPanel::loadPlan(const QString &path, const QString &scale, QString *error)
{
    sweep::Plan plan;
    try {
        plan = sweep::loadPlan(path.toStdString(), scale.toStdString());
    } catch (const std::exception &problem) {
        *error = QString::fromStdString(problem.what());
        return false;
    }
    m_model->setPlan(plan);
    m_planPath = path;
    m_scale = scale;
    m_scaleChoice->clear();
    m_scaleChoice->addItem(tr("full"), QString());
    for (const std::string &name : plan.scales)
        m_scaleChoice->addItem(QString::fromStdString(name), QString::fromStdString(name));
    m_scaleChoice->setCurrentIndex(std::max(0, m_scaleChoice->findData(scale)));
    m_review->clear();
    for (const std::string &warning : plan.warnings)
        Q_EMIT statusMessage(QString::fromStdString(warning));
    return true;
}

bool PlannerPanel::openPlanFile(const QString &path, const QString &scale)
{
    QString error;
    if (!loadPlan(path, scale, &error)) {
        Q_EMIT statusMessage(error);
        return false;
    }
    refreshSummary();
    refreshBudget();
    Q_EMIT statusMessage(tr("Opened plan '%1' from %2%3.")
                             .arg(QString::fromStdString(m_model->plan().name),
                                  path,
                                  scale.isEmpty() ? QString() : tr(" at scale '%1'").arg(scale)));
    return true;
}

void PlannerPanel::setStorePath(const QString &storePath)
{
    m_storePath = storePath;
    refreshBudget();
}

void PlannerPanel::refreshSummary()
{
    if (!m_model->hasPlan()) {
        m_summary->setText(tr("Open a plan or a template."));
        return;
    }
    const sweep::Plan &plan = m_model->plan();
    const sweep::ExecutorPlan &executor = plan.executor;
    const QString slots
        = executor.gpus.empty()
              ? tr("CPU, %1 slots").arg(executor.cpuSlots)
              : tr("%1 GPU(s) × %2 slots").arg(executor.gpus.size()).arg(executor.slotsPerGpu);
    m_summary->setText(tr("Plan '%1' (%2%3): %4 stages; metric %5 (%6); executor %7%8")
                           .arg(QString::fromStdString(plan.name),
                                QFileInfo(m_planPath).fileName(),
                                m_scale.isEmpty() ? QString() : tr(", scale %1").arg(m_scale))
                           .arg(plan.stages.size())
                           .arg(QString::fromStdString(plan.metric.name),
                                QString::fromStdString(plan.metric.goal),
                                slots,
                                m_model->isModified() ? tr(" · edited, not saved") : QString()));
}

void PlannerPanel::refreshBudget()
{
    m_budget = {};
    m_budgetSource.clear();
    if (!m_model->hasPlan()) {
        showBudget();
        return;
    }
    const sweep::Plan &plan = m_model->plan();
    std::vector<sweep::StageBudgetInput> inputs;
    std::optional<sweep::EpochRate> rate;
    try {
        inputs = sweep::budgetInputs(plan);
        if (!m_storePath.isEmpty() && QFileInfo::exists(m_storePath)) {
            const store::ExperimentStore store
                = store::ExperimentStore::open(m_storePath.toStdString(),
                                               store::ExperimentStore::Mode::ReadOnly);
            const sweep::MeasuredEpochs measured = sweep::measuredEpochs(store, plan);
            if (const auto seconds = sweep::secondsPerSampleEpoch(measured.timings))
                rate = sweep::EpochRate{*seconds, measured.share, measured.source};
        }
    } catch (const std::exception &problem) {
        m_budgetSource = QString::fromStdString(problem.what());
        showBudget();
        return;
    }
    if (!rate) {
        QStringList arguments;
        try {
            arguments = toQt(sweep::benchTrainArguments(plan));
        } catch (const std::exception &problem) {
            m_budgetSource = tr("No measured epochs, and no benchmark: %1")
                                 .arg(QString::fromStdString(problem.what()));
            showBudget();
            return;
        }
        if (m_benchSamplesPerSecond && arguments == m_benchArguments) {
            rate = sweep::EpochRate{1.0 / *m_benchSamplesPerSecond,
                                    1,
                                    tr("bench train: %1 samples/s of %2 on %3 (training steps "
                                       "only; validation is not counted)")
                                        .arg(*m_benchSamplesPerSecond)
                                        .arg(arguments.value(3),
                                             arguments.value(arguments.indexOf("--device") + 1))
                                        .toStdString()};
        } else {
            if (m_autoBenchmark && arguments != m_failedArguments)
                startBenchmark();
            m_budgetSource = m_bench->isRunning()
                                 ? tr("No measured epochs in the store; timing the model with "
                                      "`seplab-cli bench train`…")
                                 : tr("No measured epochs in the store; press Benchmark to time "
                                      "the model.");
            showBudget();
            return;
        }
    }
    m_budget = sweep::estimateBudget(inputs, *rate);
    m_budgetSource = QString::fromStdString(rate->source);
    showBudget();
}

void PlannerPanel::showBudget()
{
    m_budgetView->showBudget(m_budget, m_budgetSource);
}

void PlannerPanel::setBenchmarkRate(double samplesPerSecond)
{
    if (!m_model->hasPlan() || !(samplesPerSecond > 0.0))
        return;
    try {
        m_benchArguments = toQt(sweep::benchTrainArguments(m_model->plan()));
    } catch (const std::exception &) {
        return;
    }
    m_benchSamplesPerSecond = samplesPerSecond;
    refreshBudget();
}

void PlannerPanel::startBenchmark()
{
    if (!m_model->hasPlan())
        return;
    QStringList arguments;
    try {
        arguments = toQt(sweep::benchTrainArguments(m_model->plan()));
    } catch (const std::exception &problem) {
        Q_EMIT statusMessage(QString::fromStdString(problem.what()));
        return;
    }
    if (m_bench->isRunning() && arguments == m_runningArguments)
        return;
    m_runningArguments = arguments;
    m_bench->start(seplabCliPath(), arguments);
    Q_EMIT statusMessage(
        tr("Timing %1 training steps with seplab-cli bench train…").arg(arguments.value(3)));
}

int PlannerPanel::selectedStage() const
{
    const QModelIndex current = m_table->currentIndex();
    return current.isValid() ? current.row() : -1;
}

bool PlannerPanel::reviewStage(int index)
{
    if (!m_model->hasPlan()) {
        Q_EMIT statusMessage(tr("Open a plan first."));
        return false;
    }
    QString error;
    if (!m_review->showStage(m_model->plan(), index, m_storePath, &error)) {
        Q_EMIT statusMessage(error);
        return false;
    }
    m_table->selectRow(index);
    m_tabs->setCurrentIndex(1);
    return true;
}

bool PlannerPanel::applyReview(QString *error)
{
    const int index = m_review->stageIndex();
    if (index < 0) {
        *error = tr("Review a stage first.");
        return false;
    }
    const QString name = QString::fromStdString(m_model->plan().stages[std::size_t(index)].name);
    if (m_review->started()) {
        *error = tr("Stage '%1' has already started; its ranges can no longer change.").arg(name);
        return false;
    }
    const std::optional<sweep::SearchSpace> space = m_review->editedSpace(error);
    if (!space || !m_model->setStageParameters(index, *space, error))
        return false;
    Q_EMIT statusMessage(tr("Stage '%1' now runs the reviewed ranges; save the plan or continue "
                            "the sweep with it.")
                             .arg(name));
    return true;
}

QString PlannerPanel::reviewedPlanPath() const
{
    if (m_storePath.isEmpty() || !m_model->hasPlan())
        return {};
    return QFileInfo(m_storePath).absolutePath() + "/"
           + QString::fromStdString(m_model->plan().name) + ".reviewed.yaml";
}

bool PlannerPanel::writeReviewedPlan(QString *error)
{
    if (!m_model->hasPlan()) {
        *error = tr("Open the plan of the sweep to continue first.");
        return false;
    }
    if (m_storePath.isEmpty()) {
        *error = tr("Open the workspace store of the sweep to continue first.");
        return false;
    }
    const sweep::Plan &plan = m_model->plan();
    // Relative paths stay as written: the controller keeps resolving them from where the plan
    // was first read, and a changed base_config would be refused.
    const std::string text = sweep::planYaml(plan,
                                             "Plan '" + plan.name
                                                 + "' as reviewed in SepLab's stage planner, for "
                                                   "`seplab-cli sweep resume --plan-file`.");
    return writeFileAtomically(reviewedPlanPath(), QByteArray::fromStdString(text), error);
}

bool PlannerPanel::continueSweep(QString *error)
{
    if (!writeReviewedPlan(error))
        return false;
    const QString name = QString::fromStdString(m_model->plan().name);
    if (!startSweepResume(m_storePath, name, reviewedPlanPath(), error))
        return false;
    Q_EMIT statusMessage(tr("Continuing plan '%1' with %2; progress goes to %3.")
                             .arg(name, reviewedPlanPath(), controllerLogPath(m_storePath)));
    Q_EMIT sweepContinued(name);
    return true;
}

bool PlannerPanel::savePlan(const QString &path, QString *error)
{
    if (!m_model->hasPlan()) {
        *error = tr("There is no plan to save.");
        return false;
    }
    const sweep::Plan plan = withPathsFor(m_model->plan(), QFileInfo(path).absolutePath());
    std::string header = "Saved by SepLab's stage planner from " + m_planPath.toStdString();
    if (!m_scale.isEmpty())
        header += " at scale '" + m_scale.toStdString() + "' (resolved; no scales left)";
    if (!writeFileAtomically(path, QByteArray::fromStdString(sweep::planYaml(plan, header)), error))
        return false;
    if (!loadPlan(path, {}, error))
        return false;
    refreshSummary();
    refreshBudget();
    return true;
}

void PlannerPanel::chooseOpen()
{
    const QString path = QFileDialog::getOpenFileName(this,
                                                      tr("Open a plan"),
                                                      QFileInfo(m_planPath).absolutePath(),
                                                      tr("Plans and W&B sweeps (*.yaml *.yml)"));
    if (!path.isEmpty())
        openPlanFile(path);
}

void PlannerPanel::chooseSave()
{
    if (!m_model->hasPlan())
        return;
    const QString path = QFileDialog::getSaveFileName(this,
                                                      tr("Save the plan"),
                                                      m_planPath,
                                                      tr("Plans (*.yaml *.yml)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!savePlan(path, &error))
        Q_EMIT statusMessage(error);
    else
        Q_EMIT statusMessage(tr("Saved the plan to %1.").arg(path));
}

void PlannerPanel::requestLaunch()
{
    if (!m_model->hasPlan()) {
        Q_EMIT statusMessage(tr("Open a plan to launch."));
        return;
    }
    if (m_model->isModified()) {
        Q_EMIT statusMessage(tr("Save the edited plan before launching it (Save As…)."));
        return;
    }
    Q_EMIT launchRequested(m_planPath, m_scale);
}

} // namespace seplab::ui
