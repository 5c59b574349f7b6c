#include "audio_info_panel.h"

#include "audio/io/audio_error.h"
#include "audio/io/audio_file.h"

#include <QFileInfo>
#include <QFormLayout>
#include <QLabel>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace seplab::ui {

namespace {

const char *const kFieldNames[]
    = {"File", "Sample rate", "Channels", "Duration", "Format", "Peak", "RMS"};
constexpr int kFieldCount = int(std::size(kFieldNames));

QString decibels(double linear)
{
    if (linear <= 0.0)
        return QStringLiteral("-inf dBFS");
    return QStringLiteral("%1 dBFS").arg(20.0 * std::log10(linear), 0, 'f', 2);
}

} // namespace

AudioInfoPanel::AudioInfoPanel(QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    m_error = new QLabel(this);
    m_error->setObjectName("audioInfoError");
    m_error->setWordWrap(true);
    m_error->setStyleSheet("color: #b00020;");
    m_error->hide();
    layout->addWidget(m_error);

    m_form = new QFormLayout;
    for (int row = 0; row < kFieldCount; ++row) {
        auto *value = new QLabel(QStringLiteral("–"), this);
        value->setTextInteractionFlags(Qt::TextSelectableByMouse);
        m_form->addRow(tr(kFieldNames[row]) + ':', value);
        m_values.append(value);
    }
    layout->addLayout(m_form);
    layout->addStretch();
}

void AudioInfoPanel::setField(int row, const QString &value)
{
    m_values[row]->setText(value);
}

bool AudioInfoPanel::showFile(const QString &path)
{
    try {
        const std::string file = path.toStdString();
        const audio::AudioInfo info = audio::probeAudio(file);
        // Levels are measured on the mono downmix, which is what training and separation see.
        const audio::Audio mono = audio::readAudio(file);
        double peak = 0.0;
        double energy = 0.0;
        for (float sample : mono.samples) {
            peak = std::max(peak, double(std::abs(sample)));
            energy += double(sample) * sample;
        }
        const double rms = std::sqrt(energy / double(std::max<size_t>(mono.samples.size(), 1)));

        setField(0, QFileInfo(path).fileName());
        setField(1, QStringLiteral("%1 Hz").arg(info.sampleRate));
        setField(2, info.channels == 1 ? tr("1 channel") : tr("%1 channels").arg(info.channels));
        setField(3,
                 QStringLiteral("%1 s (%2 frames)").arg(info.seconds(), 0, 'f', 3).arg(info.frames));
        setField(4, QString::fromStdString(info.format));
        setField(5, decibels(peak));
        setField(6, decibels(rms));
        m_values[0]->setToolTip(path);
        m_error->hide();
        m_currentFile = path;
        Q_EMIT fileShown(path);
        return true;
    } catch (const audio::AudioError &error) {
        m_error->setText(QString::fromStdString(error.what()));
        m_error->show();
        return false;
    }
}

QString AudioInfoPanel::summaryText() const
{
    QStringList lines;
    if (m_error->isVisibleTo(this))
        lines << m_error->text();
    for (int row = 0; row < kFieldCount; ++row)
        lines << QStringLiteral("%1: %2").arg(kFieldNames[row], m_values[row]->text());
    return lines.join('\n');
}

} // namespace seplab::ui
