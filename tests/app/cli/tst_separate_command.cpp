// `seplab-cli separate`: s1.wav and s2.wav at the model's rate with the input's length, for a
// short clip in one pass, a long one in chunks (the same samples the core function gives), a
// 16 kHz input resampled to the model's 8 kHz, very short and silent inputs, and errors.

#include "audio/io/audio_file.h"
#include "cli/command.h"
#include "core/models/separator.h"
#include "core/separation/long_separation.h"
#include "core/train/checkpoint.h"
#include "core/train/torch_threads.h"
#include "support/cli_runner.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <nlohmann/json.hpp>
#include <torch/torch.h>

using namespace seplab;
using test::CliResult;
using test::runInProcess;

namespace {

std::vector<float> tones(std::int64_t length, int rate)
{
    std::vector<float> samples(static_cast<std::size_t>(length));
    for (std::int64_t t = 0; t < length; ++t) {
        const double s = double(t) / rate;
        samples[std::size_t(t)] = float(0.3 * std::sin(2 * M_PI * 220 * s)
                                        + 0.2 * std::sin(2 * M_PI * 530 * s + 1.0));
    }
    return samples;
}

} // namespace

class tst_SeparateCommand : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void shortClipInOnePass();
    void longClipInChunks();
    void otherRatesAreResampled();
    void tinyAndSilentInputs();
    void errors();

private:
    std::string path(const std::string &name) const
    {
        return m_dir.filePath(QString::fromStdString(name)).toStdString();
    }
    std::string writeInput(const std::string &name, const std::vector<float> &samples, int rate)
    {
        const std::string file = path(name);
        audio::writeWav(file, samples, 1, rate);
        return file;
    }
    CliResult separate(const std::string &input,
                       const std::string &out,
                       std::vector<std::string> extra = {}) const
    {
        std::vector<std::string> args = {"separate",
                                         "--checkpoint",
                                         m_checkpoint,
                                         "--input",
                                         input,
                                         "--out",
                                         out,
                                         "--threads",
                                         "1"};
        args.insert(args.end(), extra.begin(), extra.end());
        return runInProcess(args);
    }
    void checkOutputs(const nlohmann::json &json, const std::string &out, std::int64_t frames)
    {
        QCOMPARE(json.at("outputs"), nlohmann::json::array({out + "/s1.wav", out + "/s2.wav"}));
        for (const char *name : {"/s1.wav", "/s2.wav"}) {
            const audio::AudioInfo info = audio::probeAudio(out + name);
            QCOMPARE(info.sampleRate, 8000);
            QCOMPARE(info.channels, 1);
            QCOMPARE(info.frames, frames);
        }
        QCOMPARE(json.at("sample_rate").get<int>(), 8000);
        QCOMPARE(json.at("samples").get<std::int64_t>(), frames);
        QVERIFY(json.at("rtf").get<double>() > 0.0);
    }

    QTemporaryDir m_dir;
    std::string m_checkpoint;
    models::SeparatorPtr m_model;
};

void tst_SeparateCommand::initTestCase()
{
    QVERIFY(m_dir.isValid());
    train::configureTorchThreads(1);
    torch::manual_seed(3);
    m_model = models::createModel("convtasnet", {{"N", 8}, {"B", 8}, {"H", 8}, {"X", 2}, {"R", 1}});
    train::CheckpointMeta meta;
    meta.modelType = "convtasnet";
    meta.modelParams = m_model->params();
    meta.sampleRate = 8000;
    meta.task = "SB";
    m_checkpoint = path("tiny.pt");
    train::saveCheckpoint(m_checkpoint, *m_model, meta);
}

void tst_SeparateCommand::shortClipInOnePass()
{
    const std::string input = writeInput("short.wav", tones(12000, 8000), 8000); // 1.5 s
    const CliResult result = separate(input, path("short"));
    QVERIFY2(result.status == 0, result.err.c_str());
    QCOMPARE(std::count(result.out.begin(), result.out.end(), '\n'), 1L);
    const nlohmann::json json = nlohmann::json::parse(result.out);
    checkOutputs(json, path("short"), 12000);
    QCOMPARE(json.at("input_seconds").get<double>(), 1.5);
    QCOMPARE(json.at("input_sample_rate").get<int>(), 8000);
    QCOMPARE(json.at("chunks").get<int>(), 1);
    QCOMPARE(json.at("model_type").get<std::string>(), std::string("convtasnet"));
}

void tst_SeparateCommand::longClipInChunks()
{
    const std::vector<float> samples = tones(20 * 8000, 8000);
    const std::string input = writeInput("long.wav", samples, 8000);
    const CliResult result = separate(input,
                                      path("long"),
                                      {"--chunk-seconds", "2", "--overlap-seconds", "0.5"});
    QVERIFY2(result.status == 0, result.err.c_str());
    const nlohmann::json json = nlohmann::json::parse(result.out);
    checkOutputs(json, path("long"), 160000);
    QCOMPARE(json.at("input_seconds").get<double>(), 20.0);
    // Chunks of 16000 samples every 12000: 0, 12000, ..., 144000.
    QCOMPARE(json.at("chunks").get<int>(), 13);

    // The files hold exactly what the core function gives for the same model and options.
    separation::LongSeparationOptions options;
    options.chunkSeconds = 2.0;
    options.overlapSeconds = 0.5;
    const separation::LongSeparation expected = separation::separateLong(*m_model,
                                                                         torch::tensor(samples),
                                                                         8000,
                                                                         options);
    for (int c = 0; c < 2; ++c) {
        const audio::Audio written = audio::readAudio(path("long") + "/s" + std::to_string(c + 1)
                                                      + ".wav");
        QVERIFY(torch::equal(torch::tensor(written.samples), expected.sources[c]));
    }
}

void tst_SeparateCommand::otherRatesAreResampled()
{
    // 1.5 s and one sample at 16 kHz: round(24001 * 8000 / 16000) = round(12000.5) = 12001.
    const std::int64_t length = 24001;
    const std::string input = writeInput("wide.wav", tones(length, 16000), 16000);
    const CliResult result = separate(input, path("wide"));
    QVERIFY2(result.status == 0, result.err.c_str());
    const nlohmann::json json = nlohmann::json::parse(result.out);
    const std::int64_t expected = std::llround(double(length) * 8000 / 16000);
    QCOMPARE(expected, std::int64_t(12001));
    checkOutputs(json, path("wide"), expected);
    QCOMPARE(json.at("input_sample_rate").get<int>(), 16000);
    QCOMPARE(json.at("input_seconds").get<double>(), double(length) / 16000);

    // Stereo is averaged to mono first: two equal channels give the mono result.
    const std::vector<float> mono = tones(12000, 8000);
    std::vector<float> stereo;
    for (float v : mono)
        stereo.insert(stereo.end(), {v, v});
    audio::writeWav(path("stereo.wav"), stereo, 2, 8000);
    QCOMPARE(separate(path("stereo.wav"), path("stereo")).status, 0);
    writeInput("mono.wav", mono, 8000);
    QCOMPARE(separate(path("mono.wav"), path("mono")).status, 0);
    QCOMPARE(audio::readAudio(path("stereo") + "/s1.wav").samples,
             audio::readAudio(path("mono") + "/s1.wav").samples);
}

void tst_SeparateCommand::tinyAndSilentInputs()
{
    // Five samples, shorter than the encoder kernel (16): padded, separated, trimmed back.
    const std::string tiny = writeInput("tiny.wav", {0.1f, -0.2f, 0.3f, 0.0f, 0.5f}, 8000);
    const CliResult small = separate(tiny, path("tiny"));
    QVERIFY2(small.status == 0, small.err.c_str());
    checkOutputs(nlohmann::json::parse(small.out), path("tiny"), 5);

    const std::string silent = writeInput("silent.wav", std::vector<float>(4000, 0.0f), 8000);
    const CliResult quiet = separate(silent, path("silent"));
    QVERIFY2(quiet.status == 0, quiet.err.c_str());
    checkOutputs(nlohmann::json::parse(quiet.out), path("silent"), 4000);
    for (float v : audio::readAudio(path("silent") + "/s1.wav").samples)
        QVERIFY(std::isfinite(v));
}

void tst_SeparateCommand::errors()
{
    const std::string input = writeInput("err.wav", tones(8000, 8000), 8000);
    const CliResult missing = separate(path("absent.wav"), path("e1"));
    QCOMPARE(missing.status, 1);
    QVERIFY(missing.out.empty());
    QCOMPARE(std::count(missing.err.begin(), missing.err.end(), '\n'), 1L);
    QVERIFY2(missing.err.find(path("absent.wav")) != std::string::npos, missing.err.c_str());

    const CliResult overlap = separate(input,
                                       path("e2"),
                                       {"--chunk-seconds", "1", "--overlap-seconds", "1"});
    QCOMPARE(overlap.status, 2);
    QVERIFY2(overlap.err.find("--overlap-seconds") != std::string::npos, overlap.err.c_str());

    const CliResult fade = separate(input, path("e3"), {"--crossfade", "square"});
    QCOMPARE(fade.status, 2);

    const CliResult checkpoint = runInProcess(
        {"separate", "--checkpoint", path("none.pt"), "--input", input, "--out", path("e4")});
    QCOMPARE(checkpoint.status, 1);
    QCOMPARE(checkpoint.err,
             "seplab-cli separate: " + path("none.pt") + ": no such checkpoint file.\n");

    const CliResult notAFolder = separate(input, input);
    QCOMPARE(notAFolder.status, 1);
    QVERIFY2(notAFolder.err.find("not a folder") != std::string::npos, notAFolder.err.c_str());
}

QTEST_GUILESS_MAIN(tst_SeparateCommand)
#include "tst_separate_command.moc"
