#include "core/models/interop/pickle_reader.h"

#include <caffe2/serialize/inline_container.h>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <stdexcept>
#include <torch/torch.h>
#include <unordered_map>

namespace seplab::models::interop {

namespace {

// Thrown inside the unpickler; loadTorchFile turns it into a sentence naming the file.
class PickleError : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

PyValuePtr make(PyValue::Kind kind)
{
    auto value = std::make_shared<PyValue>();
    value->kind = kind;
    return value;
}

PyValuePtr makeText(PyValue::Kind kind, std::string text)
{
    PyValuePtr value = make(kind);
    value->text = std::move(text);
    return value;
}

PyValuePtr makeInt(std::int64_t integer)
{
    PyValuePtr value = make(PyValue::Kind::Int);
    value->integer = integer;
    return value;
}

// The storage classes torch.save names in its persistent ids ("torch.FloatStorage", ...).
const std::map<std::string, at::ScalarType> &storageTypes()
{
    static const std::map<std::string, at::ScalarType> types = {
        {"torch.FloatStorage", at::kFloat},
        {"torch.DoubleStorage", at::kDouble},
        {"torch.HalfStorage", at::kHalf},
        {"torch.BFloat16Storage", at::kBFloat16},
        {"torch.LongStorage", at::kLong},
        {"torch.IntStorage", at::kInt},
        {"torch.ShortStorage", at::kShort},
        {"torch.CharStorage", at::kChar},
        {"torch.ByteStorage", at::kByte},
        {"torch.BoolStorage", at::kBool},
        {"torch.ComplexFloatStorage", at::kComplexFloat},
        {"torch.ComplexDoubleStorage", at::kComplexDouble},
        {"torch.UntypedStorage", at::kByte},
    };
    return types;
}

std::int64_t toInt(const PyValuePtr &value, const char *what)
{
    if (!value || value->kind != PyValue::Kind::Int)
        throw PickleError(std::string(what) + " is not an integer");
    return value->integer;
}

std::vector<std::int64_t> toInts(const PyValuePtr &value, const char *what)
{
    if (!value || (value->kind != PyValue::Kind::Tuple && value->kind != PyValue::Kind::List))
        throw PickleError(std::string(what) + " is not a tuple");
    std::vector<std::int64_t> ints;
    for (const PyValuePtr &item : value->items)
        ints.push_back(toInt(item, what));
    return ints;
}

// The pickle virtual machine, restricted to what torch.save (protocol 2 by default) and Python's
// pickle up to protocol 5 emit for plain data. Opcode names and semantics: Python's
// Lib/pickletools.py.
class Unpickler
{
public:
    using PersistentLoad = std::function<PyValuePtr(const PyValuePtr &pid)>;

    Unpickler(const char *data, std::size_t size, PersistentLoad persistentLoad)
        : m_data(data)
        , m_size(size)
        , m_persistentLoad(std::move(persistentLoad))
    {}

    PyValuePtr run()
    {
        while (true) {
            const std::uint8_t op = byte();
            if (op == '.') // STOP
                return pop();
            step(op);
        }
    }

private:
    std::uint8_t byte()
    {
        need(1);
        return std::uint8_t(m_data[m_pos++]);
    }

    void need(std::uint64_t count) const
    {
        if (count > m_size - m_pos)
            throw PickleError("the pickle ends early");
    }

    std::string bytes(std::uint64_t count)
    {
        need(count);
        std::string out(m_data + m_pos, std::size_t(count));
        m_pos += std::size_t(count);
        return out;
    }

    std::uint64_t unsignedLE(int width)
    {
        need(std::uint64_t(width));
        std::uint64_t value = 0;
        for (int i = 0; i < width; ++i)
            value |= std::uint64_t(std::uint8_t(m_data[m_pos + i])) << (8 * i);
        m_pos += std::size_t(width);
        return value;
    }

    std::string line()
    {
        const void *end = std::memchr(m_data + m_pos, '\n', m_size - m_pos);
        if (!end)
            throw PickleError("the pickle ends inside a text argument");
        const std::size_t length = static_cast<const char *>(end) - (m_data + m_pos);
        std::string out(m_data + m_pos, length);
        m_pos += length + 1;
        return out;
    }

    void push(PyValuePtr value) { m_stack.push_back(std::move(value)); }

    PyValuePtr pop()
    {
        if (m_stack.size() <= (m_marks.empty() ? 0 : m_marks.back()))
            throw PickleError("the pickle pops an empty stack");
        PyValuePtr value = std::move(m_stack.back());
        m_stack.pop_back();
        return value;
    }

    PyValuePtr &top()
    {
        if (m_stack.empty())
            throw PickleError("the pickle reads an empty stack");
        return m_stack.back();
    }

    std::vector<PyValuePtr> popMark()
    {
        if (m_marks.empty())
            throw PickleError("the pickle has no MARK to pop to");
        const std::size_t mark = m_marks.back();
        m_marks.pop_back();
        std::vector<PyValuePtr> items(m_stack.begin() + std::ptrdiff_t(mark), m_stack.end());
        m_stack.resize(mark);
        return items;
    }

    PyValuePtr tuple(std::vector<PyValuePtr> items)
    {
        PyValuePtr value = make(PyValue::Kind::Tuple);
        value->items = std::move(items);
        return value;
    }

    void memoPut(std::uint64_t index) { m_memo[index] = top(); }

    void memoGet(std::uint64_t index)
    {
        auto it = m_memo.find(index);
        if (it == m_memo.end())
            throw PickleError("the pickle refers to memo entry " + std::to_string(index)
                              + " before storing it");
        push(it->second);
    }

    static void setItem(PyValue &dict, PyValuePtr key, PyValuePtr value)
    {
        if (dict.kind == PyValue::Kind::Opaque)
            return; // a custom mapping nobody reads
        if (dict.kind != PyValue::Kind::Dict)
            throw PickleError("the pickle stores a dict item into " + dict.describe());
        // Python's pickler writes each key once; a repeated key is left for the reader of the
        // dict to report (a linear search here would make large dicts quadratic).
        dict.entries.emplace_back(std::move(key), std::move(value));
    }

    static void append(PyValue &list, PyValuePtr value)
    {
        if (list.kind == PyValue::Kind::Opaque)
            return;
        if (list.kind != PyValue::Kind::List)
            throw PickleError("the pickle appends to " + list.describe());
        list.items.push_back(std::move(value));
    }

    PyValuePtr longFromBytes(const std::string &data)
    {
        if (data.size() > 8)
            return makeText(PyValue::Kind::Opaque, "builtins.int"); // beyond 64 bits
        std::uint64_t value = 0;
        for (std::size_t i = 0; i < data.size(); ++i)
            value |= std::uint64_t(std::uint8_t(data[i])) << (8 * i);
        if (!data.empty() && data.size() < 8 && (std::uint8_t(data.back()) & 0x80))
            value |= ~std::uint64_t(0) << (8 * data.size()); // sign-extend
        return makeInt(std::int64_t(value));
    }

    // A REDUCE or NEWOBJ: `callable(*args)`. Only the few callables torch.save relies on are
    // evaluated; anything else yields an opaque value.
    PyValuePtr call(const PyValuePtr &callable, const PyValuePtr &args)
    {
        const std::string name = callable->kind == PyValue::Kind::Global ? callable->text
                                                                         : std::string();
        const std::vector<PyValuePtr> empty;
        const std::vector<PyValuePtr> &a = args->kind == PyValue::Kind::Tuple ? args->items : empty;
        if (name == "torch._utils._rebuild_tensor_v2" || name == "torch._utils._rebuild_tensor") {
            // (storage, storage_offset, size, stride, [requires_grad, backward_hooks, metadata])
            if (a.size() < 4 || a[0]->kind != PyValue::Kind::Tensor)
                throw PickleError(name + " has unexpected arguments");
            PyValuePtr value = make(PyValue::Kind::Tensor);
            const std::vector<std::int64_t> size = toInts(a[2], "a tensor size");
            const std::vector<std::int64_t> stride = toInts(a[3], "a tensor stride");
            const std::int64_t offset = toInt(a[1], "a storage offset");
            if (size.size() != stride.size())
                throw PickleError("a tensor's size and stride differ in length");
            // The last element the view touches must lie inside the storage (checked without
            // overflow, whatever a damaged file claims).
            const std::int64_t numel = a[0]->tensor.numel();
            bool emptyView = false;
            for (std::int64_t extent : size)
                emptyView = emptyView || extent == 0;
            std::int64_t last = offset;
            bool inside = offset >= 0;
            for (std::size_t i = 0; i < size.size() && inside; ++i) {
                if (size[i] < 0 || stride[i] < 0)
                    throw PickleError("a tensor has a negative size or stride");
                if (emptyView || size[i] <= 1 || stride[i] == 0)
                    continue;
                inside = size[i] - 1 <= (numel - last) / stride[i];
                if (inside)
                    last += (size[i] - 1) * stride[i];
            }
            if (!inside || (!emptyView && last >= numel))
                throw PickleError("a tensor reaches past the end of its storage");
            value->tensor = a[0]->tensor.as_strided(size, stride, offset);
            return value;
        }
        if (name == "torch._utils._rebuild_parameter"
            || name == "torch._utils._rebuild_parameter_with_state") {
            if (a.empty() || a[0]->kind != PyValue::Kind::Tensor)
                throw PickleError(name + " has unexpected arguments");
            return a[0];
        }
        // LibTorch's pickler (torch::pickle_save) wraps typed containers: the value is args[0].
        if (name == "torch.jit._pickle.restore_type_tag"
            || name == "torch.jit._pickle.build_intlist"
            || name == "torch.jit._pickle.build_doublelist"
            || name == "torch.jit._pickle.build_boollist"
            || name == "torch.jit._pickle.build_tensorlist") {
            if (a.empty())
                throw PickleError(name + " has no arguments");
            return a[0];
        }
        if (name == "collections.OrderedDict" || name == "builtins.dict") {
            PyValuePtr dict = make(PyValue::Kind::Dict);
            if (!a.empty() && a[0]->kind == PyValue::Kind::List) {
                for (const PyValuePtr &pair : a[0]->items) {
                    if (pair->kind != PyValue::Kind::Tuple || pair->items.size() != 2)
                        throw PickleError(name + " has unexpected arguments");
                    setItem(*dict, pair->items[0], pair->items[1]);
                }
            }
            return dict;
        }
        if (name == "builtins.set" || name == "builtins.frozenset" || name == "__builtin__.set") {
            PyValuePtr list = make(PyValue::Kind::List);
            if (!a.empty() && a[0]->kind == PyValue::Kind::List)
                list->items = a[0]->items;
            return list;
        }
        return makeText(PyValue::Kind::Opaque, name.empty() ? "an unknown callable" : name);
    }

    void step(std::uint8_t op)
    {
        using Kind = PyValue::Kind;
        switch (op) {
        case 0x80: { // PROTO
            const int protocol = byte();
            if (protocol > 5)
                throw PickleError("pickle protocol " + std::to_string(protocol)
                                  + " is newer than 5");
            break;
        }
        case 0x95: // FRAME: framing is transparent to the reader
            unsignedLE(8);
            break;
        case '(': // MARK
            m_marks.push_back(m_stack.size());
            break;
        case '0': // POP
            if (!m_marks.empty() && m_marks.back() == m_stack.size())
                m_marks.pop_back();
            else
                pop();
            break;
        case '1': // POP_MARK
            popMark();
            break;
        case '2': // DUP
            push(top());
            break;
        case 'N': // NONE
            push(make(Kind::None));
            break;
        case 0x88:   // NEWTRUE
        case 0x89: { // NEWFALSE
            PyValuePtr value = make(Kind::Bool);
            value->boolean = op == 0x88;
            push(value);
            break;
        }
        case 'I': { // INT (text; "01"/"00" are True/False)
            const std::string text = line();
            if (text == "01" || text == "00") {
                PyValuePtr value = make(Kind::Bool);
                value->boolean = text == "01";
                push(value);
            } else {
                push(makeInt(std::stoll(text)));
            }
            break;
        }
        case 'L': { // LONG (text)
            std::string text = line();
            if (!text.empty() && text.back() == 'L')
                text.pop_back();
            push(makeInt(std::stoll(text)));
            break;
        }
        case 'J': // BININT
            push(makeInt(std::int32_t(std::uint32_t(unsignedLE(4)))));
            break;
        case 'K': // BININT1
            push(makeInt(byte()));
            break;
        case 'M': // BININT2
            push(makeInt(std::int64_t(unsignedLE(2))));
            break;
        case 0x8a: // LONG1
            push(longFromBytes(bytes(byte())));
            break;
        case 0x8b: // LONG4
            push(longFromBytes(bytes(unsignedLE(4))));
            break;
        case 'F': { // FLOAT (text)
            PyValuePtr value = make(Kind::Float);
            value->number = std::stod(line());
            push(value);
            break;
        }
        case 'G': { // BINFLOAT: big-endian IEEE double
            need(8);
            std::uint64_t bits = 0;
            for (int i = 0; i < 8; ++i)
                bits = (bits << 8) | std::uint8_t(m_data[m_pos + i]);
            m_pos += 8;
            PyValuePtr value = make(Kind::Float);
            std::memcpy(&value->number, &bits, sizeof bits);
            push(value);
            break;
        }
        case 'X': // BINUNICODE
            push(makeText(Kind::String, bytes(unsignedLE(4))));
            break;
        case 0x8c: // SHORT_BINUNICODE
            push(makeText(Kind::String, bytes(byte())));
            break;
        case 0x8d: // BINUNICODE8
            push(makeText(Kind::String, bytes(unsignedLE(8))));
            break;
        case 'T': // BINSTRING (Python 2 str)
            push(makeText(Kind::String, bytes(unsignedLE(4))));
            break;
        case 'U': // SHORT_BINSTRING
            push(makeText(Kind::String, bytes(byte())));
            break;
        case 'V': // UNICODE (raw-unicode-escape text; escapes are kept as written)
            push(makeText(Kind::String, line()));
            break;
        case 'S': { // STRING (a quoted repr; escapes are kept as written)
            std::string text = line();
            if (text.size() >= 2 && (text.front() == '\'' || text.front() == '"'))
                text = text.substr(1, text.size() - 2);
            push(makeText(Kind::String, text));
            break;
        }
        case 'B': // BINBYTES
            push(makeText(Kind::Bytes, bytes(unsignedLE(4))));
            break;
        case 'C': // SHORT_BINBYTES
            push(makeText(Kind::Bytes, bytes(byte())));
            break;
        case 0x8e: // BINBYTES8
        case 0x96: // BYTEARRAY8
            push(makeText(Kind::Bytes, bytes(unsignedLE(8))));
            break;
        case ')': // EMPTY_TUPLE
            push(tuple({}));
            break;
        case 't': // TUPLE
            push(tuple(popMark()));
            break;
        case 0x85:   // TUPLE1
        case 0x86:   // TUPLE2
        case 0x87: { // TUPLE3
            const std::size_t count = op - 0x84;
            std::vector<PyValuePtr> items(count);
            for (std::size_t i = count; i-- > 0;)
                items[i] = pop();
            push(tuple(std::move(items)));
            break;
        }
        case ']':  // EMPTY_LIST
        case 0x8f: // EMPTY_SET
            push(make(Kind::List));
            break;
        case 'l':    // LIST
        case 0x91: { // FROZENSET
            PyValuePtr list = make(Kind::List);
            list->items = popMark();
            push(list);
            break;
        }
        case 'a': { // APPEND
            PyValuePtr value = pop();
            append(*top(), std::move(value));
            break;
        }
        case 'e':    // APPENDS
        case 0x90: { // ADDITEMS
            std::vector<PyValuePtr> items = popMark();
            PyValue &list = *top();
            for (PyValuePtr &item : items)
                append(list, std::move(item));
            break;
        }
        case '}': // EMPTY_DICT
            push(make(Kind::Dict));
            break;
        case 'd': { // DICT
            std::vector<PyValuePtr> items = popMark();
            if (items.size() % 2 != 0)
                throw PickleError("a DICT has an odd number of items");
            PyValuePtr dict = make(Kind::Dict);
            for (std::size_t i = 0; i < items.size(); i += 2)
                setItem(*dict, items[i], items[i + 1]);
            push(dict);
            break;
        }
        case 's': { // SETITEM
            PyValuePtr value = pop();
            PyValuePtr key = pop();
            setItem(*top(), std::move(key), std::move(value));
            break;
        }
        case 'u': { // SETITEMS
            std::vector<PyValuePtr> items = popMark();
            if (items.size() % 2 != 0)
                throw PickleError("a SETITEMS has an odd number of items");
            PyValue &dict = *top();
            for (std::size_t i = 0; i < items.size(); i += 2)
                setItem(dict, items[i], items[i + 1]);
            break;
        }
        case 'c': { // GLOBAL
            std::string module = line();
            const std::string name = line();
            if (module == "__builtin__")
                module = "builtins";
            push(makeText(Kind::Global, module + "." + name));
            break;
        }
        case 0x93: { // STACK_GLOBAL
            const PyValuePtr name = pop();
            const PyValuePtr module = pop();
            if (name->kind != Kind::String || module->kind != Kind::String)
                throw PickleError("a STACK_GLOBAL names no string");
            push(makeText(Kind::Global, module->text + "." + name->text));
            break;
        }
        case 'R': { // REDUCE
            const PyValuePtr args = pop();
            const PyValuePtr callable = pop();
            push(call(callable, args));
            break;
        }
        case 0x81: { // NEWOBJ
            const PyValuePtr args = pop();
            const PyValuePtr cls = pop();
            push(call(cls, args));
            break;
        }
        case 0x92: { // NEWOBJ_EX
            pop();   // kwargs
            const PyValuePtr args = pop();
            const PyValuePtr cls = pop();
            push(call(cls, args));
            break;
        }
        case 'i': { // INST
            const std::string module = line();
            const std::string name = line();
            popMark();
            push(makeText(Kind::Opaque, module + "." + name));
            break;
        }
        case 'o': { // OBJ
            std::vector<PyValuePtr> items = popMark();
            const std::string name = !items.empty() && items[0]->kind == Kind::Global
                                         ? items[0]->text
                                         : std::string("an unknown class");
            push(makeText(Kind::Opaque, name));
            break;
        }
        case 'b': // BUILD: object state (OrderedDict._metadata, numpy scalars, ...) is not kept
            pop();
            top();
            break;
        case 'p': // PUT
            memoPut(std::stoull(line()));
            break;
        case 'q': // BINPUT
            memoPut(byte());
            break;
        case 'r': // LONG_BINPUT
            memoPut(unsignedLE(4));
            break;
        case 0x94: // MEMOIZE
            memoPut(m_memo.size());
            break;
        case 'g': // GET
            memoGet(std::stoull(line()));
            break;
        case 'h': // BINGET
            memoGet(byte());
            break;
        case 'j': // LONG_BINGET
            memoGet(unsignedLE(4));
            break;
        case 'P': // PERSID
            push(m_persistentLoad(makeText(Kind::String, line())));
            break;
        case 'Q': // BINPERSID
            push(m_persistentLoad(pop()));
            break;
        default: {
            char hex[8];
            std::snprintf(hex, sizeof hex, "0x%02x", op);
            throw PickleError(std::string("unsupported pickle opcode ") + hex + " at byte "
                              + std::to_string(m_pos - 1));
        }
        }
    }

    const char *m_data;
    std::size_t m_size;
    std::size_t m_pos = 0;
    PersistentLoad m_persistentLoad;
    std::vector<PyValuePtr> m_stack;
    std::vector<std::size_t> m_marks;
    std::unordered_map<std::uint64_t, PyValuePtr> m_memo;
};

// torch.save's persistent ids: ('storage', storage_type, key, location, numel). The storage's
// bytes are the record `data/<key>`; storages shared by several tensors are read once.
class StorageLoader
{
public:
    explicit StorageLoader(caffe2::serialize::PyTorchStreamReader &reader)
        : m_reader(reader)
    {}

    PyValuePtr operator()(const PyValuePtr &pid)
    {
        if (pid->kind != PyValue::Kind::Tuple || pid->items.size() < 5
            || pid->items[0]->kind != PyValue::Kind::String || pid->items[0]->text != "storage"
            || pid->items[1]->kind != PyValue::Kind::Global
            || pid->items[2]->kind != PyValue::Kind::String)
            throw PickleError("a persistent id is not a tensor storage");
        const std::string &typeName = pid->items[1]->text;
        const std::string &key = pid->items[2]->text;
        const std::int64_t numel = toInt(pid->items[4], "a storage size");
        auto type = storageTypes().find(typeName);
        if (type == storageTypes().end())
            throw PickleError("storage type " + typeName + " is not supported");

        auto cached = m_storages.find(key);
        if (cached != m_storages.end())
            return cached->second;

        const std::string record = "data/" + key;
        if (!m_reader.hasRecord(record))
            throw PickleError("the archive lacks the tensor data record " + record);
        at::DataPtr data;
        std::size_t size = 0;
        std::tie(data, size) = m_reader.getRecord(record);
        // Checked before allocating, so a damaged size cannot ask for terabytes.
        const std::size_t elementSize = c10::elementSize(type->second);
        if (numel < 0 || std::uint64_t(numel) > size / elementSize)
            throw PickleError("tensor data record " + record + " is shorter than its storage");
        const std::size_t wanted = std::size_t(numel) * elementSize;
        at::Tensor storage = torch::empty({numel}, torch::TensorOptions().dtype(type->second));
        if (wanted > 0)
            std::memcpy(storage.data_ptr(), data.get(), wanted);

        PyValuePtr value = make(PyValue::Kind::Tensor);
        value->tensor = storage;
        m_storages.emplace(key, value);
        return value;
    }

private:
    caffe2::serialize::PyTorchStreamReader &m_reader;
    std::unordered_map<std::string, PyValuePtr> m_storages;
};

bool startsWithZipMagic(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    char magic[4] = {};
    in.read(magic, 4);
    return in.gcount() == 4 && std::memcmp(magic, "PK\x03\x04", 4) == 0;
}

// The first line of a c10::Error (the rest is a backtrace).
std::string firstLine(const char *text)
{
    std::string message(text);
    const std::size_t end = message.find('\n');
    return end == std::string::npos ? message : message.substr(0, end);
}

} // namespace

const PyValue *PyValue::find(const std::string &key) const
{
    if (kind != Kind::Dict)
        return nullptr;
    for (const auto &entry : entries) {
        if (entry.first->kind == Kind::String && entry.first->text == key)
            return entry.second.get();
    }
    return nullptr;
}

std::string PyValue::describe() const
{
    switch (kind) {
    case Kind::None:
        return "None";
    case Kind::Bool:
        return "a bool";
    case Kind::Int:
        return "an int";
    case Kind::Float:
        return "a float";
    case Kind::String:
        return "a string";
    case Kind::Bytes:
        return "bytes";
    case Kind::Tuple:
        return "a tuple";
    case Kind::List:
        return "a list";
    case Kind::Dict:
        return "a dict";
    case Kind::Tensor:
        return "a tensor";
    case Kind::Global:
        return "the class or function " + text;
    case Kind::Opaque:
        return "an object of " + text;
    }
    return "an unknown value";
}

PyValuePtr loadTorchFile(const std::string &path)
{
    if (!std::filesystem::is_regular_file(path))
        throw std::runtime_error(path + ": no such file.");
    if (!startsWithZipMagic(path))
        throw std::runtime_error(path
                                 + ": not a zip-format PyTorch file (torch.save writes one since "
                                   "PyTorch 1.6; re-save older files with a current torch.save).");
    try {
        caffe2::serialize::PyTorchStreamReader reader(path);
        if (reader.hasRecord("byteorder")) {
            at::DataPtr order;
            std::size_t size = 0;
            std::tie(order, size) = reader.getRecord("byteorder");
            if (std::string(static_cast<const char *>(order.get()), size) != "little")
                throw PickleError("tensors are stored big-endian");
        }
        if (!reader.hasRecord("data.pkl"))
            throw PickleError("there is no data.pkl record");
        at::DataPtr pickle;
        std::size_t size = 0;
        std::tie(pickle, size) = reader.getRecord("data.pkl");
        StorageLoader storages(reader);
        Unpickler unpickler(static_cast<const char *>(pickle.get()), size, std::ref(storages));
        return unpickler.run();
    } catch (const PickleError &error) {
        throw std::runtime_error(path + ": cannot be read as a torch.save file (" + error.what()
                                 + ").");
    } catch (const c10::Error &error) {
        throw std::runtime_error(path + ": damaged PyTorch archive ("
                                 + firstLine(error.what_without_backtrace()) + ").");
    } catch (const std::logic_error &error) { // std::stoll and friends on a corrupt text field
        throw std::runtime_error(
            path + ": cannot be read as a torch.save file (bad number: " + error.what() + ").");
    }
}

} // namespace seplab::models::interop
