#include "launch_dialog.h"

#include "core/sweep/plan.h"
#include "slurm_launch_fields.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QStackedWidget>
#include <QThread>
#include <QVBoxLayout>

#include <exception>

namespace seplab::ui {

LaunchDialog::LaunchDialog(int gpuCount, const QString &store, QWidget *parent)
    : QDialog(parent)
    , m_gpuCount(gpuCount)
{
    setObjectName("LaunchDialog");
    setWindowTitle(tr("Launch a sweep"));
    auto *form = new QFormLayout;
    m_plan = pathField("plan", false, tr("Plans and W&B sweeps (*.yaml *.yml)"));
    m_store = pathField("store", false, tr("Experiment stores (*.db)"));
    m_store->setText(store);
    m_data = pathField("data", true, {});
    m_data->setPlaceholderText(tr("the plan's"));
    m_scale = new QComboBox;
    m_scale->setObjectName("scale");
    m_scale->addItem(tr("as written"), QString());
    m_scale->addItem(tr("tiny (mini-corpus, minutes on a CPU)"), QString("tiny"));
    form->addRow(tr("Plan"), m_plan->parentWidget());
    form->addRow(tr("Store"), m_store->parentWidget());
    form->addRow(tr("Corpus"), m_data->parentWidget());
    form->addRow(tr("Scale"), m_scale);

    m_runLocal = new QRadioButton(tr("This machine"));
    m_runLocal->setObjectName("runLocal");
    m_runLocal->setChecked(true);
    m_runSlurm = new QRadioButton(tr("Slurm cluster"));
    m_runSlurm->setObjectName("runSlurm");
    auto *where = new QHBoxLayout;
    where->addWidget(m_runLocal);
    where->addWidget(m_runSlurm);
    where->addStretch();
    form->addRow(tr("Where trials run"), where);
    m_slurm = new SlurmLaunchFields;
    m_where = new QStackedWidget;
    m_where->addWidget(localPage());
    m_where->addWidget(m_slurm);
    connect(m_runSlurm, &QRadioButton::toggled, this, &LaunchDialog::refresh);
    connect(m_slurm, &SlurmLaunchFields::changed, this, &LaunchDialog::refresh);
    m_problem = new QLabel;
    m_problem->setObjectName("launchProblem");
    m_problem->setStyleSheet("color: #b02020");
    m_problem->setWordWrap(true);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel);
    m_launch = buttons->addButton(tr("Launch"), QDialogButtonBox::AcceptRole);
    m_launch->setObjectName("launch");
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_where);
    layout->addWidget(m_problem);
    layout->addWidget(buttons);
    for (QLineEdit *field : {m_store, m_data})
        connect(field, &QLineEdit::textChanged, this, &LaunchDialog::refresh);
    connect(m_plan, &QLineEdit::textChanged, this, &LaunchDialog::planChanged);
    refresh();
}

QWidget *LaunchDialog::localPage()
{
    auto *page = new QWidget;
    auto *form = new QFormLayout(page);
    form->setContentsMargins(0, 0, 0, 0);
    auto *gpus = new QHBoxLayout;
    for (int gpu = 0; gpu < m_gpuCount; ++gpu) {
        auto *box = new QCheckBox(QString("cuda:%1").arg(gpu));
        box->setObjectName(QString("gpu%1").arg(gpu));
        box->setChecked(true);
        connect(box, &QCheckBox::toggled, this, &LaunchDialog::refresh);
        gpus->addWidget(box);
        m_gpus << box;
    }
    if (m_gpuCount == 0)
        gpus->addWidget(new QLabel(tr("no GPU: trials run on the CPU")));
    gpus->addStretch();
    form->addRow(tr("GPUs"), gpus);
    m_slotsPerGpu = new QSpinBox;
    m_slotsPerGpu->setObjectName("slotsPerGpu");
    m_slotsPerGpu->setRange(1, 16);
    m_slotsPerGpu->setToolTip(tr("Small trials packed on one GPU (CUDA_VISIBLE_DEVICES)."));
    form->addRow(tr("Trials per GPU"), m_slotsPerGpu);
    m_cpuSlots = new QSpinBox;
    m_cpuSlots->setObjectName("cpuSlots");
    m_cpuSlots->setRange(1, std::max(1, QThread::idealThreadCount()));
    form->addRow(tr("Trials at once on the CPU"), m_cpuSlots);
    return page;
}

void LaunchDialog::planChanged()
{
    // Read once per file: typing a path reaches an existing file only at its last character.
    const QString path = m_plan->text().trimmed();
    if (path != m_readPlan && QFileInfo(path).isFile()) {
        m_readPlan = path;
        try {
            const sweep::Plan plan = sweep::loadPlan(path.toStdString());
            const bool slurm = plan.executor.type == "slurm";
            if (slurm)
                m_slurm->prefill(plan.executor.slurm);
            (slurm ? m_runSlurm : m_runLocal)->setChecked(true);
        } catch (const std::exception &) {
            // A plan that does not load keeps the choice; seplab-cli names its problem.
        }
    }
    refresh();
}

QLineEdit *LaunchDialog::pathField(const QString &name, bool folder, const QString &filter)
{
    auto *row = new QWidget(this);
    auto *layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *field = new QLineEdit;
    field->setObjectName(name);
    auto *browse = new QPushButton(tr("…"));
    connect(browse, &QPushButton::clicked, this, [this, field, folder, filter] {
        const QString path = folder ? QFileDialog::getExistingDirectory(this)
                                    : QFileDialog::getOpenFileName(this, {}, {}, filter);
        if (!path.isEmpty())
            field->setText(path);
    });
    layout->addWidget(field, 1);
    layout->addWidget(browse);
    return field;
}

LaunchOptions LaunchDialog::options() const
{
    LaunchOptions options;
    options.plan = m_plan->text().trimmed();
    options.store = m_store->text().trimmed();
    options.data = m_data->text().trimmed();
    options.scale = m_scale->currentData().toString();
    for (int gpu = 0; gpu < m_gpus.size(); ++gpu)
        if (m_gpus[gpu]->isChecked())
            options.gpus << gpu;
    options.slotsPerGpu = m_slotsPerGpu->value();
    options.cpuSlots = m_cpuSlots->value();
    options.executor = m_runSlurm->isChecked() ? QStringLiteral("slurm") : QStringLiteral("local");
    if (m_runSlurm->isChecked())
        m_slurm->readInto(options);
    return options;
}

void LaunchDialog::setOptions(const LaunchOptions &options)
{
    m_plan->setText(options.plan);
    m_store->setText(options.store);
    m_data->setText(options.data);
    m_scale->setCurrentIndex(std::max(0, m_scale->findData(options.scale)));
    for (int gpu = 0; gpu < m_gpus.size(); ++gpu)
        m_gpus[gpu]->setChecked(options.gpus.contains(gpu));
    m_slotsPerGpu->setValue(options.slotsPerGpu);
    m_cpuSlots->setValue(options.cpuSlots);
    if (options.executor == "slurm") {
        m_runSlurm->setChecked(true);
        m_slurm->setFrom(options);
    } else if (options.executor == "local") {
        m_runLocal->setChecked(true);
    }
    refresh();
}

QString LaunchDialog::problem() const
{
    return m_problem->text();
}

void LaunchDialog::refresh()
{
    const LaunchOptions chosen = options();
    m_where->setCurrentIndex(m_runSlurm->isChecked() ? 1 : 0);
    m_slotsPerGpu->setEnabled(!chosen.gpus.isEmpty());
    m_cpuSlots->setEnabled(chosen.gpus.isEmpty());
    const QString problem = launchProblem(chosen);
    m_problem->setText(problem);
    m_launch->setEnabled(problem.isEmpty());
}

} // namespace seplab::ui
