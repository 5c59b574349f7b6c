#pragma once

// The panels' grab smoke tests: a widget rendered off-screen at a given size must come back at
// that size and show something (text, lines, charts), not one flat colour.

#include <QImage>
#include <QSet>
#include <QWidget>

namespace seplab::testsupport {

// The number of distinct colours in `image`: 1 for a blank panel, dozens once text is drawn
// (anti-aliasing), hundreds for a chart or a spectrogram.
inline int distinctColours(const QImage &image)
{
    QSet<QRgb> colours;
    const QImage rgb = image.convertToFormat(QImage::Format_RGB32);
    for (int y = 0; y < rgb.height(); ++y) {
        const auto *line = reinterpret_cast<const QRgb *>(rgb.constScanLine(y));
        for (int x = 0; x < rgb.width(); ++x)
            colours.insert(line[x]);
    }
    return int(colours.size());
}

inline QImage grabAt(QWidget &widget, QSize size)
{
    widget.resize(size);
    return widget.grab().toImage();
}

} // namespace seplab::testsupport
