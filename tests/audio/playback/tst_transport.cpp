#include "audio/playback/null_output.h"
#include "audio/playback/transport.h"

#include <QtTest>

#include <memory>

using namespace seplab::audio;

namespace {

constexpr int kRate = 8000;
constexpr int kRamp = 40; // the engine's gain ramp, in frames (5 ms at 8 kHz)

// Track 0 plays +frame/10000 and track 1 plays -frame/10000, so a sample heard alone at gain 1
// tells exactly which frame of which track it was.
std::vector<PlaybackTrack> rampTracks(std::int64_t frames)
{
    PlaybackTrack up{"A", {}}, down{"B", {}};
    for (std::int64_t k = 0; k < frames; ++k) {
        up.samples.push_back(float(k) / 10000.0f);
        down.samples.push_back(-float(k) / 10000.0f);
    }
    return {up, down};
}

struct Rig
{
    NullOutput *output = nullptr;
    std::unique_ptr<Transport> transport;

    explicit Rig(std::int64_t frames = 1000)
    {
        auto null = std::make_unique<NullOutput>(false);
        output = null.get();
        transport = std::make_unique<Transport>(std::move(null));
        transport->setTracks(rampTracks(frames), kRate);
    }
    std::vector<float> pull(std::int64_t frames) { return output->pull(frames); }
};

// A device that only runs at 16 kHz, to see the transport convert positions and rates.
class FixedRateOutput : public NullOutput
{
public:
    int start(RenderFunction render, void *context, int) override
    {
        NullOutput::start(render, context, 16000);
        return 16000;
    }
};

// The same device, whose sound comes out of the speakers 50 ms after it is rendered.
class LatentOutput : public FixedRateOutput
{
public:
    double outputLatencySeconds() const override { return 0.05; }
};

} // namespace

class tst_Transport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void playPauseStopMoveThePlayhead();
    void playsToTheEndThenStopsAndRewinds();
    void loopWrapsSampleExactly();
    void seekOutsideLoopJumpsIntoIt();
    void abSwitchKeepsThePlayhead();
    void muteAndSoloDecideWhatIsAudible();
    void convertsPositionsWhenTheDeviceRateDiffers();
    void playheadShowsWhatIsHeard();
    void playheadWithoutLatencyIsThePosition();
    void rejectsBadTracks();
};

void tst_Transport::playPauseStopMoveThePlayhead()
{
    Rig rig;
    Transport &t = *rig.transport;
    QCOMPARE(t.frames(), std::int64_t(1000));
    QCOMPARE(t.trackCount(), 2);
    QCOMPARE(t.trackName(1), std::string("B"));

    // Stopped: the device still asks for samples, and gets silence; the playhead stays.
    std::vector<float> out = rig.pull(64);
    QCOMPARE(t.state(), TransportState::Stopped);
    QCOMPARE(t.position(), std::int64_t(0));
    QCOMPARE(std::count(out.begin(), out.end(), 0.0f), std::ptrdiff_t(64));

    t.play();
    rig.pull(100);
    QCOMPARE(t.state(), TransportState::Playing);
    QCOMPARE(t.position(), std::int64_t(100));

    t.pause();
    out = rig.pull(50);
    QCOMPARE(t.state(), TransportState::Paused);
    QCOMPARE(t.position(), std::int64_t(100));
    QCOMPARE(std::count(out.begin(), out.end(), 0.0f), std::ptrdiff_t(50));

    t.play();
    rig.pull(25);
    QCOMPARE(t.position(), std::int64_t(125));

    t.stop();
    rig.pull(10);
    QCOMPARE(t.state(), TransportState::Stopped);
    QCOMPARE(t.position(), std::int64_t(0));
}

void tst_Transport::playsToTheEndThenStopsAndRewinds()
{
    Rig rig(300);
    Transport &t = *rig.transport;
    t.listenTo(0);
    t.seek(250);
    t.play();
    const std::vector<float> out = rig.pull(100);
    // Frames 250..299 sound (gain ramps from 0.5 to 1 over the first frames), then silence.
    QCOMPARE(out[49], 0.0299f);
    QCOMPARE(std::count(out.begin() + 50, out.end(), 0.0f), std::ptrdiff_t(50));
    QCOMPARE(t.state(), TransportState::Stopped);
    QCOMPARE(t.position(), std::int64_t(0));
    // Play again starts from the top.
    t.play();
    const std::vector<float> again = rig.pull(kRamp + 5);
    QCOMPARE(again[kRamp + 4], float(kRamp + 4) / 10000.0f);
}

void tst_Transport::loopWrapsSampleExactly()
{
    Rig rig;
    Transport &t = *rig.transport;
    t.listenTo(0);
    rig.pull(0); // let the gains settle before playing, so every sample is at gain 1
    rig.pull(kRamp);
    t.setLoop(100, 110);
    QCOMPARE(t.loop()->first, std::int64_t(100));
    QCOMPARE(t.loop()->second, std::int64_t(110));
    t.seek(100);
    t.play();
    const std::vector<float> out = rig.pull(25);
    // 100..109, 100..109, 100..104: the wrap happens inside one device buffer.
    for (int i = 0; i < 25; ++i)
        QCOMPARE(out[std::size_t(i)], float(100 + i % 10) / 10000.0f);
    QCOMPARE(t.position(), std::int64_t(105));

    t.clearLoop();
    rig.pull(10);
    QCOMPARE(t.position(), std::int64_t(115)); // past the old loop end
    // A loop past the end of the tracks is cut to them; an empty one clears the loop.
    t.setLoop(900, 5000);
    QCOMPARE(t.loop()->second, std::int64_t(1000));
    t.setLoop(50, 50);
    QVERIFY(!t.loop().has_value());
}

void tst_Transport::seekOutsideLoopJumpsIntoIt()
{
    Rig rig;
    Transport &t = *rig.transport;
    t.listenTo(1);
    rig.pull(kRamp);
    t.setLoop(200, 300);
    t.seek(700);
    t.play();
    const std::vector<float> out = rig.pull(3);
    QCOMPARE(out[0], -0.0200f);
    QCOMPARE(out[2], -0.0202f);
    // Stop rewinds to the loop start while a loop is set.
    t.stop();
    rig.pull(1);
    QCOMPARE(t.position(), std::int64_t(200));
}

void tst_Transport::abSwitchKeepsThePlayhead()
{
    Rig rig;
    Transport &t = *rig.transport;
    t.setAbPair(0, 1);
    t.switchAb(); // nothing soloed yet: A
    QVERIFY(t.isSoloed(0) && !t.isSoloed(1));
    t.play();
    std::vector<float> out = rig.pull(200);
    QCOMPARE(out[199], 0.0199f);

    t.switchAb(); // to B, at frame 200
    out = rig.pull(100);
    QVERIFY(t.isSoloed(1) && !t.isSoloed(0));
    QCOMPARE(t.position(), std::int64_t(300));
    // The ramp crosses over in kRamp frames at most; from then on only B sounds, with no jump
    // of the playhead: frame 200 + i is -(200 + i)/10000.
    for (int i = kRamp; i < 100; ++i)
        QCOMPARE(out[std::size_t(i)], -float(200 + i) / 10000.0f);
    // Mid-ramp the two overlap: frame 210 is 0.75 A + 0.25 B... with 10 steps of 1/40 done:
    // gain A = 1 - 11/40, gain B = 11/40 (the first step is taken on frame 200 itself).
    QVERIFY(qAbs(out[10] - (1.0f - 11.0f / 40.0f - 11.0f / 40.0f) * 0.0210f) < 1e-6f);

    t.switchAb(); // back to A
    out = rig.pull(kRamp + 1);
    QCOMPARE(out[kRamp], float(300 + kRamp) / 10000.0f);
}

void tst_Transport::muteAndSoloDecideWhatIsAudible()
{
    Rig rig;
    Transport &t = *rig.transport;
    // Both audible at 1/2: the two ramps cancel exactly.
    QCOMPARE(t.gains()[0], 0.5f);
    QCOMPARE(t.gains()[1], 0.5f);
    t.play();
    std::vector<float> out = rig.pull(10);
    QCOMPARE(std::count(out.begin(), out.end(), 0.0f), std::ptrdiff_t(10));

    t.setMuted(1, true);
    QVERIFY(t.isAudible(0) && !t.isAudible(1));
    QCOMPARE(t.gains()[0], 1.0f);
    QCOMPARE(t.gains()[1], 0.0f);
    // A solo wins over mute on its own track, and silences every other track.
    t.setSoloed(1, true);
    QVERIFY(!t.isAudible(0) && t.isAudible(1));
    t.setSoloed(0, true);
    QVERIFY(t.isAudible(0) && t.isAudible(1));
    QCOMPARE(t.gains()[0], 0.5f);
    t.setSoloed(0, false);
    t.setSoloed(1, false);
    QVERIFY(t.isAudible(0) && !t.isAudible(1)); // back to the mute
    rig.pull(kRamp);
    out = rig.pull(5);
    QCOMPARE(out[0], float(10 + kRamp) / 10000.0f);
    QVERIFY_EXCEPTION_THROWN(t.setMuted(2, true), std::out_of_range);
}

void tst_Transport::convertsPositionsWhenTheDeviceRateDiffers()
{
    auto device = std::make_unique<FixedRateOutput>();
    FixedRateOutput *output = device.get();
    Transport t(std::move(device));
    t.setTracks(rampTracks(8000), kRate); // one second at 8 kHz
    QCOMPARE(t.sampleRate(), kRate);
    QCOMPARE(t.frames(), std::int64_t(8000)); // still in the tracks' frames
    t.seek(1000);
    t.play();
    output->pull(3200); // 0.2 s at the device's 16 kHz
    QCOMPARE(t.position(), std::int64_t(1000 + 1600));
    t.setLoop(4000, 4400);
    QCOMPARE(t.loop()->first, std::int64_t(4000));
    output->pull(1);
    QCOMPARE(t.position(), std::int64_t(4000) + 1); // 2 device frames = 1 track frame, rounded
}

void tst_Transport::playheadShowsWhatIsHeard()
{
    auto device = std::make_unique<LatentOutput>();
    LatentOutput *output = device.get();
    Transport t(std::move(device));
    t.setTracks(rampTracks(8000), kRate);
    t.play();
    output->pull(200); // 100 track frames rendered, none heard yet
    QCOMPARE(t.position(), std::int64_t(100));
    QCOMPARE(t.audiblePosition(), std::int64_t(0));

    t.seek(1000);
    output->pull(1600); // 0.1 s at 16 kHz: 800 track frames rendered since the seek
    QCOMPARE(t.position(), std::int64_t(1800));
    QCOMPARE(t.audiblePosition(), std::int64_t(1400)); // 50 ms = 400 track frames behind

    // 700 frames through a 600-frame loop: rendered 4000..4599 then 4000..4099; the frame
    // heard now is the one rendered 400 frames ago, 4300, not 4100 - 400 = 3700.
    t.setLoop(4000, 4600);
    t.seek(4000);
    output->pull(1400);
    QCOMPARE(t.position(), std::int64_t(4100));
    QCOMPARE(t.audiblePosition(), std::int64_t(4300));

    // Paused, nothing more comes out: the playhead shows where playback resumes.
    t.pause();
    output->pull(16);
    QCOMPARE(t.state(), TransportState::Paused);
    QCOMPARE(t.audiblePosition(), std::int64_t(4100));
}

void tst_Transport::playheadWithoutLatencyIsThePosition()
{
    Rig rig;
    Transport &t = *rig.transport;
    QCOMPARE(t.output().outputLatencySeconds(), 0.0);
    t.seek(300);
    t.play();
    rig.pull(120);
    QCOMPARE(t.position(), std::int64_t(420));
    QCOMPARE(t.audiblePosition(), std::int64_t(420));
}

void tst_Transport::rejectsBadTracks()
{
    Transport t(std::make_unique<NullOutput>(false));
    QVERIFY_EXCEPTION_THROWN(t.setTracks(rampTracks(10), 0), std::invalid_argument);
    std::vector<PlaybackTrack> many(kMaxPlaybackTracks + 1, PlaybackTrack{"x", {0.0f}});
    QVERIFY_EXCEPTION_THROWN(t.setTracks(many, kRate), std::invalid_argument);
    QCOMPARE(t.trackCount(), 0);
}

QTEST_GUILESS_MAIN(tst_Transport)
#include "tst_transport.moc"
