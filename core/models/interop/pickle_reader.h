#pragma once

// Reads what Python's torch.save writes (the zip format of PyTorch 1.6 and later): the pickle in
// `data.pkl`, with its tensors rebuilt from the `data/<key>` records.
//
// LibTorch has torch::pickle_load, but its unpickler turns collections.OrderedDict into None and
// then fails on every Python state_dict ("Expected GenericDict but got None",
// pytorch/pytorch#100741; fixed upstream only at the end of 2024 by #139750, and SepLab also
// builds against Debian's 1.13). So this is a small unpickler for the subset of
// pickle that torch.save emits. Python objects it has no use for (numpy scalars, dataclasses,
// SimpleNamespace, ...) become opaque values instead of errors, so a training checkpoint that
// carries them still opens; only the part a caller uses has to be plain data and tensors.

#include <ATen/core/Tensor.h>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace seplab::models::interop {

struct PyValue;
using PyValuePtr = std::shared_ptr<PyValue>;

// One unpickled Python value. Lists and dicts are shared (pickle's memo refers back to them).
struct PyValue
{
    enum class Kind {
        None,
        Bool,
        Int,
        Float,
        String,
        Bytes,
        Tuple,
        List,
        Dict,
        Tensor,
        Global,
        Opaque
    };

    Kind kind = Kind::None;
    bool boolean = false;
    std::int64_t integer = 0;
    double number = 0.0;
    // String and Bytes: the content. Global: "module.name". Opaque: what built it ("module.name"
    // of the class or function), for messages.
    std::string text;
    std::vector<PyValuePtr> items;                          // Tuple, List (and sets)
    std::vector<std::pair<PyValuePtr, PyValuePtr>> entries; // Dict, in insertion order
    at::Tensor tensor;                                      // Tensor (on the CPU)

    // The value stored under the string key `key` of a Dict, or nullptr.
    const PyValue *find(const std::string &key) const;
    // "a tensor", "a dict", "an int", "an object of numpy.dtype", ... for error messages.
    std::string describe() const;
};

// Unpickles `path`. Throws std::runtime_error with one sentence naming `path` for a missing file,
// a file that is not a zip-format torch.save archive, or a damaged one.
PyValuePtr loadTorchFile(const std::string &path);

} // namespace seplab::models::interop
