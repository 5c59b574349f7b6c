// export-weights and import-weights against the real PyTorch for Python: Python's torch.load
// opens what SepLab writes, with exactly the original project's keys and shapes, and SepLab
// imports what Python's torch.save writes (the original project's checkpoint dict, and a
// torch.compile'd state_dict). Skipped when no python3 can `import torch` (Debian:
// python3-torch; SEPLAB_PYTHON names another interpreter).

#include "cli/command.h"
#include "core/models/separator.h"
#include "core/train/checkpoint.h"
#include "support/cli_runner.h"
#include "support/tiny_models.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>
#include <torch/torch.h>

using namespace seplab;
using test::CliResult;
using test::runInProcess;

namespace {

// The checks run by Python. The expected keys are written out from SpeechBrain's source and
// polsess_separation's wrappers, in the order their state_dict() lists them.
constexpr const char *kScript = R"PY(
import collections, sys, types
import numpy, torch

def lstm(prefix, n, h):
    out = []
    for s in ("_l0", "_l0_reverse"):
        out += [(prefix + "weight_ih" + s, (4 * h, n)), (prefix + "weight_hh" + s, (4 * h, h)),
                (prefix + "bias_ih" + s, (4 * h,)), (prefix + "bias_hh" + s, (4 * h,))]
    return out

def dprnn(N=8, k=4, H=8, layers=2, C=2):
    out = [("encoder.conv1d.weight", (N, 1, k)), ("separator.norm.weight", (N,)),
           ("separator.norm.bias", (N,)), ("separator.conv1d.weight", (N, N, 1))]
    for i in range(layers):
        b = "separator.dual_mdl.%d." % i
        out += lstm(b + "intra_mdl.mdl.rnn.", N, H) + lstm(b + "inter_mdl.mdl.rnn.", N, H)
        for norm in ("intra_norm.", "inter_norm."):
            out += [(b + norm + "weight", (N,)), (b + norm + "bias", (N,))]
        for linear in ("intra_linear.w.", "inter_linear.w."):
            out += [(b + linear + "weight", (N, 2 * H)), (b + linear + "bias", (N,))]
    out += [("separator.conv2d.weight", (N * C, N, 1, 1)), ("separator.conv2d.bias", (N * C,)),
            ("separator.end_conv1x1.weight", (N, N, 1)), ("separator.prelu.weight", (1,)),
            ("separator.output.0.weight", (N, N, 1)), ("separator.output.0.bias", (N,)),
            ("separator.output_gate.0.weight", (N, N, 1)), ("separator.output_gate.0.bias", (N,)),
            ("decoder.weight", (N, 1, k))]
    return out

def convtasnet(N=8, B=4, H=8, P=3, X=2, R=2, C=2, k=4):
    out = [("encoder.conv1d.weight", (N, 1, k)), ("mask_net.layer_norm.gamma", (1, 1, N)),
           ("mask_net.layer_norm.beta", (1, 1, N)),
           ("mask_net.bottleneck_conv1x1.conv.weight", (B, N, 1))]
    for r in range(R):
        for x in range(X):
            b = "mask_net.temporal_conv_net.temporalblock_%d_%d.layers." % (r, x)
            out += [(b + "conv.conv.weight", (H, B, 1)), (b + "act.weight", (1,)),
                    (b + "norm.gamma", (1, 1, H)), (b + "norm.beta", (1, 1, H)),
                    (b + "DSconv.conv_0.conv.weight", (H, 1, P)), (b + "DSconv.act.weight", (1,)),
                    (b + "DSconv.act_0.gamma", (1, 1, H)), (b + "DSconv.act_0.beta", (1, 1, H)),
                    (b + "DSconv.conv_1.conv.weight", (B, H, 1))]
    return out + [("mask_net.mask_conv1x1.conv.weight", (C * N, B, 1)), ("decoder.weight", (N, 1, k))]

def check(path, expected):
    sd = torch.load(path)
    keys = list(sd.keys())
    want = [name for name, _ in expected]
    if keys != want:
        diff = next(i for i in range(max(len(keys), len(want)))
                    if i >= len(keys) or i >= len(want) or keys[i] != want[i])
        sys.exit("%s: key %d is %r, expected %r" % (path, diff, keys[diff:diff + 1], want[diff:diff + 1]))
    for name, shape in expected:
        t = sd[name]
        if tuple(t.shape) != shape or t.dtype != torch.float32 or not t.is_contiguous() \
                or t.requires_grad or t.device.type != "cpu":
            sys.exit("%s: %s is %s %s, expected %s float32" % (path, name, tuple(t.shape), t.dtype, shape))
    return sd

def as_module(sd):
    # A module tree with these names, so state_dict() is a real OrderedDict with _metadata.
    root = torch.nn.Module()
    for name, value in sd.items():
        *path, leaf = name.split(".")
        module = root
        for part in path:
            if part not in module._modules:
                module.add_module(part, torch.nn.Module())
            module = module._modules[part]
        module.register_parameter(leaf, torch.nn.Parameter(value.clone()))
    return root

mode, path = sys.argv[1], sys.argv[2]
if mode == "convtasnet":
    check(path, convtasnet())
else:
    sd = check(path, dprnn())
    model = as_module(sd)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.0)
    sum(p.sum() for p in model.parameters()).backward()
    optimizer.step()  # lr 0: a full optimizer state, unchanged weights
    state_dict = model.state_dict()
    assert isinstance(state_dict, collections.OrderedDict) and hasattr(state_dict, "_metadata")
    torch.save({"epoch": 3, "model_state_dict": state_dict,
                "optimizer_state_dict": optimizer.state_dict(), "val_sisdr": 3.1,
                "best_val_sisdr": numpy.float64(3.1), "run": types.SimpleNamespace(name="x"),
                "config": {"model": {"model_type": "dprnn", "dprnn": {"N": 8, "hidden_size": 8}},
                           "data": {"task": "SB", "val_max_samples": None},
                           "training": {"betas": (0.9, 0.999)}}},
               sys.argv[3])
    torch.save(collections.OrderedDict(("_orig_mod." + k, v) for k, v in state_dict.items()),
               sys.argv[4])
print("ok")
)PY";

constexpr const char *kTinyConfig = "data:\n  task: SB\n"
                                    "model:\n  dprnn:\n    N: 8\n    kernel_size: 4\n"
                                    "    stride: 2\n    num_layers: 2\n    chunk_size: 10\n"
                                    "    hidden_size: 8\n"
                                    "  convtasnet:\n    N: 8\n    B: 4\n    H: 8\n    P: 3\n"
                                    "    X: 2\n    R: 2\n    kernel_size: 4\n    stride: 2\n";

} // namespace

class tst_PytorchInterop : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void pythonLoadsConvTasNetExport();
    void dprnnThroughPython();

private:
    std::string path(const char *name) const { return m_dir.filePath(name).toStdString(); }
    // Runs the script; fails the test with Python's output unless it prints "ok".
    bool runPython(const QStringList &args);
    models::SeparatorPtr exportTiny(const std::string &model, const char *out);

    QTemporaryDir m_dir;
    QString m_python;
};

void tst_PytorchInterop::initTestCase()
{
    QVERIFY(m_dir.isValid());
    // PATH's python3 may be a pyenv or venv interpreter without torch; Debian's has it.
    QStringList candidates = {"python3", "/usr/bin/python3"};
    const QString chosen = qEnvironmentVariable("SEPLAB_PYTHON");
    if (!chosen.isEmpty())
        candidates.prepend(chosen);
    for (const QString &python : candidates) {
        QProcess probe;
        probe.start(python, {"-c", "import torch"});
        if (probe.waitForFinished(120000) && probe.exitStatus() == QProcess::NormalExit
            && probe.exitCode() == 0) {
            m_python = python;
            break;
        }
    }
    if (m_python.isEmpty())
        QSKIP("no python3 can `import torch` (install python3-torch, or set SEPLAB_PYTHON)");
    std::ofstream(path("check.py")) << kScript;
    std::ofstream(path("tiny.yaml")) << kTinyConfig;
}

bool tst_PytorchInterop::runPython(const QStringList &args)
{
    QProcess python;
    python.setProcessChannelMode(QProcess::MergedChannels);
    python.start(m_python, QStringList{m_dir.filePath("check.py")} + args);
    const bool finished = python.waitForFinished(300000);
    const QByteArray output = python.readAll();
    if (!finished || python.exitCode() != 0 || output.trimmed() != "ok") {
        qWarning("python: %s", output.constData());
        return false;
    }
    return true;
}

models::SeparatorPtr tst_PytorchInterop::exportTiny(const std::string &model, const char *out)
{
    const nlohmann::json params = test::tinyModelParams(model);
    torch::manual_seed(31);
    models::SeparatorPtr separator = models::createModel(model, params);
    train::CheckpointMeta meta;
    meta.modelType = model;
    meta.modelParams = separator->params();
    train::saveCheckpoint(path("model.ckpt"), *separator, meta);
    const CliResult result = runInProcess(
        {"export-weights", "--checkpoint", path("model.ckpt"), "--out", path(out)});
    if (result.status != 0)
        qWarning("export-weights: %s", result.err.c_str());
    return separator;
}

void tst_PytorchInterop::pythonLoadsConvTasNetExport()
{
    exportTiny("convtasnet", "convtasnet.pt");
    QVERIFY(runPython({"convtasnet", m_dir.filePath("convtasnet.pt")}));
}

void tst_PytorchInterop::dprnnThroughPython()
{
    const models::SeparatorPtr original = exportTiny("dprnn", "dprnn.pt");
    // Python checks the keys and shapes, then writes the tensors back as the original project's
    // training checkpoint and as a torch.compile'd model's state_dict.
    QVERIFY(runPython({"dprnn",
                       m_dir.filePath("dprnn.pt"),
                       m_dir.filePath("checkpoint.pt"),
                       m_dir.filePath("compiled.pt")}));

    original->eval();
    torch::NoGradGuard noGrad;
    torch::manual_seed(6);
    const at::Tensor mixture = torch::randn({2, 180});
    const at::Tensor expected = original->separate(mixture);
    for (const char *file : {"checkpoint.pt", "compiled.pt"}) {
        const CliResult result = runInProcess({"import-weights",
                                               "--model",
                                               "dprnn",
                                               "--config",
                                               path("tiny.yaml"),
                                               "--in",
                                               path(file),
                                               "--out",
                                               path("imported.ckpt")});
        QVERIFY2(result.status == 0, result.err.c_str());
        const train::ModelCheckpoint back = train::loadModelCheckpoint(path("imported.ckpt"));
        QVERIFY2(torch::equal(back.model->separate(mixture), expected), file);
    }
}

QTEST_GUILESS_MAIN(tst_PytorchInterop)
#include "tst_pytorch_interop.moc"
