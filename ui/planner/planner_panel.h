#pragma once

// The stage planner: a plan's stages as an editable table (data size, epochs, trials, method,
// early termination, narrowing, promotion, validation seeds, parallel slots, review), the
// shipped templates and any plan file at any of its scales, an estimated compute budget per
// stage and in total, and the review of a stage's narrowed ranges before it starts.
//
// The budget's seconds per sample and epoch come from the epochs the workspace store measured
// when it has any (core/sweep/plan_budget.h), else from `seplab-cli bench train` run in the
// background; the arithmetic is core's (compute_budget.h). A review derives the stage from the
// store with core's deriveStage, the user edits the ranges, and "Continue sweep" writes the
// edited plan beside the store and starts `seplab-cli sweep resume --plan-file` detached. The
// panel never writes the store (DESIGN.md). Its parts: the budget tab (budget_view.h), the
// review tab (review_tab.h, stage_review.h) and the resume of a sweep (sweep_resume.h).

#include "core/sweep/compute_budget.h"

#include <QWidget>

#include <optional>

class QComboBox;
class QLabel;
class QTabWidget;
class QTableView;
class QTableWidget;

namespace seplab::ui {

class BenchRunner;
class BudgetView;
class PlanTableModel;
class StageReview;

class PlannerPanel : public QWidget
{
    Q_OBJECT

public:
    explicit PlannerPanel(QWidget *parent = nullptr);

    // Opens a plan (or a plain W&B sweep, as a one-stage plan) at `scale` ("" for none); false
    // and a statusMessage naming the file and the problem when it cannot be read.
    bool openPlanFile(const QString &path, const QString &scale = {});
    // The workspace store: measured epoch times and the earlier stages of a review come from it.
    void setStorePath(const QString &storePath);
    QString storePath() const { return m_storePath; }

    // Writes the plan as edited to `path` (atomically) and opens it from there. Relative paths
    // are made absolute when `path` is in another folder. False and `error` on failure.
    bool savePlan(const QString &path, QString *error);
    QString planPath() const { return m_planPath; }
    QString scale() const { return m_scale; }

    // Where the templates are: $SEPLAB_PLANS_DIR, <app>/../share/seplab/plans, or the source
    // tree's resources/plans, the first that exists.
    void setTemplateFolder(const QString &folder);
    QString templateFolder() const { return m_templateFolder; }
    QStringList templateFiles() const;

    // Derives the selected (or given) stage from the store into the review; false and a
    // statusMessage when it cannot.
    bool reviewStage(int index);
    // Writes the review's edited ranges into the plan as the stage's parameters.
    bool applyReview(QString *error);
    // Writes the edited plan to reviewedPlanPath() for `sweep resume --plan-file`.
    bool writeReviewedPlan(QString *error);
    QString reviewedPlanPath() const;
    // writeReviewedPlan(), then `seplab-cli sweep resume --store S --plan NAME --plan-file F`
    // detached (its lines go to the store's controller log). False and `error` on failure.
    bool continueSweep(QString *error);

    // The budget as last computed, and where its rate came from (one line).
    const sweep::ComputeBudget &budget() const { return m_budget; }
    QString budgetSource() const { return m_budgetSource; }
    // Runs `bench train` for the plan's model when the store measured nothing.
    void setAutoBenchmark(bool enabled) { m_autoBenchmark = enabled; }
    // A benchmark's samples/s for the open plan's model, as the background run reports it.
    void setBenchmarkRate(double samplesPerSecond);
    void startBenchmark();

    PlanTableModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    QTableWidget *budgetTable() const;
    StageReview *review() const { return m_review; }
    QComboBox *scaleChoice() const { return m_scaleChoice; }
    QComboBox *templateChoice() const { return m_templates; }
    QTabWidget *tabs() const { return m_tabs; }

Q_SIGNALS:
    void statusMessage(const QString &message);
    // Launch was asked for the saved plan at `scale` ("" when the file needs none); the main
    // window opens its launch dialog with them.
    void launchRequested(const QString &planPath, const QString &scale);
    // `sweep resume` of the plan was started with an edited plan.
    void sweepContinued(const QString &planName);

public Q_SLOTS:
    void refreshBudget();

private:
    void buildLayout();
    void refreshSummary();
    void showBudget();
    void chooseOpen();
    void chooseSave();
    void requestLaunch();
    int selectedStage() const;
    bool loadPlan(const QString &path, const QString &scale, QString *error);

    PlanTableModel *m_model = nullptr;
    QTableView *m_table = nullptr;
    QComboBox *m_templates = nullptr;
    QComboBox *m_scaleChoice = nullptr;
    QLabel *m_summary = nullptr;
    BudgetView *m_budgetView = nullptr;
    StageReview *m_review = nullptr;
    QTabWidget *m_tabs = nullptr;
    BenchRunner *m_bench = nullptr;

    QString m_planPath;
    QString m_scale;
    QString m_storePath;
    QString m_templateFolder;
    bool m_autoBenchmark = true;
    // The benchmark's samples/s, for the command line it ran; the one running; the last failed.
    std::optional<double> m_benchSamplesPerSecond;
    QStringList m_benchArguments;
    QStringList m_runningArguments;
    QStringList m_failedArguments;
    sweep::ComputeBudget m_budget;
    QString m_budgetSource;
};

} // namespace seplab::ui
