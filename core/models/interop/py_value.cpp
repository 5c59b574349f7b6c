// The unpickled value: its lookups and descriptions, and the small constructors and checks the
// reader's parts share.

#include "core/models/interop/unpickler.h"

namespace seplab::models::interop {

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

namespace detail {

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

void setItem(PyValue &dict, PyValuePtr key, PyValuePtr value)
{
    if (dict.kind == PyValue::Kind::Opaque)
        return; // a custom mapping nobody reads
    if (dict.kind != PyValue::Kind::Dict)
        throw PickleError("the pickle stores a dict item into " + dict.describe());
    // Python's pickler writes each key once; a repeated key is left for the reader of the
    // dict to report (a linear search here would make large dicts quadratic).
    dict.entries.emplace_back(std::move(key), std::move(value));
}

} // namespace detail

} // namespace seplab::models::interop
