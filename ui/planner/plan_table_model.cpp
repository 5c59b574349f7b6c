#include "plan_table_model.h"

#include "core/sweep/early_termination.h"
#include "core/sweep/plan_writer.h"
#include "core/sweep/samplers.h"

#include <QRegularExpression>
#include <QStringList>

namespace seplab::ui {

namespace {

using sweep::StagePlan;

QString number(double value)
{
    return QString::number(value, 'g', 6);
}

// Core's sentences start with where the text was ("F line 12: "); the text here is the plan as
// it would be saved, which the user never sees, so the place is dropped and the stage named.
QString withoutPlace(const std::string &message)
{
    static const QRegularExpression place(QStringLiteral("^.*? line \\d+(, column \\d+)?: "));
    return QString::fromStdString(message).remove(place);
}

const char *fieldName(int column)
{
    switch (column) {
    case PlanTableModel::Method:
        return "method";
    case PlanTableModel::TrainSamples:
        return "train_samples";
    case PlanTableModel::Epochs:
        return "epochs";
    case PlanTableModel::Trials:
        return "trials";
    case PlanTableModel::Parallel:
        return "parallel";
    case PlanTableModel::TopFraction:
        return "narrow_from.top_fraction";
    case PlanTableModel::Margin:
        return "narrow_from.margin";
    case PlanTableModel::TopK:
        return "top_k";
    case PlanTableModel::Review:
        return "review";
    }
    return "";
}

} // namespace

PlanTableModel::PlanTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void PlanTableModel::setPlan(const sweep::Plan &plan)
{
    beginResetModel();
    m_plan = plan;
    m_modified = false;
    m_lastError.clear();
    endResetModel();
}

void PlanTableModel::markSaved()
{
    m_modified = false;
}

int PlanTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_plan.stages.size());
}

int PlanTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

bool PlanTableModel::editable(const StagePlan &stage, int column) const
{
    switch (column) {
    case Method:
        return stage.kind == StagePlan::Kind::Search;
    case TrainSamples:
    case Epochs:
    case Parallel:
        return true;
    case Trials:
        return stage.kind == StagePlan::Kind::Search;
    case TopFraction:
    case Margin:
        return bool(stage.narrowFrom);
    case TopK:
        return bool(stage.promote);
    }
    return false;
}

QString PlanTableModel::displayText(const StagePlan &stage, int column) const
{
    switch (column) {
    case Stage:
        return QString::fromStdString(stage.name);
    case Kind:
        return QString::fromStdString(stage.kindName());
    case Method:
        return stage.kind == StagePlan::Kind::Validate ? QString()
                                                       : QString::fromStdString(stage.sweep.method);
    case TrainSamples:
        return stage.trainSamples ? QString::number(*stage.trainSamples) : QString();
    case Epochs:
        return stage.epochs ? QString::number(*stage.epochs) : QString();
    case Trials:
        if (stage.kind == StagePlan::Kind::Validate)
            return tr("%1 × %2 seeds").arg(stage.promote->topK).arg(stage.seeds.size());
        if (stage.kind == StagePlan::Kind::ForEach)
            return tr("%1 × grid of %2")
                .arg(stage.promote->topK)
                .arg(qulonglong(sweep::gridSize(stage.sweep.parameters)));
        return stage.trials ? QString::number(*stage.trials) : tr("grid");
    case Parallel:
        return stage.parallel > 0 ? QString::number(stage.parallel) : tr("all slots");
    case EarlyTermination:
        if (!stage.sweep.earlyTerminate)
            return {};
        try {
            return QString::fromStdString(
                sweep::makeEarlyStopper(*stage.sweep.earlyTerminate, m_plan.metric.maximize())
                    ->describe());
        } catch (const std::exception &error) {
            return QString::fromStdString(error.what());
        }
    case NarrowFrom:
        return stage.narrowFrom ? QString::fromStdString(stage.narrowFrom->stage) : QString();
    case TopFraction:
        return stage.narrowFrom ? number(stage.narrowFrom->topFraction) : QString();
    case Margin:
        return stage.narrowFrom ? number(stage.narrowFrom->margin) : QString();
    case PromoteFrom:
        return stage.promote ? QString::fromStdString(stage.promote->from) : QString();
    case TopK:
        return stage.promote ? QString::number(stage.promote->topK) : QString();
    case Seeds: {
        QStringList seeds;
        for (const std::int64_t seed : stage.seeds)
            seeds << QString::number(seed);
        return seeds.join(", ");
    }
    }
    return {};
}

QVariant PlanTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const StagePlan &stage = m_plan.stages[std::size_t(index.row())];
    if (index.column() == Review) {
        if (role == Qt::CheckStateRole)
            return stage.review ? Qt::Checked : Qt::Unchecked;
        if (role == Qt::ToolTipRole)
            return tr("Stop the sweep before this stage, to review its derived ranges.");
        return {};
    }
    if (role == Qt::DisplayRole || role == Qt::EditRole)
        return displayText(stage, index.column());
    if (role == Qt::ToolTipRole && editable(stage, index.column()))
        return tr("%1 (editable)").arg(QString::fromLatin1(fieldName(index.column())));
    return {};
}

bool PlanTableModel::applyText(StagePlan &stage,
                               int column,
                               const QString &text,
                               QString *error) const
{
    const QString where = tr("stage '%1': %2")
                              .arg(QString::fromStdString(stage.name),
                                   QString::fromLatin1(fieldName(column)));
    auto whole = [&](qlonglong minimum, std::optional<qlonglong> *out) {
        if (text.isEmpty() && column != TopK && column != Parallel) {
            out->reset();
            return true;
        }
        bool ok = false;
        const qlonglong value = text.toLongLong(&ok);
        if (!ok || value < minimum) {
            *error = tr("%1 must be a whole number of %2 or more, not '%3'.")
                         .arg(where)
                         .arg(minimum)
                         .arg(text);
            return false;
        }
        *out = value;
        return true;
    };
    auto real = [&](double *out, bool (*valid)(double), const char *range) {
        bool ok = false;
        const double value = text.toDouble(&ok);
        if (!ok || !valid(value)) {
            *error = tr("%1 must be a number %2, not '%3'.")
                         .arg(where, QString::fromLatin1(range), text);
            return false;
        }
        *out = value;
        return true;
    };
    std::optional<qlonglong> count;
    switch (column) {
    case Method: {
        const QStringList methods = {"grid", "random", "bayes", "tpe"};
        if (!methods.contains(text)) {
            *error = tr("%1 must be grid, random, bayes or tpe, not '%2'.").arg(where, text);
            return false;
        }
        stage.sweep.method = text.toStdString();
        return true;
    }
    case TrainSamples:
        if (!whole(1, &count))
            return false;
        stage.trainSamples = count ? std::optional<std::int64_t>(*count) : std::nullopt;
        return true;
    case Epochs:
        if (!whole(1, &count))
            return false;
        stage.epochs = count ? std::optional<int>(int(*count)) : std::nullopt;
        return true;
    case Trials:
        if (!whole(1, &count))
            return false;
        stage.trials = count ? std::optional<std::int64_t>(*count) : std::nullopt;
        return true;
    case Parallel:
        if (text == tr("all slots") || text.isEmpty()) {
            stage.parallel = 0;
            return true;
        }
        if (!whole(0, &count))
            return false;
        stage.parallel = int(*count);
        return true;
    case TopFraction:
        return real(
            &stage.narrowFrom->topFraction,
            [](double v) { return v > 0.0 && v <= 1.0; },
            "in (0, 1]");
    case Margin:
        return real(
            &stage.narrowFrom->margin, [](double v) { return v >= 0.0; }, "of zero or more");
    case TopK:
        if (!whole(1, &count))
            return false;
        stage.promote->topK = int(*count);
        return true;
    }
    *error = tr("%1 cannot be edited here.").arg(where);
    return false;
}

bool PlanTableModel::accept(const sweep::Plan &candidate, const QString &stageName, QString *error)
{
    try {
        sweep::parsePlan(sweep::planYaml(candidate), candidate.source);
    } catch (const std::exception &problem) {
        *error = tr("stage '%1': %2").arg(stageName, withoutPlace(problem.what()));
        return false;
    }
    m_plan = candidate;
    m_modified = true;
    m_lastError.clear();
    Q_EMIT planEdited();
    return true;
}

bool PlanTableModel::reject(const QString &problem)
{
    m_lastError = problem;
    Q_EMIT editRejected(problem);
    return false;
}

bool PlanTableModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!index.isValid() || index.row() >= rowCount())
        return false;
    const std::size_t row = std::size_t(index.row());
    sweep::Plan candidate = m_plan;
    StagePlan &stage = candidate.stages[row];
    const QString stageName = QString::fromStdString(stage.name);
    QString error;
    if (index.column() == Review) {
        if (role != Qt::CheckStateRole)
            return false;
        stage.review = value.toInt() == int(Qt::Checked);
    } else {
        if (role != Qt::EditRole || !editable(stage, index.column()))
            return false;
        if (!applyText(stage, index.column(), value.toString().trimmed(), &error))
            return reject(error);
    }
    if (!accept(candidate, stageName, &error))
        return reject(error);
    Q_EMIT dataChanged(this->index(index.row(), 0), this->index(index.row(), ColumnCount - 1));
    return true;
}

bool PlanTableModel::setStageParameters(int stageIndex,
                                        const sweep::SearchSpace &space,
                                        QString *error)
{
    if (stageIndex < 0 || stageIndex >= rowCount()) {
        *error = tr("the plan has no stage %1.").arg(stageIndex + 1);
        return false;
    }
    sweep::Plan candidate = m_plan;
    StagePlan &stage = candidate.stages[std::size_t(stageIndex)];
    if (stage.kind != StagePlan::Kind::Search) {
        *error = tr("stage '%1' is a %2 stage and has no search space to edit.")
                     .arg(QString::fromStdString(stage.name),
                          QString::fromStdString(stage.kindName()));
        return reject(*error);
    }
    stage.sweep.parameters = space;
    stage.parametersGiven = true;
    if (!accept(candidate, QString::fromStdString(stage.name), error))
        return reject(*error);
    Q_EMIT dataChanged(index(stageIndex, 0), index(stageIndex, ColumnCount - 1));
    return true;
}

Qt::ItemFlags PlanTableModel::flags(const QModelIndex &index) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return Qt::NoItemFlags;
    Qt::ItemFlags flags = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    const StagePlan &stage = m_plan.stages[std::size_t(index.row())];
    if (index.column() == Review)
        flags |= Qt::ItemIsUserCheckable;
    else if (editable(stage, index.column()))
        flags |= Qt::ItemIsEditable;
    return flags;
}

QVariant PlanTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Stage:
        return tr("Stage");
    case Kind:
        return tr("Kind");
    case Method:
        return tr("Method");
    case TrainSamples:
        return tr("Train samples");
    case Epochs:
        return tr("Epochs");
    case Trials:
        return tr("Trials");
    case Parallel:
        return tr("Parallel");
    case EarlyTermination:
        return tr("Early termination");
    case NarrowFrom:
        return tr("Narrow from");
    case TopFraction:
        return tr("Top fraction");
    case Margin:
        return tr("Margin");
    case PromoteFrom:
        return tr("Promote from");
    case TopK:
        return tr("Top k");
    case Seeds:
        return tr("Seeds");
    case Review:
        return tr("Review");
    }
    return {};
}

} // namespace seplab::ui
