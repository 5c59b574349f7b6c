#include "core/train/progress_bar.h"

#include <cstdio>

namespace seplab::train {

ProgressBar::ProgressBar(std::ostream *stream, bool enabled, std::string label)
    : m_stream(stream)
    , m_enabled(enabled && stream)
    , m_label(std::move(label))
    , m_start(std::chrono::steady_clock::now())
{}

ProgressBar::~ProgressBar()
{
    finish();
}

void ProgressBar::update(std::size_t done, std::size_t total, double loss)
{
    if (!m_enabled)
        return;
    const auto now = std::chrono::steady_clock::now();
    if (m_drawn && done < total && now - m_lastDraw < std::chrono::milliseconds(200))
        return;
    m_lastDraw = now;
    constexpr int width = 30;
    const int filled = total ? int(double(done) / double(total) * width) : width;
    const double elapsed = std::chrono::duration<double>(now - m_start).count();
    const double eta = done ? elapsed / double(done) * double(total - done) : 0.0;
    char text[160];
    std::snprintf(text,
                  sizeof text,
                  "\r%s [%s%s] %zu/%zu  loss %.3f  %.0fs<%.0fs ",
                  m_label.c_str(),
                  std::string(std::size_t(filled), '#').c_str(),
                  std::string(std::size_t(width - filled), '.').c_str(),
                  done,
                  total,
                  loss,
                  elapsed,
                  eta);
    *m_stream << text << std::flush;
    m_drawn = true;
}

void ProgressBar::finish()
{
    if (m_enabled && m_drawn) {
        *m_stream << "\r\033[K" << std::flush;
        m_drawn = false;
    }
}

} // namespace seplab::train
