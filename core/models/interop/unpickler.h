#pragma once

// Inside the torch.save reader (pickle_reader.h), shared by its parts: the pickle virtual machine
// (unpickler.cpp), the Python callables it evaluates (pickle_globals.cpp) and the value helpers
// (py_value.cpp). pickle_reader.cpp feeds the machine from the zip archive.

#include "core/models/interop/pickle_reader.h"

#include <cstddef>
#include <functional>
#include <stdexcept>

namespace seplab::models::interop::detail {

// Thrown inside the unpickler; loadTorchFile turns it into a sentence naming the file.
class PickleError : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

PyValuePtr make(PyValue::Kind kind);
PyValuePtr makeText(PyValue::Kind kind, std::string text);
PyValuePtr makeInt(std::int64_t integer);

// An Int, or a tuple or list of them; PickleError naming `what` otherwise.
std::int64_t toInt(const PyValuePtr &value, const char *what);
std::vector<std::int64_t> toInts(const PyValuePtr &value, const char *what);

// `dict[key] = value` for a Dict (an Opaque mapping ignores it); PickleError for anything else.
void setItem(PyValue &dict, PyValuePtr key, PyValuePtr value);

// A REDUCE or NEWOBJ: `callable(*args)`. Only the few callables torch.save relies on are
// evaluated; anything else yields an opaque value.
PyValuePtr callGlobal(const PyValuePtr &callable, const PyValuePtr &args);

// Turns a persistent id (torch.save: a tensor storage) into its value.
using PersistentLoad = std::function<PyValuePtr(const PyValuePtr &pid)>;

// Runs the pickle in `data` to its STOP and returns the value it leaves.
PyValuePtr unpickle(const char *data, std::size_t size, const PersistentLoad &persistentLoad);

} // namespace seplab::models::interop::detail
