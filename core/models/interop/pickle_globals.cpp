// The Python callables a torch.save pickle calls and SepLab evaluates: the tensor rebuild (a
// view of a storage, bounds-checked against damaged files), parameters, LibTorch's typed-list
// tags, OrderedDict and sets. Every other callable becomes an opaque value.

#include "core/models/interop/unpickler.h"

#include <ATen/core/Tensor.h>

namespace seplab::models::interop::detail {

// A REDUCE or NEWOBJ: `callable(*args)`. Only the few callables torch.save relies on are
// evaluated; anything else yields an opaque value.
PyValuePtr callGlobal(const PyValuePtr &callable, const PyValuePtr &args)
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
    if (name == "torch.jit._pickle.restore_type_tag" || name == "torch.jit._pickle.build_intlist"
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

} // namespace seplab::models::interop::detail
