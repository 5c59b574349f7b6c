#pragma once

// The stretch of time the Audition tracks show: all of it, or a zoomed part that every track
// shares so that their time axes stay aligned. Plain arithmetic, tested without widgets.

#include <cstdint>

namespace seplab::ui {

struct TimeWindow
{
    std::int64_t start = 0; // first frame shown
    std::int64_t end = 0;   // one past the last
    std::int64_t span() const { return end - start; }
    bool contains(std::int64_t frame) const { return frame >= start && frame < end; }
};

// The fewest frames a window shows, so that zooming in stops at a few samples per pixel.
constexpr std::int64_t kMinimumWindowFrames = 64;

TimeWindow wholeWindow(std::int64_t total);
// Zooms by `factor` (below 1 zooms in) so that `anchor` stays where it is on screen: the frame
// under the mouse stays under the mouse. The span stays within [kMinimumWindowFrames, total]
// and the window within [0, total].
TimeWindow zoomWindow(TimeWindow window, std::int64_t anchor, double factor, std::int64_t total);
// Moves the window by `delta` frames, stopping at either end.
TimeWindow scrollWindow(TimeWindow window, std::int64_t delta, std::int64_t total);
// The window that shows `frame`: unchanged when it does, else the next (or previous) page,
// which starts at `frame`, so that playback carries the view along.
TimeWindow followFrame(TimeWindow window, std::int64_t frame, std::int64_t total);

} // namespace seplab::ui
