// PyTorch state_dict files: SepLab's writer and reader agree byte for byte, and the reader opens
// what Python's torch.save writes (fixtures from data/make_fixtures.py, PyTorch 1.13): a bare
// state_dict, the original project's checkpoint dict and a torch.compile'd model's state_dict.

#include "core/models/interop/state_dict_io.h"

#include <QTemporaryDir>
#include <QtTest>

#include <caffe2/serialize/inline_container.h>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <torch/serialize.h>
#include <torch/torch.h>

using namespace seplab::models::interop;

namespace {

QString fixture(const char *name)
{
    return QStringLiteral(SEPLAB_INTEROP_FIXTURES "/") + QLatin1String(name);
}

bool sameBytes(const at::Tensor &a, const at::Tensor &b)
{
    if (a.scalar_type() != b.scalar_type() || a.sizes() != b.sizes())
        return false;
    const at::Tensor ca = a.contiguous(), cb = b.contiguous();
    return std::memcmp(ca.data_ptr(), cb.data_ptr(), ca.numel() * ca.element_size()) == 0;
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

void writeBytes(const std::string &path, const std::vector<char> &bytes)
{
    std::ofstream out(path, std::ios::binary);
    out.write(bytes.data(), std::streamsize(bytes.size()));
}

// A torch.save-style archive with a hand-written data.pkl and one 4-byte storage record.
void writeArchive(const std::string &path, const std::string &pickle)
{
    caffe2::serialize::PyTorchStreamWriter writer(path);
    writer.writeRecord("data.pkl", pickle.data(), pickle.size());
    const float value = 2.5f;
    writer.writeRecord("data/0", &value, sizeof value);
    writer.writeEndOfFile();
}

// {'w': _rebuild_tensor_v2(storage('0', numel), offset, (1,), (1,), False, OrderedDict())},
// assembled opcode by opcode (protocol 2, as torch.save writes it).
std::string handPickle(int numel, int offset)
{
    auto binint = [](int v) {
        std::string out = "J";
        for (int i = 0; i < 4; ++i)
            out += char((unsigned(v) >> (8 * i)) & 0xff);
        return out;
    };
    auto unicode = [](const std::string &text) {
        return std::string("X") + char(text.size()) + std::string(3, '\0') + text;
    };
    return std::string("\x80\x02}") + unicode("w") + "ctorch._utils\n_rebuild_tensor_v2\n(("
           + unicode("storage") + "ctorch\nFloatStorage\n" + unicode("0") + unicode("cpu")
           + binint(numel) + "tQ" + binint(offset) + "K\x01\x85K\x01\x85\x89"
           + "ccollections\nOrderedDict\n)RtRs.";
}

std::vector<std::string> keysOf(const StateDict &stateDict)
{
    return stateDict.keys();
}

// The tensors make_fixtures.py saves, written out by hand.
void verifyFixtureTensors(const StateDict &sd)
{
    const std::vector<std::string> keys = {"transposed",
                                           "row1",
                                           "row2",
                                           "halves",
                                           "flags",
                                           "leaf.weight",
                                           "leaf.bias",
                                           "leaf.count"};
    QCOMPARE(keysOf(sd), keys);

    // arange(12).view(3, 4).t(): element [i][j] = 4 j + i.
    const at::Tensor transposed = sd["transposed"];
    QCOMPARE(transposed.scalar_type(), at::kFloat);
    QCOMPARE(transposed.sizes().vec(), (std::vector<int64_t>{4, 3}));
    for (int i = 0; i < 4; ++i) {
        for (int j = 0; j < 3; ++j)
            QCOMPARE(transposed[i][j].item<float>(), float(4 * j + i));
    }
    // Rows 1 and 2 of arange(100, 112).view(3, 4): two views of one storage.
    QVERIFY(sameBytes(sd["row1"], torch::tensor({104.f, 105.f, 106.f, 107.f})));
    QVERIFY(sameBytes(sd["row2"], torch::tensor({108.f, 109.f, 110.f, 111.f})));
    QVERIFY(sameBytes(sd["halves"], torch::tensor({1.0, 0.25}).to(torch::kHalf)));
    QVERIFY(sameBytes(sd["flags"], torch::tensor({true, false, true})));
    QVERIFY(sameBytes(sd["leaf.weight"], torch::arange(6, torch::kFloat32).view({2, 3})));
    QVERIFY(sameBytes(sd["leaf.bias"], torch::tensor({0.5, -1.5}, torch::kFloat64)));
    QVERIFY(sameBytes(sd["leaf.count"], torch::tensor(int64_t(7))));
}

} // namespace

class tst_StateDictIo : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void roundTripKeepsOrderAndBytes();
    void writesOnlyTheViewedElements();
    void replacesAtomically();
    void readsPythonStateDict();
    void readsOriginalCheckpointDict();
    void stripsCompilePrefix();
    void readsHandWrittenArchive();
    void rejects_data();
    void rejects();

private:
    std::string path(const char *name) const { return m_dir.filePath(name).toStdString(); }

    QTemporaryDir m_dir;
};

void tst_StateDictIo::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY(QFile::exists(fixture("python_state_dict.pt")));
}

void tst_StateDictIo::roundTripKeepsOrderAndBytes()
{
    torch::manual_seed(3);
    StateDict sd;
    // Deliberately not alphabetical, so a sorted container would show.
    sd.insert("zeta.weight", torch::randn({3, 1, 4}));
    sd.insert("alpha.bias", torch::randn({5}, torch::kFloat64));
    sd.insert("mid.count", torch::tensor(int64_t(42)));
    sd.insert("mid.mask", torch::tensor({true, false}));
    sd.insert("mid.transposed", torch::randn({3, 4}).t()); // not contiguous
    sd.insert("mid.empty", torch::zeros({0, 3}));
    sd.insert("mid.half", torch::randn({2, 2}).to(torch::kHalf));
    const std::string file = path("round_trip.pt");
    saveStateDict(file, sd);

    const StateDict back = loadStateDict(file);
    QCOMPARE(keysOf(back), keysOf(sd));
    for (const auto &item : sd) {
        QVERIFY2(sameBytes(back[item.key()], item.value()), item.key().c_str());
        QVERIFY(back[item.key()].device().is_cpu());
    }
}

void tst_StateDictIo::writesOnlyTheViewedElements()
{
    // One element of a 1M-element tensor: the file must not carry the 4 MB base storage.
    const at::Tensor big = torch::arange(1 << 20, torch::kFloat32);
    StateDict sd;
    sd.insert("one", big.slice(0, 1000, 1001));
    const std::string file = path("view.pt");
    saveStateDict(file, sd);
    QVERIFY(std::filesystem::file_size(file) < 4096);
    QCOMPARE(loadStateDict(file)["one"].item<float>(), 1000.0f);
}

void tst_StateDictIo::replacesAtomically()
{
    const std::string file = path("replace.pt");
    {
        std::ofstream old(file);
        old << "an older file";
    }
    StateDict sd;
    sd.insert("w", torch::ones({2}));
    saveStateDict(file, sd);
    QVERIFY(sameBytes(loadStateDict(file)["w"], torch::ones({2})));
    QVERIFY(!std::filesystem::exists(file + ".tmp"));

    // A target inside a regular file cannot be written; the message names it.
    const std::string impossible = file + "/inside.pt";
    const std::string message = errorOf([&] { saveStateDict(impossible, sd); });
    QVERIFY2(message.find(impossible) == 0, message.c_str());
    QVERIFY(sameBytes(loadStateDict(file)["w"], torch::ones({2})));
}

void tst_StateDictIo::readsPythonStateDict()
{
    // torch.save(model.state_dict()): an OrderedDict with _metadata, which LibTorch's own
    // torch::pickle_load cannot read.
    verifyFixtureTensors(loadStateDict(fixture("python_state_dict.pt").toStdString()));
}

void tst_StateDictIo::readsOriginalCheckpointDict()
{
    // {epoch, model_state_dict, optimizer_state_dict, val_sisdr, numpy scalar, 2**70, an object,
    // config}: only model_state_dict is returned.
    verifyFixtureTensors(loadStateDict(fixture("python_checkpoint.pt").toStdString()));
}

void tst_StateDictIo::stripsCompilePrefix()
{
    verifyFixtureTensors(loadStateDict(fixture("python_compiled.pt").toStdString()));
}

void tst_StateDictIo::readsHandWrittenArchive()
{
    // The positive control for the hand-written rows of rejects().
    const std::string file = path("hand.pt");
    writeArchive(file, handPickle(1, 0));
    const StateDict sd = loadStateDict(file);
    QCOMPARE(keysOf(sd), std::vector<std::string>{"w"});
    QVERIFY(sameBytes(sd["w"], torch::tensor({2.5f})));
}

void tst_StateDictIo::rejects_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("expected");

    const std::string missing = path("missing.pt");
    QTest::newRow("no such file") << QString::fromStdString(missing) << "no such file";

    // What torch.save wrote before PyTorch 1.6 (and with _use_new_zipfile_serialization=False)
    // starts with a pickled magic number, not a zip header.
    const std::string legacy = path("legacy.pt");
    writeBytes(legacy, {'\x80', '\x02', '\x8a', '\x0a', 'l', '\xfc', '\x9c', 'F', '\xf9'});
    QTest::newRow("legacy format") << QString::fromStdString(legacy) << "not a zip-format";

    const std::string truncated = path("truncated.pt");
    {
        std::ifstream in(fixture("python_state_dict.pt").toStdString(), std::ios::binary);
        std::vector<char> bytes((std::istreambuf_iterator<char>(in)), {});
        bytes.resize(bytes.size() / 2);
        writeBytes(truncated, bytes);
    }
    QTest::newRow("truncated") << QString::fromStdString(truncated) << "damaged PyTorch archive";

    const std::string list = path("list.pt");
    c10::impl::GenericList items(c10::AnyType::get());
    items.push_back(torch::ones({1}));
    writeBytes(list, torch::pickle_save(c10::IValue(items)));
    QTest::newRow("a list") << QString::fromStdString(list) << "holds a list";

    const std::string mixed = path("mixed.pt");
    c10::impl::GenericDict dict(c10::StringType::get(), c10::AnyType::get());
    dict.insert("w", torch::ones({1}));
    dict.insert("epoch", int64_t(3));
    writeBytes(mixed, torch::pickle_save(c10::IValue(dict)));
    QTest::newRow("non-tensor entry")
        << QString::fromStdString(mixed) << "entry 'epoch' is an int, not a tensor";

    const std::string inner = path("inner.pt");
    c10::impl::GenericDict checkpoint(c10::StringType::get(), c10::AnyType::get());
    checkpoint.insert("model_state_dict", int64_t(1));
    writeBytes(inner, torch::pickle_save(c10::IValue(checkpoint)));
    QTest::newRow("model_state_dict not a dict")
        << QString::fromStdString(inner) << "model_state_dict is an int, not a state_dict";

    const std::string twice = path("twice.pt");
    c10::impl::GenericDict both(c10::StringType::get(), c10::AnyType::get());
    both.insert("_orig_mod.w", torch::ones({1}));
    both.insert("w", torch::ones({1}));
    writeBytes(twice, torch::pickle_save(c10::IValue(both)));
    QTest::newRow("key with and without _orig_mod.")
        << QString::fromStdString(twice)
        << "key 'w' appears twice (with and without torch.compile's _orig_mod. prefix).";

    // Damaged pickles inside a well-formed archive: errors, never a crash or a huge allocation.
    const std::string huge = path("huge.pt");
    writeArchive(huge, handPickle(1000000000, 0));
    QTest::newRow("storage larger than its record")
        << QString::fromStdString(huge) << "tensor data record data/0 is shorter than its storage";
    const std::string past = path("past.pt");
    writeArchive(past, handPickle(1, 5));
    QTest::newRow("view past the storage")
        << QString::fromStdString(past) << "a tensor reaches past the end of its storage";
    const std::string cut = path("cut.pt");
    writeArchive(cut, handPickle(1, 0).substr(0, 93)); // inside the storage size
    QTest::newRow("pickle cut short") << QString::fromStdString(cut) << "the pickle ends early";
    const std::string opcode = path("opcode.pt");
    writeArchive(opcode, "\x80\x02\xff.");
    QTest::newRow("unknown opcode")
        << QString::fromStdString(opcode) << "unsupported pickle opcode 0xff at byte 2";
}

void tst_StateDictIo::rejects()
{
    QFETCH(QString, file);
    QFETCH(QString, expected);
    const QString message = QString::fromStdString(
        errorOf([&] { loadStateDict(file.toStdString()); }));
    QVERIFY2(message.startsWith(file + ": "), qPrintable(message));
    QVERIFY2(message.contains(expected), qPrintable(message));
    QVERIFY2(!message.contains('\n'), qPrintable(message));
}

QTEST_GUILESS_MAIN(tst_StateDictIo)
#include "tst_state_dict_io.moc"
