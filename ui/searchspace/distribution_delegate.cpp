#include "distribution_delegate.h"

#include "core/sweep/parameter.h"

#include <QComboBox>

namespace seplab::ui {

QWidget *DistributionDelegate::createEditor(QWidget *parent,
                                            const QStyleOptionViewItem &,
                                            const QModelIndex &) const
{
    auto *combo = new QComboBox(parent);
    for (sweep::Distribution distribution : sweep::allDistributions())
        combo->addItem(QString::fromStdString(sweep::distributionName(distribution)));
    // Commit as soon as a distribution is picked: the row re-checks and the cells it uses change.
    connect(combo, &QComboBox::activated, this, [this, combo] {
        Q_EMIT const_cast<DistributionDelegate *>(this)->commitData(combo);
    });
    return combo;
}

void DistributionDelegate::setEditorData(QWidget *editor, const QModelIndex &index) const
{
    auto *combo = static_cast<QComboBox *>(editor);
    combo->setCurrentIndex(std::max(0, combo->findText(index.data(Qt::EditRole).toString())));
}

void DistributionDelegate::setModelData(QWidget *editor,
                                        QAbstractItemModel *model,
                                        const QModelIndex &index) const
{
    model->setData(index, static_cast<QComboBox *>(editor)->currentText(), Qt::EditRole);
}

} // namespace seplab::ui
