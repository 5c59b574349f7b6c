// The pickle virtual machine: reads opcodes, keeps the stack, the marks and the memo, and builds
// PyValues. What a REDUCE calls is pickle_globals.cpp.

#include "core/models/interop/unpickler.h"

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <unordered_map>
#include <vector>

namespace seplab::models::interop::detail {

namespace {

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
            push(callGlobal(callable, args));
            break;
        }
        case 0x81: { // NEWOBJ
            const PyValuePtr args = pop();
            const PyValuePtr cls = pop();
            push(callGlobal(cls, args));
            break;
        }
        case 0x92: { // NEWOBJ_EX
            pop();   // kwargs
            const PyValuePtr args = pop();
            const PyValuePtr cls = pop();
            push(callGlobal(cls, args));
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

} // namespace

PyValuePtr unpickle(const char *data, std::size_t size, const PersistentLoad &persistentLoad)
{
    return Unpickler(data, size, persistentLoad).run();
}

} // namespace seplab::models::interop::detail
