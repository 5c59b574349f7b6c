#include "slurm_section.h"

#include <QHeaderView>
#include <QLabel>
#include <QProcess>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>

#include <set>
#include <stdexcept>

namespace seplab::ui {

namespace {

constexpr int kPollMs = 5000;

QTableWidget *makeTable(const QString &name, const QStringList &headers, int stretchColumn)
{
    auto *table = new QTableWidget(0, int(headers.size()));
    table->setObjectName(name);
    table->setHorizontalHeaderLabels(headers);
    table->verticalHeader()->hide();
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->horizontalHeader()->setSectionResizeMode(stretchColumn, QHeaderView::Stretch);
    return table;
}

void setRow(QTableWidget *table, int row, const QStringList &cells)
{
    for (int c = 0; c < cells.size(); ++c) {
        QTableWidgetItem *item = table->item(row, c);
        if (!item) {
            item = new QTableWidgetItem;
            table->setItem(row, c, item);
        }
        item->setText(cells[c]);
    }
}

QString gibText(std::int64_t mib)
{
    return QString::number(double(mib) / 1024.0, 'f', 1);
}

QStringList toQStrings(const std::vector<std::string> &values)
{
    QStringList out;
    for (const std::string &value : values)
        out << QString::fromStdString(value);
    return out;
}

// The first line a failing command printed on stderr, or its exit status.
QString failureText(QProcess *process, int exitCode)
{
    const QString error = QString::fromUtf8(process->readAllStandardError()).trimmed();
    return error.isEmpty() ? QObject::tr("exit status %1").arg(exitCode)
                           : error.section('\n', 0, 0);
}

} // namespace

SlurmSection::SlurmSection(QWidget *parent)
    : QWidget(parent)
{
    setObjectName("SlurmSection");
    m_headline = new QLabel;
    m_headline->setObjectName("slurmHeadline");
    m_headline->setWordWrap(true);
    m_nodeTable
        = makeTable("slurmNodes",
                    {tr("Node"), tr("Partition"), tr("State"), tr("CPUs"), tr("Memory"), tr("GRES")},
                    5);
    m_jobTable = makeTable("slurmJobs",
                           {tr("Trial"), tr("Job"), tr("State"), tr("Reason"), tr("Node")},
                           3);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_headline);
    layout->addWidget(m_nodeTable, 1);
    layout->addWidget(m_jobTable, 1);

    m_timer = new QTimer(this);
    m_timer->setInterval(kPollMs);
    connect(m_timer, &QTimer::timeout, this, &SlurmSection::queryNow);

    m_sinfoQuery = new QProcess(this);
    connect(m_sinfoQuery,
            &QProcess::finished,
            this,
            [this](int exitCode, QProcess::ExitStatus status) {
                const QString output = QString::fromUtf8(m_sinfoQuery->readAllStandardOutput());
                if (status == QProcess::NormalExit && exitCode == 0) {
                    showSinfoOutput(output);
                } else {
                    m_sinfoProblem = tr("sinfo failed: %1").arg(failureText(m_sinfoQuery, exitCode));
                    updateHeadline();
                }
            });
    m_squeueQuery = new QProcess(this);
    connect(m_squeueQuery,
            &QProcess::finished,
            this,
            [this](int exitCode, QProcess::ExitStatus status) {
                const QString output = QString::fromUtf8(m_squeueQuery->readAllStandardOutput());
                if (status == QProcess::NormalExit && exitCode == 0) {
                    showSqueueOutput(output);
                } else {
                    m_squeueProblem = tr("squeue failed: %1")
                                          .arg(failureText(m_squeueQuery, exitCode));
                    updateHeadline();
                }
            });
    for (QProcess *query : {m_sinfoQuery, m_squeueQuery})
        connect(query, &QProcess::errorOccurred, this, [this, query](QProcess::ProcessError error) {
            if (error != QProcess::FailedToStart)
                return;
            QString &problem = query == m_sinfoQuery ? m_sinfoProblem : m_squeueProblem;
            problem = tr("could not start %1: %2").arg(query->program(), query->errorString());
            updateHeadline();
        });

    m_binDir = qEnvironmentVariable("SEPLAB_SLURM_BIN");
    findPrograms();
}

SlurmSection::~SlurmSection()
{
    // A query still running must not report into half-destroyed widgets.
    for (QProcess *query : {m_sinfoQuery, m_squeueQuery}) {
        query->disconnect(this);
        if (query->state() != QProcess::NotRunning) {
            query->kill();
            query->waitForFinished(1000);
        }
    }
}

void SlurmSection::setBinDir(const QString &dir)
{
    m_binDir = dir;
    findPrograms();
}

void SlurmSection::findPrograms()
{
    const bool wasAvailable = available();
    const QStringList paths = m_binDir.isEmpty() ? QStringList() : QStringList{m_binDir};
    m_sinfo = QStandardPaths::findExecutable(QStringLiteral("sinfo"), paths);
    m_squeue = QStandardPaths::findExecutable(QStringLiteral("squeue"), paths);
    m_nodesKnown = false;
    m_statusesKnown = false;
    m_sinfoProblem.clear();
    m_squeueProblem.clear();
    m_nodeTable->setRowCount(0);
    m_nodeTable->setVisible(available());
    rebuildJobRows();
    updateHeadline();
    if (available() != wasAvailable)
        Q_EMIT availabilityChanged(available());
}

void SlurmSection::setJobs(const QList<SlurmTrialJob> &jobs)
{
    if (jobs == m_jobs)
        return;
    m_jobs = jobs;
    rebuildJobRows();
    updateHeadline();
    // New jobs get their state without waiting for the next tick.
    if (m_timer->isActive())
        queryNow();
}

QStringList SlurmSection::partitions() const
{
    std::set<QString> names;
    for (const SlurmTrialJob &job : m_jobs) {
        if (job.partition.isEmpty())
            return {}; // a job in the default partition: show every node
        names.insert(job.partition);
    }
    return QStringList(names.begin(), names.end());
}

void SlurmSection::queryNow()
{
    if (!available())
        return;
    if (m_sinfoQuery->state() == QProcess::NotRunning) {
        QStringList arguments = toQStrings(exec::sinfoNodeArguments());
        const QStringList restrictTo = partitions();
        if (!restrictTo.isEmpty())
            arguments << "--partition=" + restrictTo.join(',');
        m_sinfoQuery->start(m_sinfo, arguments);
    }
    if (!m_jobs.isEmpty() && !m_squeue.isEmpty() && m_squeueQuery->state() == QProcess::NotRunning) {
        QStringList ids;
        for (const SlurmTrialJob &job : m_jobs)
            ids << job.jobId;
        QStringList arguments = {"--states=all", "--jobs=" + ids.join(',')};
        arguments << toQStrings(exec::squeueFormatArguments());
        m_squeueQuery->start(m_squeue, arguments);
    }
}

void SlurmSection::showSinfoOutput(const QString &text)
{
    std::vector<exec::SlurmNode> nodes;
    try {
        nodes = exec::parseSinfoNodes(text.toStdString());
    } catch (const std::invalid_argument &error) {
        m_sinfoProblem = QString::fromStdString(error.what());
        updateHeadline();
        return;
    }
    m_sinfoProblem.clear();
    m_nodesKnown = true;
    m_nodeCount = int(nodes.size());
    m_nodeTable->setRowCount(m_nodeCount);
    for (int r = 0; r < m_nodeCount; ++r) {
        const exec::SlurmNode &node = nodes[std::size_t(r)];
        const QString total = gibText(node.memoryMiB);
        setRow(m_nodeTable,
               r,
               {QString::fromStdString(node.name),
                QString::fromStdString(node.partition) + (node.defaultPartition ? "*" : ""),
                QString::fromStdString(node.state),
                QString::number(node.cpus),
                node.freeMemoryMiB < 0
                    ? tr("%1 GiB").arg(total)
                    : tr("%1 GiB (%2 free)").arg(total, gibText(node.freeMemoryMiB)),
                node.gres.empty() ? tr("none") : QString::fromStdString(node.gres)});
    }
    updateHeadline();
}

void SlurmSection::showSqueueOutput(const QString &text)
{
    try {
        m_statuses = exec::parseSqueue(text.toStdString());
    } catch (const std::invalid_argument &error) {
        m_squeueProblem = QString::fromStdString(error.what());
        updateHeadline();
        return;
    }
    m_squeueProblem.clear();
    m_statusesKnown = true;
    rebuildJobRows();
    updateHeadline();
}

void SlurmSection::rebuildJobRows()
{
    m_jobTable->setVisible(available() && !m_jobs.isEmpty());
    m_jobTable->setRowCount(int(m_jobs.size()));
    for (int r = 0; r < m_jobs.size(); ++r) {
        const SlurmTrialJob &job = m_jobs[r];
        const auto status = m_statuses.find(job.jobId.toStdString());
        if (status == m_statuses.end()) {
            // Before the first answer nothing is known; after it, the job left squeue's memory.
            setRow(m_jobTable,
                   r,
                   {job.trial, job.jobId, m_statusesKnown ? tr("not listed") : tr("?"), {}, {}});
            continue;
        }
        setRow(m_jobTable,
               r,
               {job.trial,
                job.jobId,
                QString::fromStdString(status->second.state),
                QString::fromStdString(status->second.reason),
                QString::fromStdString(status->second.nodes)});
    }
}

void SlurmSection::updateHeadline()
{
    if (!available()) {
        m_headline->setText(tr("Slurm: not available on this machine (sinfo not found)"));
        return;
    }
    // Problems are sentences of their own; inside the headline they lose their full stop.
    const auto clause = [](QString text) {
        if (text.endsWith('.'))
            text.chop(1);
        return text;
    };
    QString nodes;
    if (!m_sinfoProblem.isEmpty())
        nodes = clause(m_sinfoProblem);
    else if (!m_nodesKnown)
        nodes = tr("asking sinfo");
    else if (partitions().isEmpty())
        nodes = tr("%n node(s)", nullptr, m_nodeCount);
    else
        nodes = tr("%n node(s) in %1", nullptr, m_nodeCount).arg(partitions().join(", "));
    QString jobs = tr("%n job(s) of the followed sweep queued or running",
                      nullptr,
                      int(m_jobs.size()));
    if (!m_squeueProblem.isEmpty())
        jobs += " (" + clause(m_squeueProblem) + ")";
    m_headline->setText(tr("Slurm: %1; %2.").arg(nodes, jobs));
}

QString SlurmSection::headline() const
{
    return m_headline->text();
}

void SlurmSection::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    queryNow();
    m_timer->start();
}

void SlurmSection::hideEvent(QHideEvent *event)
{
    m_timer->stop();
    QWidget::hideEvent(event);
}

} // namespace seplab::ui
