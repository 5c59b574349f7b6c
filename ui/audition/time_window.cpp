#include "ui/audition/time_window.h"

#include <algorithm>
#include <cmath>

namespace seplab::ui {

namespace {

// A window of `span` frames starting as near `start` as the track allows.
TimeWindow placed(std::int64_t start, std::int64_t span, std::int64_t total)
{
    span = std::clamp<std::int64_t>(span, 0, total);
    start = std::clamp<std::int64_t>(start, 0, total - span);
    return {start, start + span};
}

} // namespace

TimeWindow wholeWindow(std::int64_t total)
{
    return {0, std::max<std::int64_t>(0, total)};
}

TimeWindow zoomWindow(TimeWindow window, std::int64_t anchor, double factor, std::int64_t total)
{
    if (total <= 0 || window.span() <= 0 || !(factor > 0.0))
        return wholeWindow(total);
    const std::int64_t minimum = std::min(kMinimumWindowFrames, total);
    const auto span = std::clamp<std::int64_t>(std::llround(double(window.span()) * factor),
                                               minimum,
                                               total);
    anchor = std::clamp(anchor, window.start, window.end);
    // The anchor keeps its fraction of the way across the window.
    const double across = double(anchor - window.start) / double(window.span());
    return placed(anchor - std::llround(across * double(span)), span, total);
}

TimeWindow scrollWindow(TimeWindow window, std::int64_t delta, std::int64_t total)
{
    return placed(window.start + delta, window.span(), total);
}

TimeWindow followFrame(TimeWindow window, std::int64_t frame, std::int64_t total)
{
    if (window.contains(frame) || (frame == total && window.end == total))
        return window;
    return placed(frame, window.span(), total);
}

} // namespace seplab::ui
