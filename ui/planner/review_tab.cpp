#include "ui/planner/review_tab.h"

#include "ui/planner/stage_review.h"

#include <QHBoxLayout>
#include <QPushButton>
#include <QVBoxLayout>

namespace seplab::ui {

ReviewTab::ReviewTab(QWidget *parent)
    : QWidget(parent)
{
    m_review = new StageReview;
    auto *deriveButton = new QPushButton(tr("Review selected stage"));
    deriveButton->setObjectName("reviewStage");
    connect(deriveButton, &QPushButton::clicked, this, &ReviewTab::reviewRequested);
    auto *continueButton = new QPushButton(tr("Continue sweep with this plan"));
    continueButton->setObjectName("continueSweep");
    continueButton->setToolTip(tr("`seplab-cli sweep resume --plan-file`: the stages that have "
                                  "not started run as edited here."));
    connect(continueButton, &QPushButton::clicked, this, &ReviewTab::continueRequested);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(deriveButton);
    buttons->addStretch();
    buttons->addWidget(continueButton);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(buttons);
    layout->addWidget(m_review, 1);
}

} // namespace seplab::ui
