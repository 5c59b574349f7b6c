#include "stage_review.h"

#include "core/store/experiment_store.h"
#include "core/sweep/stored_stages.h"
#include "ui/searchspace/search_space_editor.h"
#include "ui/searchspace/search_space_model.h"

#include <QAbstractItemView>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace seplab::ui {

StageReview::StageReview(QWidget *parent)
    : QWidget(parent)
{
    setObjectName("StageReview");
    m_note = new QLabel;
    m_note->setObjectName("reviewNote");
    m_note->setWordWrap(true);
    m_editor = new SearchSpaceEditor;
    m_provenance = new QListWidget;
    m_provenance->setObjectName("reviewProvenance");
    m_provenance->setWordWrap(true);
    m_provenance->setMaximumHeight(110);
    m_apply = new QPushButton(tr("Apply ranges to the plan"));
    m_apply->setObjectName("applyReviewedRanges");
    m_apply->setToolTip(tr("Write these ranges as the stage's own parameters; they replace the "
                           "narrowed ones when the stage starts."));
    connect(m_apply, &QPushButton::clicked, this, &StageReview::applyRequested);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_note, 1);
    buttons->addWidget(m_apply);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(buttons);
    layout->addWidget(m_provenance);
    layout->addWidget(m_editor, 1);
    clear();
}

void StageReview::clear()
{
    m_derived = {};
    m_stageIndex = -1;
    m_started = false;
    m_editor->model()->setRows({});
    m_provenance->clear();
    m_note->setText(tr("Select a stage and derive it to review its ranges."));
    setEditable(false);
}

void StageReview::setEditable(bool editable)
{
    m_apply->setEnabled(editable);
    m_editor->view()->setEditTriggers(editable ? QAbstractItemView::AllEditTriggers
                                               : QAbstractItemView::NoEditTriggers);
}

QStringList StageReview::provenanceLines() const
{
    QStringList lines;
    for (int row = 0; row < m_provenance->count(); ++row)
        lines << m_provenance->item(row)->text();
    return lines;
}

std::optional<sweep::SearchSpace> StageReview::editedSpace(QString *error) const
{
    std::string problem;
    std::optional<sweep::SearchSpace> space = m_editor->model()->space(&problem);
    if (!space)
        *error = tr("The reviewed ranges have a problem: %1").arg(QString::fromStdString(problem));
    return space;
}

QString StageReview::deriveFromStore(const sweep::Plan &plan, int index, const QString &storePath)
{
    const QString stageName = QString::fromStdString(plan.stages[std::size_t(index)].name);
    const store::ExperimentStore store
        = store::ExperimentStore::open(storePath.toStdString(),
                                       store::ExperimentStore::Mode::ReadOnly);
    const std::optional<store::PlanRecord> record = store.planByName(plan.name);
    if (!record) {
        const sweep::StagePlan &stage = plan.stages[std::size_t(index)];
        if (!stage.narrowFrom && !stage.promote) {
            m_derived = sweep::deriveStage(plan, index, {});
            return {};
        }
        return tr("%1 has no plan named '%2' yet; launch it to run the stages that stage '%3' "
                  "derives from.")
            .arg(storePath, QString::fromStdString(plan.name), stageName);
    }
    for (const store::StageRecord &ran : store.stages(record->id)) {
        const std::size_t at = std::size_t(ran.index);
        if (at >= plan.stages.size() || plan.stages[at].name != ran.name)
            return tr("%1: plan '%2' ran stage '%3' as stage %4, which the open plan does not "
                      "have there.")
                .arg(storePath, QString::fromStdString(plan.name), QString::fromStdString(ran.name))
                .arg(ran.index + 1);
        if (ran.index == index) {
            m_derived = sweep::storedDerivation(ran);
            m_started = true;
        }
    }
    if (!m_started)
        m_derived = sweep::deriveStage(plan,
                                       index,
                                       sweep::earlierStagesFromStore(store, record->id));
    return {};
}

bool StageReview::showStage(const sweep::Plan &plan,
                            int index,
                            const QString &storePath,
                            QString *error)
{
    clear();
    if (index < 0 || index >= int(plan.stages.size())) {
        *error = tr("Select a stage of the plan to review.");
        return false;
    }
    const sweep::StagePlan &stage = plan.stages[std::size_t(index)];
    const QString stageName = QString::fromStdString(stage.name);
    const bool derivesFromEarlier = stage.narrowFrom || stage.promote;
    if (storePath.isEmpty() && derivesFromEarlier) {
        *error = tr("Stage '%1': open a workspace store to derive it from the earlier stages.")
                     .arg(stageName);
        return false;
    }
    try {
        if (storePath.isEmpty()) {
            m_derived = sweep::deriveStage(plan, index, {}); // its own parameters, nothing else
        } else if (const QString problem = deriveFromStore(plan, index, storePath);
                   !problem.isEmpty()) {
            *error = problem;
            return false;
        }
    } catch (const std::exception &problem) {
        *error = QString::fromStdString(problem.what());
        return false;
    }
    m_stageIndex = index;
    std::vector<SpaceRow> rows;
    for (const sweep::NamedParameter &parameter : m_derived.space.parameters())
        rows.push_back(rowFromParameter(parameter));
    m_editor->model()->setRows(rows);
    for (const std::string &line : m_derived.lines)
        m_provenance->addItem(QString::fromStdString(line));
    const bool search = stage.kind == sweep::StagePlan::Kind::Search;
    if (m_started)
        m_note->setText(
            tr("Stage '%1' has started; these are the ranges it runs with.").arg(stageName));
    else if (!search)
        m_note->setText(
            tr("Stage '%1' runs the promoted configurations listed below.").arg(stageName));
    else if (stage.narrowFrom)
        m_note->setText(tr("Stage '%1' narrowed from stage '%2': edit the ranges, then apply "
                           "them to the plan.")
                            .arg(stageName, QString::fromStdString(stage.narrowFrom->stage)));
    else
        m_note->setText(tr("Stage '%1' runs its own parameters.").arg(stageName));
    setEditable(search && !m_started);
    return true;
}

} // namespace seplab::ui
