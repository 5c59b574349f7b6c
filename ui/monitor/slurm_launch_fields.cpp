#include "slurm_launch_fields.h"

#include "core/exec/slurm_options.h"
#include "sweep_launch.h"

#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>

namespace seplab::ui {

namespace {

constexpr int kDefaultMaxJobs = 8; // SlurmOptions' default

} // namespace

SlurmLaunchFields::SlurmLaunchFields(QWidget *parent)
    : QWidget(parent)
{
    setObjectName("slurmFields");
    m_partition = field("partition", tr("the cluster's default"));
    m_gres = field("gres", tr("gpu:1"));
    m_time = field("time", tr("04:00:00"));
    m_mem = field("mem", tr("16G"));
    m_cpusPerTask = new QSpinBox;
    m_cpusPerTask->setObjectName("cpusPerTask");
    m_cpusPerTask->setRange(0, 1024);
    m_cpusPerTask->setSpecialValueText(tr("Slurm's default"));
    m_cpusPerTask->setToolTip(tr("CPUs per trial; also its LibTorch threads."));
    m_account = field("account", QString());
    m_qos = field("qos", QString());
    m_maxJobs = new QSpinBox;
    m_maxJobs->setObjectName("maxJobsInQueue");
    m_maxJobs->setRange(1, 10000);
    m_maxJobs->setValue(kDefaultMaxJobs);
    m_maxJobs->setToolTip(tr("Trials queued or running on the cluster at once."));
    for (QSpinBox *box : {m_cpusPerTask, m_maxJobs})
        connect(box, &QSpinBox::valueChanged, this, &SlurmLaunchFields::changed);

    // Two columns of label and field: eight fields in four rows keep the dialog short.
    auto *grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    const QList<std::pair<QString, QWidget *>> cells = {{tr("Partition"), m_partition},
                                                        {tr("GRES"), m_gres},
                                                        {tr("Time limit"), m_time},
                                                        {tr("Memory"), m_mem},
                                                        {tr("CPUs per task"), m_cpusPerTask},
                                                        {tr("Account"), m_account},
                                                        {tr("QoS"), m_qos},
                                                        {tr("Max jobs in queue"), m_maxJobs}};
    for (int i = 0; i < cells.size(); ++i) {
        auto *label = new QLabel(cells[i].first);
        label->setBuddy(cells[i].second);
        grid->addWidget(label, i / 2, (i % 2) * 2);
        grid->addWidget(cells[i].second, i / 2, (i % 2) * 2 + 1);
    }
    grid->setColumnStretch(1, 1);
    grid->setColumnStretch(3, 1);
}

QLineEdit *SlurmLaunchFields::field(const QString &name, const QString &placeholder)
{
    auto *edit = new QLineEdit;
    edit->setObjectName(name);
    edit->setPlaceholderText(placeholder);
    connect(edit, &QLineEdit::textChanged, this, &SlurmLaunchFields::changed);
    return edit;
}

void SlurmLaunchFields::readInto(LaunchOptions &options) const
{
    options.partition = m_partition->text().trimmed();
    options.gres = m_gres->text().trimmed();
    options.time = m_time->text().trimmed();
    options.mem = m_mem->text().trimmed();
    options.cpusPerTask = m_cpusPerTask->value();
    options.account = m_account->text().trimmed();
    options.qos = m_qos->text().trimmed();
    options.maxJobsInQueue = m_maxJobs->value();
}

void SlurmLaunchFields::setFrom(const LaunchOptions &options)
{
    m_partition->setText(options.partition);
    m_gres->setText(options.gres);
    m_time->setText(options.time);
    m_mem->setText(options.mem);
    m_cpusPerTask->setValue(options.cpusPerTask);
    m_account->setText(options.account);
    m_qos->setText(options.qos);
    m_maxJobs->setValue(options.maxJobsInQueue > 0 ? options.maxJobsInQueue : kDefaultMaxJobs);
}

void SlurmLaunchFields::prefill(const exec::SlurmOptions &slurm)
{
    LaunchOptions options;
    options.partition = QString::fromStdString(slurm.partition);
    options.gres = QString::fromStdString(slurm.gres);
    options.time = QString::fromStdString(slurm.time);
    options.mem = QString::fromStdString(slurm.mem);
    options.cpusPerTask = slurm.cpusPerTask;
    options.account = QString::fromStdString(slurm.account);
    options.qos = QString::fromStdString(slurm.qos);
    options.maxJobsInQueue = slurm.maxJobsInQueue;
    setFrom(options);
}

} // namespace seplab::ui
