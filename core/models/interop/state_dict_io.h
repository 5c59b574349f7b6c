#pragma once

// PyTorch state_dict files: what `torch.save(model.state_dict(), f)` writes and
// `model.load_state_dict(torch.load(f))` reads, so weights move between SepLab and the original
// Python project (polsess_separation). The key names are the caller's business; see
// original_names.h for the mapping between SepLab's modules and the original ones.

#include <ATen/core/Tensor.h>
#include <string>
#include <torch/ordered_dict.h>

namespace seplab::models::interop {

// Tensor name -> tensor, in insertion order, like Python's state_dict.
using StateDict = torch::OrderedDict<std::string, at::Tensor>;

// Writes `stateDict` so that Python's torch.load returns a dict of name -> tensor (contiguous,
// on the CPU, without autograd history), in this order. The file is written next to `path` and
// renamed over it, so an existing file is never left half-written. Throws std::runtime_error
// naming `path` when it cannot be written.
void saveStateDict(const std::string &path, const StateDict &stateDict);

// Reads a file written by Python's torch.save (or by saveStateDict). Accepts a bare state_dict
// and the original project's training checkpoint (a dict whose `model_state_dict` is the
// state_dict; the optimizer state, config and metrics beside it are ignored). Keys saved from a
// torch.compile'd model lose their `_orig_mod.` prefix. Tensors come back on the CPU with their
// saved dtype. Throws std::runtime_error with one sentence naming `path` and, where it applies,
// the offending key.
StateDict loadStateDict(const std::string &path);

} // namespace seplab::models::interop
