#pragma once

// The review of a stage before it starts: the search space core's deriveStage() gives it from
// the earlier stages' finished trials in the workspace store (read only), shown in the
// search-space editor with the sentence that says where each range came from. The user edits
// the ranges; Apply hands them to the planner, which writes them as the stage's own
// `parameters` into the plan. A stage that has started shows the ranges it runs with, read only.

#include "core/sweep/plan.h"
#include "core/sweep/stage_derivation.h"

#include <QWidget>

#include <optional>

class QLabel;
class QListWidget;
class QPushButton;

namespace seplab::ui {

class SearchSpaceEditor;

class StageReview : public QWidget
{
    Q_OBJECT

public:
    explicit StageReview(QWidget *parent = nullptr);

    // Derives stage `index` of `plan` from the store at `storePath`; false and `error` (one
    // sentence naming the store or the stage) when it cannot.
    bool showStage(const sweep::Plan &plan, int index, const QString &storePath, QString *error);
    void clear();

    int stageIndex() const { return m_stageIndex; }
    // Whether the stage has started in the store (its ranges can no longer change).
    bool started() const { return m_started; }
    const sweep::DerivedStage &derived() const { return m_derived; }
    QStringList provenanceLines() const;
    // The ranges as edited; nullopt and `error` when a row has a problem.
    std::optional<sweep::SearchSpace> editedSpace(QString *error) const;
    SearchSpaceEditor *editor() const { return m_editor; }

Q_SIGNALS:
    void applyRequested();

private:
    void setEditable(bool editable);
    // Fills m_derived (and m_started) from the store; an error sentence, empty on success.
    // Core's errors (a stage with no finished trial, an unreadable store) are thrown.
    QString deriveFromStore(const sweep::Plan &plan, int index, const QString &storePath);

    SearchSpaceEditor *m_editor = nullptr;
    QListWidget *m_provenance = nullptr;
    QLabel *m_note = nullptr;
    QPushButton *m_apply = nullptr;
    sweep::DerivedStage m_derived;
    int m_stageIndex = -1;
    bool m_started = false;
};

} // namespace seplab::ui
