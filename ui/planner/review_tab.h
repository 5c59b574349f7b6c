#pragma once

// The planner's review tab: "Review selected stage", the stage's narrowed ranges to edit
// (StageReview), and "Continue sweep with this plan". The panel does what the buttons ask.

#include <QWidget>

namespace seplab::ui {

class StageReview;

class ReviewTab : public QWidget
{
    Q_OBJECT

public:
    explicit ReviewTab(QWidget *parent = nullptr);

    StageReview *review() const { return m_review; }

Q_SIGNALS:
    void reviewRequested();
    void continueRequested();

private:
    StageReview *m_review = nullptr;
};

} // namespace seplab::ui
