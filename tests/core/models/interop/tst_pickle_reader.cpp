// The unpickler behind loadStateDict, on the original project's training checkpoint as Python's
// torch.save writes it (data/python_checkpoint.pt, from make_fixtures.py): plain data comes back
// as written, tensors with their values, and Python objects it has no use for as opaque values.

#include "core/models/interop/pickle_reader.h"

#include <QtTest>

#include <torch/torch.h>

using namespace seplab::models::interop;
using Kind = PyValue::Kind;

namespace {

std::string fixture(const char *name)
{
    return std::string(SEPLAB_INTEROP_FIXTURES "/") + name;
}

const PyValue &item(const PyValue &dict, const std::string &key)
{
    const PyValue *value = dict.find(key);
    if (!value)
        throw std::runtime_error("no key " + key);
    return *value;
}

} // namespace

class tst_PickleReader : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void plainData();
    void pythonObjectsAreOpaque();
    void optimizerState();
    void modelStateDictIsOrdered();

private:
    PyValuePtr m_checkpoint;
};

void tst_PickleReader::initTestCase()
{
    m_checkpoint = loadTorchFile(fixture("python_checkpoint.pt"));
    QVERIFY(m_checkpoint);
    QCOMPARE(int(m_checkpoint->kind), int(Kind::Dict));
}

void tst_PickleReader::plainData()
{
    const PyValue &root = *m_checkpoint;
    QCOMPARE(int(item(root, "epoch").kind), int(Kind::Int));
    QCOMPARE(item(root, "epoch").integer, int64_t(3));
    QCOMPARE(int(item(root, "val_sisdr").kind), int(Kind::Float));
    QCOMPARE(item(root, "val_sisdr").number, 3.1);

    const PyValue &config = item(root, "config");
    QCOMPARE(item(item(item(config, "model"), "dprnn"), "N").integer, int64_t(8));
    QCOMPARE(item(item(item(config, "model"), "dprnn"), "dropout").number, 0.0);
    QCOMPARE(item(item(config, "model"), "model_type").text, std::string("dprnn"));
    QCOMPARE(int(item(item(config, "data"), "train_max_samples").kind), int(Kind::None));
    const PyValue &betas = item(item(config, "training"), "betas");
    QCOMPARE(int(betas.kind), int(Kind::Tuple));
    QCOMPARE(int(betas.items.size()), 2);
    QCOMPARE(betas.items[0]->number, 0.9);
    QCOMPARE(betas.items[1]->number, 0.999);
    const PyValue &curriculum = item(item(config, "training"), "curriculum_learning");
    QCOMPARE(int(curriculum.kind), int(Kind::List));
    QCOMPARE(item(*curriculum.items.at(0), "epoch").integer, int64_t(1));
}

void tst_PickleReader::pythonObjectsAreOpaque()
{
    const PyValue &root = *m_checkpoint;
    // 2**70 does not fit 64 bits; numpy.float64 and SimpleNamespace are classes SepLab lacks.
    QCOMPARE(item(root, "seed").describe(), std::string("an object of builtins.int"));
    QCOMPARE(int(item(root, "best_val_sisdr").kind), int(Kind::Opaque));
    QVERIFY(item(root, "best_val_sisdr").text.rfind("numpy.", 0) == 0);
    QCOMPARE(item(root, "namespace").describe(), std::string("an object of types.SimpleNamespace"));
}

void tst_PickleReader::optimizerState()
{
    // Adam's state dict: {"state": {0: {"step", "exp_avg", "exp_avg_sq"}, ...}, "param_groups"}.
    // Only leaf.weight got a gradient (sum -> all ones), so only its state holds moments.
    const PyValue &optimizer = item(*m_checkpoint, "optimizer_state_dict");
    const PyValue &groups = item(optimizer, "param_groups");
    QCOMPARE(int(groups.items.size()), 1);
    QCOMPARE(item(*groups.items[0], "lr").number, 0.0);
    QCOMPARE(int(item(*groups.items[0], "amsgrad").kind), int(Kind::Bool));
    QCOMPARE(item(*groups.items[0], "amsgrad").boolean, false);

    const PyValue &state = item(optimizer, "state");
    QCOMPARE(int(state.entries.size()), 1);
    QCOMPARE(int(state.entries[0].first->kind), int(Kind::Int));
    QCOMPARE(state.entries[0].first->integer, int64_t(0));
    const PyValue &moments = *state.entries[0].second;
    // After one step with gradient g = 1: exp_avg = (1 - 0.9) g, exp_avg_sq = (1 - 0.999) g^2.
    const at::Tensor expAvg = item(moments, "exp_avg").tensor;
    QCOMPARE(expAvg.sizes().vec(), (std::vector<int64_t>{2, 3}));
    QVERIFY(torch::allclose(expAvg, torch::full({2, 3}, 0.1f)));
    QVERIFY(torch::allclose(item(moments, "exp_avg_sq").tensor, torch::full({2, 3}, 0.001f)));
}

void tst_PickleReader::modelStateDictIsOrdered()
{
    const PyValue &sd = item(*m_checkpoint, "model_state_dict");
    std::vector<std::string> keys;
    for (const auto &entry : sd.entries)
        keys.push_back(entry.first->text);
    // A module's own tensors first, then its children's (Module.state_dict's order).
    const std::vector<std::string> expected = {"transposed",
                                               "row1",
                                               "row2",
                                               "halves",
                                               "flags",
                                               "leaf.weight",
                                               "leaf.bias",
                                               "leaf.count"};
    QVERIFY(keys == expected);
}

QTEST_GUILESS_MAIN(tst_PickleReader)
#include "tst_pickle_reader.moc"
