#pragma once

// The Distribution column's editor: a combo box of every W&B distribution name, so a typo in a
// distribution is impossible to make.

#include <QStyledItemDelegate>

namespace seplab::ui {

class DistributionDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    using QStyledItemDelegate::QStyledItemDelegate;

    QWidget *createEditor(QWidget *parent,
                          const QStyleOptionViewItem &option,
                          const QModelIndex &index) const override;
    void setEditorData(QWidget *editor, const QModelIndex &index) const override;
    void setModelData(QWidget *editor,
                      QAbstractItemModel *model,
                      const QModelIndex &index) const override;
};

} // namespace seplab::ui
