// SepLab <-> original project key names: DPRNN's are SpeechBrain's own, ConvTasNet's map onto
// SpeechBrain's MaskNet inside the original wrapper's `mask_net`; export then import reproduces a
// model exactly, and a state_dict that does not fit is refused by key.
//
// The expected names and shapes below are written out from SpeechBrain's source
// (lobes/models/dual_path.py, lobes/models/conv_tasnet.py, nnet/CNN.py, nnet/containers.py) and
// polsess_separation's models/dprnn.py and models/conv_tasnet.py, not derived from the code under
// test.

#include "core/models/interop/original_names.h"
#include "core/models/interop/state_dict_io.h"
#include "core/models/separator.h"
#include "support/tiny_models.h"

#include <QTemporaryDir>
#include <QtTest>

#include <torch/torch.h>

using namespace seplab::models;
using namespace seplab::models::interop;

namespace {

using Shape = std::vector<int64_t>;
using Expected = std::vector<std::pair<std::string, Shape>>;

void rnn(Expected &out, const std::string &prefix, int64_t in, int64_t hidden)
{
    for (const char *suffix : {"_l0", "_l0_reverse"}) {
        out.push_back({prefix + "weight_ih" + suffix, {4 * hidden, in}});
        out.push_back({prefix + "weight_hh" + suffix, {4 * hidden, hidden}});
        out.push_back({prefix + "bias_ih" + suffix, {4 * hidden}});
        out.push_back({prefix + "bias_hh" + suffix, {4 * hidden}});
    }
}

// Python's DPRNN(...).state_dict() for one LSTM layer per block, bidirectional.
Expected speechBrainDprnn(int64_t N, int64_t k, int64_t H, int layers, int64_t C)
{
    Expected out = {{"encoder.conv1d.weight", {N, 1, k}},
                    {"separator.norm.weight", {N}},
                    {"separator.norm.bias", {N}},
                    {"separator.conv1d.weight", {N, N, 1}}};
    for (int i = 0; i < layers; ++i) {
        const std::string block = "separator.dual_mdl." + std::to_string(i) + ".";
        rnn(out, block + "intra_mdl.mdl.rnn.", N, H);
        rnn(out, block + "inter_mdl.mdl.rnn.", N, H);
        for (const char *norm : {"intra_norm.", "inter_norm."}) {
            out.push_back({block + norm + "weight", {N}});
            out.push_back({block + norm + "bias", {N}});
        }
        for (const char *linear : {"intra_linear.w.", "inter_linear.w."}) {
            out.push_back({block + linear + "weight", {N, 2 * H}});
            out.push_back({block + linear + "bias", {N}});
        }
    }
    const Expected tail = {{"separator.conv2d.weight", {N * C, N, 1, 1}},
                           {"separator.conv2d.bias", {N * C}},
                           {"separator.end_conv1x1.weight", {N, N, 1}},
                           {"separator.prelu.weight", {1}},
                           {"separator.output.0.weight", {N, N, 1}},
                           {"separator.output.0.bias", {N}},
                           {"separator.output_gate.0.weight", {N, N, 1}},
                           {"separator.output_gate.0.bias", {N}},
                           {"decoder.weight", {N, 1, k}}};
    out.insert(out.end(), tail.begin(), tail.end());
    return out;
}

// Python's ConvTasNet(...).state_dict() (gLN, not causal).
Expected speechBrainConvTasNet(
    int64_t N, int64_t B, int64_t H, int64_t P, int X, int R, int64_t C, int64_t k)
{
    Expected out = {{"encoder.conv1d.weight", {N, 1, k}},
                    {"mask_net.layer_norm.gamma", {1, 1, N}},
                    {"mask_net.layer_norm.beta", {1, 1, N}},
                    {"mask_net.bottleneck_conv1x1.conv.weight", {B, N, 1}}};
    for (int r = 0; r < R; ++r) {
        for (int x = 0; x < X; ++x) {
            const std::string block = "mask_net.temporal_conv_net.temporalblock_"
                                      + std::to_string(r) + "_" + std::to_string(x) + ".layers.";
            const Expected layers = {{block + "conv.conv.weight", {H, B, 1}},
                                     {block + "act.weight", {1}},
                                     {block + "norm.gamma", {1, 1, H}},
                                     {block + "norm.beta", {1, 1, H}},
                                     {block + "DSconv.conv_0.conv.weight", {H, 1, P}},
                                     {block + "DSconv.act.weight", {1}},
                                     {block + "DSconv.act_0.gamma", {1, 1, H}},
                                     {block + "DSconv.act_0.beta", {1, 1, H}},
                                     {block + "DSconv.conv_1.conv.weight", {B, H, 1}}};
            out.insert(out.end(), layers.begin(), layers.end());
        }
    }
    out.push_back({"mask_net.mask_conv1x1.conv.weight", {C * N, B, 1}});
    out.push_back({"decoder.weight", {N, 1, k}});
    return out;
}

// Python's SepFormer(...).state_dict() (polsess_separation models/sepformer.py around
// SpeechBrain's Dual_Path_Model with SBTransformerBlock: TransformerEncoderLayer registers
// self_att (attention.MultiheadAttention wrapping torch's as `att`), pos_ffn (`ffn`
// Sequential: Linear, ReLU, Dropout, Linear), norm1, norm2 (normalization.LayerNorm as `norm`);
// TransformerEncoder adds its final `norm`; SBTransformerBlock its PositionalEncoding `pos_enc`
// with the persistent buffer `pe`).
Expected speechBrainSepformer(
    int64_t N, int64_t k, int64_t D, int64_t F, int blocks, int layers, int64_t C, bool pe)
{
    Expected out = {{"encoder.conv1d.weight", {N, 1, k}},
                    {"masknet.norm.weight", {N}},
                    {"masknet.norm.bias", {N}},
                    {"masknet.conv1d.weight", {D, N, 1}}};
    for (int i = 0; i < blocks; ++i) {
        const std::string block = "masknet.dual_mdl." + std::to_string(i) + ".";
        for (const char *model : {"intra_mdl.", "inter_mdl."}) {
            const std::string mdl = block + model + "mdl.";
            for (int j = 0; j < layers; ++j) {
                const std::string layer = mdl + "layers." + std::to_string(j) + ".";
                const Expected tensors = {{layer + "self_att.att.in_proj_weight", {3 * D, D}},
                                          {layer + "self_att.att.in_proj_bias", {3 * D}},
                                          {layer + "self_att.att.out_proj.weight", {D, D}},
                                          {layer + "self_att.att.out_proj.bias", {D}},
                                          {layer + "pos_ffn.ffn.0.weight", {F, D}},
                                          {layer + "pos_ffn.ffn.0.bias", {F}},
                                          {layer + "pos_ffn.ffn.3.weight", {D, F}},
                                          {layer + "pos_ffn.ffn.3.bias", {D}},
                                          {layer + "norm1.norm.weight", {D}},
                                          {layer + "norm1.norm.bias", {D}},
                                          {layer + "norm2.norm.weight", {D}},
                                          {layer + "norm2.norm.bias", {D}}};
                out.insert(out.end(), tensors.begin(), tensors.end());
            }
            out.push_back({mdl + "norm.norm.weight", {D}});
            out.push_back({mdl + "norm.norm.bias", {D}});
            if (pe)
                out.push_back({block + model + "pos_enc.pe", {1, 2500, D}});
        }
        for (const char *norm : {"intra_norm.", "inter_norm."}) {
            out.push_back({block + norm + "weight", {D}});
            out.push_back({block + norm + "bias", {D}});
        }
    }
    const Expected tail = {{"masknet.conv2d.weight", {D * C, D, 1, 1}},
                           {"masknet.conv2d.bias", {D * C}},
                           {"masknet.end_conv1x1.weight", {N, D, 1}},
                           {"masknet.prelu.weight", {1}},
                           {"masknet.output.0.weight", {D, D, 1}},
                           {"masknet.output.0.bias", {D}},
                           {"masknet.output_gate.0.weight", {D, D, 1}},
                           {"masknet.output_gate.0.bias", {D}},
                           {"decoder.weight", {N, 1, k}}};
    out.insert(out.end(), tail.begin(), tail.end());
    return out;
}

// mamba_ssm Block(norm RMSNorm, mixer Mamba): Mamba's own A_log and D come before its children
// in state_dict order (in_proj, conv1d, x_proj, dt_proj, out_proj); d_state 16, expand 4.
void mambaBlock(Expected &out, const std::string &prefix, int64_t D)
{
    const int64_t inner = 4 * D, R = (D + 15) / 16;
    out.push_back({prefix + "norm.weight", {D}});
    const std::string mixer = prefix + "mixer.";
    const Expected tensors = {{mixer + "A_log", {inner, 16}},
                              {mixer + "D", {inner}},
                              {mixer + "in_proj.weight", {2 * inner, D}},
                              {mixer + "conv1d.weight", {inner, 1, 4}},
                              {mixer + "conv1d.bias", {inner}},
                              {mixer + "x_proj.weight", {R + 32, inner}},
                              {mixer + "dt_proj.weight", {inner, R}},
                              {mixer + "dt_proj.bias", {inner}},
                              {mixer + "out_proj.weight", {D, inner}}};
    out.insert(out.end(), tensors.begin(), tensors.end());
}

// Python's SPMamba(...).state_dict() (polsess_separation models/spmamba.py): conv
// (Conv2d, GroupNorm), blocks (GridNetBlock: intra_norm, intra_mamba, intra_linear, inter_*,
// then attn_conv_Q/K/V_<head> per head, attn_concat_proj; each a Sequential of Conv2d, PReLU,
// LayerNormalization4DCF), deconv.
Expected originalSpmamba(
    int64_t E, int64_t ks, int layers, int64_t heads, int64_t qk, int64_t nFft, int64_t sources)
{
    const int64_t F = nFft / 2 + 1, Eq = (qk + F - 1) / F, D = E * ks;
    Expected out = {{"conv.0.weight", {E, 2, 3, 3}},
                    {"conv.0.bias", {E}},
                    {"conv.1.weight", {E}},
                    {"conv.1.bias", {E}}};
    auto projection = [&](const std::string &prefix, int64_t channels) {
        out.push_back({prefix + "0.weight", {channels, E, 1, 1}});
        out.push_back({prefix + "0.bias", {channels}});
        out.push_back({prefix + "1.weight", {1}});
        out.push_back({prefix + "2.gamma", {1, channels, 1, F}});
        out.push_back({prefix + "2.beta", {1, channels, 1, F}});
    };
    for (int i = 0; i < layers; ++i) {
        const std::string block = "blocks." + std::to_string(i) + ".";
        for (const char *path : {"intra_", "inter_"}) {
            out.push_back({block + path + "norm.gamma", {1, E, 1, 1}});
            out.push_back({block + path + "norm.beta", {1, E, 1, 1}});
            mambaBlock(out, block + path + "mamba.forward_blocks.0.", D);
            mambaBlock(out, block + path + "mamba.backward_blocks.0.", D);
            out.push_back({block + path + "linear.weight", {2 * D, E, ks}});
            out.push_back({block + path + "linear.bias", {E}});
        }
        for (int64_t h = 0; h < heads; ++h) {
            projection(block + "attn_conv_Q_" + std::to_string(h) + ".", Eq);
            projection(block + "attn_conv_K_" + std::to_string(h) + ".", Eq);
            projection(block + "attn_conv_V_" + std::to_string(h) + ".", E / heads);
        }
        projection(block + "attn_concat_proj.", E);
    }
    out.push_back({"deconv.weight", {E, 2 * sources, 3, 3}});
    out.push_back({"deconv.bias", {2 * sources}});
    return out;
}

Expected exported(const Separator &model)
{
    Expected out;
    for (const auto &item : exportOriginalStateDict(model))
        out.push_back({item.key(), item.value().sizes().vec()});
    return out;
}

std::string firstDifference(const Expected &actual, const Expected &expected)
{
    for (std::size_t i = 0; i < std::max(actual.size(), expected.size()); ++i) {
        const std::string a = i < actual.size() ? actual[i].first : "(end)";
        const std::string e = i < expected.size() ? expected[i].first : "(end)";
        if (a != e
            || (i < actual.size() && i < expected.size() && actual[i].second != expected[i].second))
            return "entry " + std::to_string(i) + ": got " + a + ", expected " + e;
    }
    return {};
}

std::size_t tensorCount(const Separator &model)
{
    return model.named_parameters().size() + model.named_buffers().size();
}

std::string errorOf(const std::function<void()> &action)
{
    try {
        action();
    } catch (const std::runtime_error &error) {
        return error.what();
    }
    return {};
}

} // namespace

class tst_OriginalNames : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void dprnnBaselineKeys();
    void dprnnKeysAndShapes();
    void convTasNetKeysAndShapes_data();
    void convTasNetKeysAndShapes();
    void sepformerKeysAndShapes();
    void spmambaKeysAndShapes();
    void exportImportReproducesOutputs_data();
    void exportImportReproducesOutputs();
    void importRejects_data();
    void importRejects();

private:
    QTemporaryDir m_dir;
};

void tst_OriginalNames::initTestCase()
{
    QVERIFY(m_dir.isValid());
}

void tst_OriginalNames::dprnnBaselineKeys()
{
    const SeparatorPtr model = createModel("dprnn");
    const std::vector<TensorName> names = originalNames(*model);
    QCOMPARE(names.size(), tensorCount(*model));
    std::set<std::string> keys;
    for (const TensorName &name : names) {
        QCOMPARE(name.original, name.seplab); // SepLab's DPRNN already uses SpeechBrain's names
        keys.insert(name.original);
    }
    QCOMPARE(keys.size(), names.size());
    for (const char *key : {"encoder.conv1d.weight",
                            "separator.norm.weight",
                            "separator.conv1d.weight",
                            "separator.dual_mdl.0.intra_mdl.mdl.rnn.weight_ih_l0",
                            "separator.dual_mdl.0.intra_mdl.mdl.rnn.weight_hh_l0_reverse",
                            "separator.dual_mdl.5.inter_mdl.mdl.rnn.bias_hh_l0",
                            "separator.dual_mdl.0.intra_linear.w.weight",
                            "separator.dual_mdl.0.intra_norm.weight",
                            "separator.prelu.weight",
                            "separator.conv2d.weight",
                            "separator.output.0.weight",
                            "separator.output_gate.0.weight",
                            "separator.end_conv1x1.weight",
                            "decoder.weight"})
        QVERIFY2(keys.count(key), key);
    // 1 encoder + 2 norm + 1 conv1d + 6 blocks x 24 + 2 conv2d + 1 end conv + 1 PReLU + 2 + 2
    // gates + 1 decoder.
    QCOMPARE(names.size(), std::size_t(157));
    QCOMPARE(exported(*model), speechBrainDprnn(64, 16, 128, 6, 2));
}

void tst_OriginalNames::dprnnKeysAndShapes()
{
    const SeparatorPtr model = createModel("dprnn", seplab::test::tinyDprnnParams());
    const Expected actual = exported(*model);
    const Expected expected = speechBrainDprnn(8, 4, 8, 2, 2);
    QVERIFY2(actual == expected, firstDifference(actual, expected).c_str());
    QCOMPARE(actual.size(), tensorCount(*model));
}

void tst_OriginalNames::convTasNetKeysAndShapes_data()
{
    QTest::addColumn<QByteArray>("params");
    QTest::addColumn<QByteArray>("dims"); // N B H P X R C k
    QTest::newRow("baseline") << QByteArray("{}") << QByteArray("256 256 512 3 8 4 2 16");
    QTest::newRow("tiny") << QByteArray::fromStdString(seplab::test::tinyConvTasNetParams().dump())
                          << QByteArray("8 4 8 3 2 2 2 4");
    QTest::newRow("tiny, X=3, C=1") << QByteArray(R"({"N": 6, "B": 4, "H": 5, "X": 3, "R": 1,
                                                    "C": 1, "kernel_size": 2, "stride": 1})")
                                    << QByteArray("6 4 5 3 3 1 1 2");
}

void tst_OriginalNames::convTasNetKeysAndShapes()
{
    QFETCH(QByteArray, params);
    QFETCH(QByteArray, dims);
    const QList<QByteArray> d = dims.split(' ');
    const SeparatorPtr model = createModel("convtasnet",
                                           nlohmann::json::parse(params.toStdString()));

    const Expected actual = exported(*model);
    const Expected expected = speechBrainConvTasNet(d[0].toLongLong(),
                                                    d[1].toLongLong(),
                                                    d[2].toLongLong(),
                                                    d[3].toLongLong(),
                                                    d[4].toInt(),
                                                    d[5].toInt(),
                                                    d[6].toLongLong(),
                                                    d[7].toLongLong());
    QVERIFY2(actual == expected, firstDifference(actual, expected).c_str());

    // A bijection: every SepLab tensor has exactly one original key and back, with its shape.
    const std::vector<TensorName> names = originalNames(*model);
    QCOMPARE(names.size(), tensorCount(*model));
    std::set<std::string> seplab, original;
    const auto parameters = model->named_parameters();
    const StateDict sd = exportOriginalStateDict(*model);
    for (const TensorName &name : names) {
        seplab.insert(name.seplab);
        original.insert(name.original);
        QCOMPARE(sd[name.original].sizes().vec(), parameters[name.seplab].sizes().vec());
    }
    QCOMPARE(seplab.size(), names.size());
    QCOMPARE(original.size(), names.size());
}

void tst_OriginalNames::sepformerKeysAndShapes()
{
    const Expected baseline = exported(*createModel("sepformer"));
    const Expected expected = speechBrainSepformer(256, 16, 256, 1024, 2, 8, 2, false);
    QVERIFY2(baseline == expected, firstDifference(baseline, expected).c_str());

    nlohmann::json params = seplab::test::tinySepformerParams();
    params["use_positional_encoding"] = true;
    params["C"] = 1;
    const SeparatorPtr model = createModel("sepformer", params);
    const Expected actual = exported(*model);
    const Expected tiny = speechBrainSepformer(8, 8, 8, 16, 1, 1, 1, true);
    QVERIFY2(actual == tiny, firstDifference(actual, tiny).c_str());
    QCOMPARE(actual.size(), tensorCount(*model));
}

void tst_OriginalNames::spmambaKeysAndShapes()
{
    const Expected reduced = exported(*createModel("spmamba"));
    const Expected expected = originalSpmamba(16, 4, 4, 2, 256, 256, 2);
    QVERIFY2(reduced == expected, firstDifference(reduced, expected).c_str());

    const SeparatorPtr full = createModel("spmamba",
                                          {{"n_layers", 6},
                                           {"emb_ks", 8},
                                           {"attn_n_head", 4},
                                           {"attn_approx_qk_dim", 512},
                                           {"n_srcs", 1}});
    const Expected actual = exported(*full);
    const Expected fullExpected = originalSpmamba(16, 8, 6, 4, 512, 256, 1);
    QVERIFY2(actual == fullExpected, firstDifference(actual, fullExpected).c_str());
    QCOMPARE(actual.size(), tensorCount(*full));
}

void tst_OriginalNames::exportImportReproducesOutputs_data()
{
    QTest::addColumn<QString>("type");
    QTest::addColumn<QByteArray>("params");
    QTest::newRow("dprnn") << "dprnn"
                           << QByteArray::fromStdString(seplab::test::tinyDprnnParams().dump());
    QTest::newRow("convtasnet") << "convtasnet"
                                << QByteArray::fromStdString(
                                       seplab::test::tinyConvTasNetParams().dump());
    QTest::newRow("sepformer") << "sepformer"
                               << QByteArray::fromStdString(
                                      seplab::test::tinySepformerParams().dump());
    QTest::newRow("spmamba") << "spmamba"
                             << QByteArray::fromStdString(seplab::test::tinySpmambaParams().dump());
}

void tst_OriginalNames::exportImportReproducesOutputs()
{
    QFETCH(QString, type);
    QFETCH(QByteArray, params);
    const nlohmann::json json = nlohmann::json::parse(params.toStdString());

    torch::manual_seed(11);
    const SeparatorPtr source = createModel(type.toStdString(), json);
    torch::manual_seed(12);
    const SeparatorPtr target = createModel(type.toStdString(), json);
    source->eval();
    target->eval();
    torch::NoGradGuard noGrad;
    const at::Tensor mixture = torch::randn({2, 203});
    QVERIFY(!torch::equal(source->separate(mixture), target->separate(mixture)));

    const std::string file = m_dir.filePath(type + ".pt").toStdString();
    saveStateDict(file, exportOriginalStateDict(*source));
    importOriginalStateDict(*target, loadStateDict(file), file);
    QVERIFY(torch::equal(source->separate(mixture), target->separate(mixture)));
}

void tst_OriginalNames::importRejects_data()
{
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("change"); // what is done to a correct state_dict
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("expected");
    QTest::newRow("dprnn missing") << "dprnn"
                                   << "drop"
                                   << "separator.dual_mdl.1.inter_norm.bias"
                                   << "key 'separator.dual_mdl.1.inter_norm.bias' is missing";
    QTest::newRow("dprnn unexpected") << "dprnn"
                                      << "add"
                                      << "separator.dual_mdl.2.intra_norm.weight"
                                      << "unexpected key 'separator.dual_mdl.2.intra_norm.weight'";
    QTest::newRow("dprnn shape") << "dprnn"
                                 << "reshape"
                                 << "separator.dual_mdl.0.intra_linear.w.weight"
                                 << "key 'separator.dual_mdl.0.intra_linear.w.weight' has shape "
                                    "[8, 17] but a dprnn model with these hyperparameters "
                                    "expects [8, 16]";
    QTest::newRow("convtasnet missing")
        << "convtasnet"
        << "drop"
        << "mask_net.temporal_conv_net.temporalblock_1_0.layers.DSconv.act_0.gamma"
        << "key 'mask_net.temporal_conv_net.temporalblock_1_0.layers.DSconv.act_0.gamma' is "
           "missing";
    QTest::newRow("convtasnet SepLab name") << "convtasnet"
                                            << "add"
                                            << "separator.layer_norm.gamma"
                                            << "unexpected key 'separator.layer_norm.gamma'";
    QTest::newRow("convtasnet shape") << "convtasnet"
                                      << "reshape"
                                      << "decoder.weight"
                                      << "key 'decoder.weight' has shape [8, 1, 5] but a "
                                         "convtasnet model with these hyperparameters expects "
                                         "[8, 1, 4]";
}

void tst_OriginalNames::importRejects()
{
    QFETCH(QString, type);
    QFETCH(QString, change);
    QFETCH(QString, key);
    QFETCH(QString, expected);
    const nlohmann::json params = type == "dprnn" ? seplab::test::tinyDprnnParams()
                                                  : seplab::test::tinyConvTasNetParams();
    torch::manual_seed(5);
    const SeparatorPtr source = createModel(type.toStdString(), params);
    const SeparatorPtr target = createModel(type.toStdString(), params);
    const StateDict good = exportOriginalStateDict(*source);

    StateDict bad;
    for (const auto &item : good) {
        if (item.key() != key.toStdString()) {
            bad.insert(item.key(), item.value());
        } else if (change == "reshape") {
            std::vector<int64_t> shape = item.value().sizes().vec();
            shape.back() += 1;
            bad.insert(item.key(), torch::zeros(shape));
        } else if (change != "drop") {
            bad.insert(item.key(), item.value());
        }
    }
    if (change == "add")
        bad.insert(key.toStdString(), torch::zeros({8}));

    const StateDict before = exportOriginalStateDict(*target);
    const QString message = QString::fromStdString(
        errorOf([&] { importOriginalStateDict(*target, bad, "weights.pt"); }));
    QVERIFY2(message.startsWith("weights.pt: " + expected), qPrintable(message));
    QVERIFY2(message.endsWith('.') && !message.contains('\n'), qPrintable(message));
    // Nothing was copied into the model.
    for (const auto &item : exportOriginalStateDict(*target))
        QVERIFY(torch::equal(item.value(), before[item.key()]));
}

QTEST_GUILESS_MAIN(tst_OriginalNames)
#include "tst_original_names.moc"
